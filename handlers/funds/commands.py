"""`/funds`: fund use, the budget, drawdowns and the fortnightly report."""

from __future__ import annotations

from slack_bolt import App

from bot.app import Deps
from handlers.ids import Command
from handlers.reports.commands import open_report
from handlers.routing import Sub, slash_command

SUBCOMMANDS: dict[str, Sub] = {
    "report": Sub(open_report),
}


def register(app: App, deps: Deps) -> None:
    slash_command(app, deps, Command.FUNDS, SUBCOMMANDS)
