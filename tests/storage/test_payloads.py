"""`handlers.payloads`: JSON that does not fit a button or a view is kept whole, by id."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.app import Deps
from bot.errors import UserError
from handlers.payloads import KEEP, MARKER, pack, unpack
from storage.models import Payload
from tests.conftest import Clock
from tests.db import count

NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def kept(deps: Deps) -> int:
    return count(deps, Payload)


def test_short_json_travels_as_it_is(deps: Deps) -> None:
    text = json.dumps({"p": 1, "t": "关闭"}, ensure_ascii=False)
    assert pack(deps, text) == text
    assert unpack(deps, text) == text
    assert kept(deps) == 0


def test_long_json_is_kept_whole_and_carried_by_a_short_id(deps: Deps, clock: Clock) -> None:
    clock.frozen = NOW
    text = json.dumps({"note": "资金链" * 2000}, ensure_ascii=False)
    packed = pack(deps, text)
    assert packed.startswith(MARKER) and len(packed) < 40
    assert unpack(deps, packed) == text
    assert len(pack(deps, text, limit=len(text))) == len(text)


def test_a_kept_payload_expires_on_the_injected_clock_and_is_pruned(
    deps: Deps, clock: Clock
) -> None:
    clock.frozen = NOW
    packed = pack(deps, "x" * 2001)
    clock.frozen = NOW + KEEP - dt.timedelta(seconds=1)
    assert unpack(deps, packed) == "x" * 2001
    clock.frozen = NOW + KEEP
    with pytest.raises(UserError):
        unpack(deps, packed)
    pack(deps, "y" * 2001)  # keeping a new one prunes the expired
    assert kept(deps) == 1


def test_an_unknown_id_is_a_user_error_not_a_crash(deps: Deps) -> None:
    with pytest.raises(UserError):
        unpack(deps, MARKER + "no-such-id")
