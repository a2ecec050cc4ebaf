"""The `help` answer of every slash command (also given for any unknown word)."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.i18n import Msg, Translator, _
from handlers import blocks as b
from handlers.ids import Command
from handlers.text import esc

# Each command's words and what they do; `_HELP` ends every list (the kit answers `help`).
_HELP: tuple[str, Msg] = ("help", _("this list"))
_USAGE: dict[str, list[tuple[str, Msg]]] = {
    Command.ICRM: [
        ("setup", _("create or edit the project of this channel")),
        ("departments", _("departments, their leads and members")),
        ("roles", _("the responsibility matrix (RACI by phase)")),
        ("budget", _("budget lines against the project total")),
        ("settings", _("schedules, thresholds and anonymity")),
        ("digest", _("post the weekly digest now")),
        ("scorecard [YYYY-MM]", _("the monthly department scorecard")),
        ("scorecard YYYY-MM recompute", _("measure a stored month again (PMs)")),
        ("export funds|risks|feedback|reports [from] [to]", _("a CSV file for PMs")),
        ("export budget|funds|… [from] [to] xlsx", _("the same as an Excel workbook")),
        (
            "import",
            _("budget lines, departments, funding sources, history from a file, with a preview"),
        ),
        (
            "import template budget|departments|sources|history|all",
            _("an Excel template to fill in"),
        ),
    ],
    Command.FUNDS: [
        ("", _("record fund use against a budget line")),
        ("summary", _("budget vs actual, liquidity and runway")),
        ("list [line] [from] [to]", _("recent entries, newest first (dates as YYYY-MM-DD)")),
        ("drawdown", _("record a drawdown on a funding source (PMs, finance lead)")),
        ("sources", _("add or change a funding source (PMs, finance lead)")),
        ("void <id> <reason>", _("void a wrong entry (PMs, finance lead)")),
        ("report", _("this period's fund-use report (department leads)")),
        ("approvals", _("entries and change orders waiting for your approval")),
        ("change [line]", _("a change order: increase, decrease or transfer a budget line")),
        ("history <line>", _("a budget line's figures and change orders")),
        ("policy", _("approval thresholds, line tolerance, reminders, delegation (PMs)")),
    ],
    Command.RISK: [
        ("", _("flag a risk (a form: likelihood, impact, owner, mitigation)")),
        ("list [mine|high|all]", _("open risks; yours; high and critical; or every risk")),
        ("show R-n", _("a risk's details and its update log")),
        ("close R-n [note]", _("close a risk (its owner, department lead or a PM)")),
    ],
    Command.SURVEY: [
        ("new", _("start a survey (PMs): CSAT, NPS or custom questions")),
        ("list", _("open surveys and the ones waiting for your answer")),
        ("results <id>", _("a survey's results, once it has closed")),
        ("close <id>", _("close a survey now and post its results (PMs)")),
    ],
    Command.FEEDBACK: [
        ("", _("rate another department's service (you can stay anonymous)")),
        ("list", _("feedback your department received (leads and PMs)")),
    ],
}


def help_blocks(
    command: str, tr: Translator, *, unknown: str | None = None
) -> tuple[str, list[Block]]:
    """Text and blocks listing what `command` understands."""
    usage = _USAGE[command] + [_HELP] if command in _USAGE else []
    lines = [f"`{(command + ' ' + word).strip()}` — {tr(what)}" for word, what in usage]
    intro = tr(_("Here is what {command} can do:"), command=f"`{command}`")
    items: list[Block] = []
    if unknown:
        items.append(b.section(tr(_("I don't know “{word}”.", word=esc(unknown[:50])))))
    items += [b.section(intro), b.section("\n".join(lines))]
    return intro, items
