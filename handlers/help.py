"""The `help` answer of every slash command (also given for any unknown word)."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.i18n import Msg, Translator, _
from handlers import blocks as b
from handlers.ids import Command

_USAGE: dict[str, list[tuple[str, Msg]]] = {
    Command.ICRM: [
        ("setup", _("create or edit the project of this channel")),
        ("departments", _("departments, their leads and members")),
        ("roles", _("the responsibility matrix (RACI by phase)")),
        ("budget", _("budget lines against the project total")),
        ("settings", _("schedules, thresholds and anonymity")),
        ("digest", _("post the weekly digest now")),
        ("scorecard [YYYY-MM]", _("the monthly department scorecard")),
        ("export funds|risks|feedback|reports [from] [to]", _("a CSV file for PMs")),
        ("help", _("this list")),
    ],
    Command.FUNDS: [
        ("", _("record fund use against a budget line")),
        ("summary", _("budget vs actual, liquidity and runway")),
        ("drawdown", _("record a drawdown on a funding source (PMs, finance lead)")),
        ("sources", _("add or change a funding source (PMs, finance lead)")),
        ("void <id> <reason>", _("void a wrong entry (PMs, finance lead)")),
        ("help", _("this list")),
    ],
}


def help_blocks(
    command: str, tr: Translator, *, unknown: str | None = None
) -> tuple[str, list[Block]]:
    """Text and blocks listing what `command` understands."""
    lines = [f"`{command} {usage}` — {tr(what)}" for usage, what in _USAGE.get(command, [])]
    intro = tr(_("Here is what {command} can do:"), command=f"`{command}`")
    items: list[Block] = []
    if unknown:
        items.append(b.section(tr(_("I don't know “{word}”.", word=unknown[:50]))))
    items += [b.section(intro), b.section("\n".join(lines))]
    return intro, items
