"""The kit's `Request` helpers (handlers/kit.py): a modal opens on the request's trigger, in
the language asked for, its metadata saying which message the button was pressed in; a
modal's follow-up goes to the channel it names; a button's id is read or called stale."""

from __future__ import annotations

import json
from functools import partial
from types import SimpleNamespace
from typing import Any, cast

import pytest

from bot.deps import Deps
from bot.errors import UserError
from bot.i18n import Translator, _
from handlers.errors import LOCALE
from handlers.kit import DmMeta, Request


class _Meta(DmMeta):
    item_id: int


class _Client:
    def __init__(self) -> None:
        self.opened: list[dict[str, Any]] = []

    def views_open(self, **kwargs: Any) -> dict[str, Any]:
        self.opened.append(kwargs)
        return {"ok": True, "view": {"id": "V1"}}


def _request(body: dict[str, Any]) -> tuple[Request, _Client, dict[str, Any]]:
    deps = cast(Deps, SimpleNamespace(settings=SimpleNamespace(default_locale="en")))
    client, context = _Client(), {}
    base = {"team": {"id": "T1"}, "user": {"id": "U1"}, "trigger_id": "trig-1"}
    req = Request(deps, cast(Any, None), {**base, **body}, cast(Any, client), context)
    return req, client, context


def _modal(item: str, tr: Translator, *, metadata: str) -> dict[str, Any]:
    return {"item": item, "locale": tr.locale, "metadata": metadata}


def test_open_modal_uses_the_trigger_and_returns_slacks_answer() -> None:
    req, client, _context = _request({})
    answer = req.open_modal({"type": "modal"})
    assert client.opened == [{"trigger_id": "trig-1", "view": {"type": "modal"}}]
    assert answer["view"]["id"] == "V1"


def test_open_for_message_carries_the_message_and_speaks_its_locale() -> None:
    container = {"type": "message", "channel_id": "D1", "message_ts": "123.4"}
    req, client, context = _request({"container": container})
    req.open_for_message(_Meta(item_id=7, locale="zh-Hans"), "zh-Hans", partial(_modal, "x"))
    [opened] = client.opened
    view = opened["view"]
    assert opened["trigger_id"] == "trig-1"
    assert (view["item"], view["locale"]) == ("x", "zh-Hans")
    assert json.loads(view["metadata"]) == {
        "dm_channel": "D1",
        "dm_ts": "123.4",
        "locale": "zh-Hans",
        "item_id": 7,
    }
    assert context[LOCALE] == "zh-Hans" and req.tr.locale == "zh-Hans"


def test_open_for_message_from_the_home_carries_no_message() -> None:
    req, client, _context = _request({"container": {"type": "view", "view_id": "V9"}})
    req.open_for_message(_Meta(item_id=1), "en", partial(_modal, "y"))
    meta = json.loads(client.opened[0]["view"]["metadata"])
    assert (meta["dm_channel"], meta["dm_ts"]) == (None, None)


def test_told_in_keeps_who_and_drops_the_requests_own_ways_back() -> None:
    req, _client, _context = _request({"response_url": "https://hooks.example/r"})
    where = req.caller.told_in("C9")
    assert (where.team_id, where.user_id, where.channel_id) == ("T1", "U1", "C9")
    assert (where.trigger_id, where.response_url) == (None, None)


def test_number_reads_a_buttons_id_and_calls_anything_else_stale() -> None:
    req, _client, _context = _request({"actions": [{"value": "42"}]})
    assert req.number() == 42
    stale = _("That button is out of date. Open the Home tab again.")
    for value in ("", "4x", "-1", None):
        req, _client, _context = _request({"actions": [{"value": value}]})
        with pytest.raises(UserError) as raised:
            req.number(stale=stale)
        assert raised.value.message == stale
