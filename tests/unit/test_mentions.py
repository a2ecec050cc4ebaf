"""Services name people with `Mentions`; only the translation writes `<@…>`."""

import re

import pytest

from bot.i18n import EN, ZH, Command, Mentions, _, msg_from_json, msg_to_json, translator
from handlers.text import esc_params
from tests.i18n_extract import extract


def test_mentions_render_as_slack_mentions_in_order_once_each() -> None:
    tr = translator(EN)
    people = Mentions.of(["U2", "U1", "U2", None, ""])
    assert people.user_ids == ("U2", "U1")
    assert tr(_("Ask {pms}.", pms=people)) == "Ask <@U2>, <@U1>."


def test_nobody_renders_the_fallback() -> None:
    tr = translator(EN)
    assert tr(_("Owner {owner}", owner=Mentions.of([None], empty="—"))) == "Owner —"
    assert tr(_("Ask {pms}.", pms=Mentions.of([]))) == "Ask ."


def test_mentions_survive_escaping_and_storage() -> None:
    tr = translator(EN)
    message = _("{user} replied about {what}", user=Mentions.of(["U9"]), what="<R&D>")
    assert tr(esc_params(message)) == "<@U9> replied about &lt;R&amp;D&gt;"
    stored = msg_from_json(msg_to_json(message))
    assert stored.params["user"] == Mentions(("U9",))
    assert tr(stored) == "<@U9> replied about <R&D>"


def test_commands_render_as_code_in_each_language() -> None:
    message = _("Run {command} here.", command=Command("/icrm setup"))
    assert translator(EN)(message) == "Run `/icrm setup` here."
    worded = _("See {command}.", command=Command(_("/funds list [line] [from] [to]")))
    assert translator(ZH)(worded) == "See `/funds list [科目] [起始日期] [截止日期]`."
    stored = msg_from_json(msg_to_json(esc_params(worded)))
    assert stored == worded


def test_a_command_is_a_slash_command() -> None:
    with pytest.raises(ValueError):
        Command("icrm setup")


def test_services_write_no_mrkdwn() -> None:
    """Bold markers, code spans and mentions are the renderers': a service's message names
    people with `Mentions` and commands with `Command`."""
    found = [
        f"{m.where}: {m.msgid}"
        for m in extract()
        if m.where.startswith("bot/services/")
        and (re.search(r"`|<@|(^|\s)\*\S|\S\*($|\s|[.,;:!?])", m.msgid))
    ]
    assert found == []
