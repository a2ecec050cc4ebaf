"""What `/icrm export` asks for: the kind of export and the period."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from bot.errors import UserError
from bot.i18n import Command, Msg, _


class ExportKind(StrEnum):
    FUNDS = "funds"
    RISKS = "risks"
    FEEDBACK = "feedback"
    REPORTS = "reports"
    BUDGET = "budget"


# What an export is called in a sentence ("the fund-use export"), not the command word.
KIND_LABEL: Final[dict[ExportKind, Msg]] = {
    ExportKind.FUNDS: _("fund-use entries"),
    ExportKind.RISKS: _("risks", context="export"),
    ExportKind.FEEDBACK: _("feedback", context="export"),
    ExportKind.REPORTS: _("fortnightly reports", context="export"),
    ExportKind.BUDGET: _("budget lines", context="export"),
}


USAGE: Final = Command("/icrm export funds|risks|feedback|reports|budget [from] [to] [xlsx]")


@dataclass(frozen=True)
class ExportRequest:
    """What to export: a kind and an optional inclusive date range (project-local days)."""

    kind: ExportKind
    first: dt.date | None = None
    last: dt.date | None = None
    xlsx: bool = False  # an Excel workbook with typed cells instead of CSV

    def filename(self, code: str) -> str:
        span = "-".join(d.isoformat() for d in (self.first, self.last) if d) or "all"
        return f"{code}-{self.kind.value}-{span}.{'xlsx' if self.xlsx else 'csv'}"


def parse_request(words: Sequence[str]) -> ExportRequest:
    """`funds 2026-01-01 2026-03-31 [xlsx]` → an `ExportRequest`; `UserError` saying the format."""
    xlsx = bool(words) and len(words) > 1 and words[-1].lower() in ("xlsx", "csv")
    if xlsx:
        xlsx, words = words[-1].lower() == "xlsx", words[:-1]
    if not words or words[0].lower() not in set(ExportKind):
        raise UserError(_("Say what to export: {usage}", usage=USAGE))
    if len(words) > 3:
        raise UserError(_("Too many words. Use {usage}", usage=USAGE))
    days: list[dt.date] = []
    for word in words[1:]:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
                raise ValueError(word)
            days.append(dt.date.fromisoformat(word))
        except ValueError:
            raise UserError(
                _(
                    "“{word}” is not a date. Write dates as YYYY-MM-DD, e.g. {command}.",
                    word=word[:30],
                    command=Command("/icrm export funds 2026-01-01 2026-03-31"),
                )
            ) from None
    first = days[0] if days else None
    last = days[1] if len(days) > 1 else None
    if first and last and first > last:
        raise UserError(
            _("The start date {first} is after the end date {last}.", first=first, last=last)
        )
    return ExportRequest(ExportKind(words[0].lower()), first, last, xlsx)
