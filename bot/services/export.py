"""CSV exports for PMs: fund use, risks, feedback and reports, streamed to a file.

Rows are read from the database in batches and written straight to disk, so an export of a
million entries needs no more memory than one of ten. The file is UTF-8 with a byte-order
mark (Excel then opens Chinese text correctly), dates are ISO 8601, timestamps ISO 8601 in
the project's timezone with their offset, amounts exact decimal strings (`1234.50`), user
ids raw Slack ids. Voided fund-use entries stay in the file, marked with who, when and why.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from bot.errors import NotFound, UserError
from bot.i18n import Msg, Translator, _
from bot.periods import local_midnight
from bot.services.projects import require_pm
from bot.services.suppression import MIN_ANONYMITY, suppress
from storage.models import Project
from storage.uow import UnitOfWork

ENCODING: Final = "utf-8-sig"  # UTF-8 with a BOM
# A cell starting with one of these is read by spreadsheets as a formula (CSV injection).
_FORMULA = re.compile(r"^[=+\-@\t\r]")


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


USAGE: Final = "`/icrm export funds|risks|feedback|reports|budget [from] [to] [xlsx]`"


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
                    "“{word}” is not a date. Write dates as YYYY-MM-DD, e.g. `/icrm export funds 2026-01-01 2026-03-31`.",
                    word=word[:30],
                )
            ) from None
    first = days[0] if days else None
    last = days[1] if len(days) > 1 else None
    if first and last and first > last:
        raise UserError(
            _("The start date {first} is after the end date {last}.", first=first, last=last)
        )
    return ExportRequest(ExportKind(words[0].lower()), first, last, xlsx)


# -- cell formatting ---------------------------------------------------------------------


def _text(value: str | None) -> str:
    if not value:
        return ""
    return "'" + value if _FORMULA.match(value) else value


def _amount(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _stamp(zone: ZoneInfo) -> Callable[[dt.datetime | None], str]:
    def stamp(value: dt.datetime | None) -> str:
        return value.astimezone(zone).isoformat(timespec="seconds") if value else ""

    return stamp


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


# -- one writer per kind -----------------------------------------------------------------


@dataclass(frozen=True)
class _Sheet:
    header: list[Msg]
    rows: Callable[[UnitOfWork, Project, ExportRequest], Iterable[list[str]]]


def _fund_rows(uow: UnitOfWork, project: Project, request: ExportRequest) -> Iterator[list[str]]:
    stamp = _stamp(ZoneInfo(project.timezone))
    for row in uow.exports.fund_entries(project.id, request.first, request.last):
        (id_, spent_on, line, category, department, amount, purpose, reference, reporter,
         created_at, voided_at, voided_by, void_reason, corrects_id, approval, decided_by,
         decision_note, original, changes) = row  # fmt: skip
        yield [
            str(id_),
            _day(spent_on),
            _text(line),
            category,
            _text(department),
            _amount(amount),
            project.currency,
            _text(purpose),
            _text(reference),
            reporter,
            stamp(created_at),
            "voided" if voided_at else "valid",
            stamp(voided_at),
            voided_by or "",
            _text(void_reason),
            str(corrects_id) if corrects_id else "",
            approval,
            decided_by or "",
            _text(decision_note),
            _amount(original),
            _amount(original + changes),
        ]


def _risk_rows(uow: UnitOfWork, project: Project, request: ExportRequest) -> Iterator[list[str]]:
    from bot.services.risks import level_of  # the risks service imports heavier things

    stamp = _stamp(ZoneInfo(project.timezone))
    start, end = _instants(project, request)
    for row in uow.exports.risks(project.id, start, end):
        (number, title, category, likelihood, impact, score, status, owner, department,
         mitigation, treatment, due_on, review_on, raised_by, created_at, acknowledged_by,
         acknowledged_at, closed_by, closed_at, close_note) = row  # fmt: skip
        yield [
            f"R-{number}",
            _text(title),
            category,
            str(likelihood),
            str(impact),
            str(score),
            level_of(score).value,
            status,
            owner or "",
            _text(department),
            _text(mitigation),
            treatment or "",
            _day(due_on),
            _day(review_on),
            raised_by,
            stamp(created_at),
            acknowledged_by or "",
            stamp(acknowledged_at),
            closed_by or "",
            stamp(closed_at),
            _text(close_note),
        ]


def _instants(project: Project, request: ExportRequest) -> tuple[dt.datetime | None, ...]:
    """The export's days as instants: local midnight of `first`, and of the day after `last`."""
    start = local_midnight(request.first, project.timezone) if request.first else None
    end = (
        local_midnight(request.last + dt.timedelta(days=1), project.timezone)
        if request.last
        else None
    )
    return start, end


def _feedback_rows(
    uow: UnitOfWork, project: Project, request: ExportRequest
) -> Iterator[list[str]]:
    zone = ZoneInfo(project.timezone)
    stamp = _stamp(zone)
    start, end = _instants(project, request)
    rows = list(uow.exports.feedback(project.id, start, end))
    # The results' suppression, applied to who sent anonymous feedback: a sending department
    # with fewer anonymous items than the minimum (or whose count could be worked out from
    # the others) is left blank on them.
    senders = Counter(str(row[3]) for row in rows if row[6])
    hidden = suppress(senders, max(project.anonymity_min, MIN_ANONYMITY))
    for row in rows:
        (id_, created_at, to_department, from_department, rating, comment, anonymous, author,
         status, acknowledged_by, acknowledged_at, reply, replied_by, replied_at) = row  # fmt: skip
        if anonymous and not hidden.shows(str(from_department)):
            from_department = None
        yield [
            str(id_),
            # The day only: for anonymous feedback a time of day could point at its author.
            created_at.astimezone(zone).date().isoformat(),
            _text(to_department),
            _text(from_department),
            str(rating),
            _text(comment),
            _yes_no(anonymous),
            "" if anonymous else (author or ""),
            status,
            acknowledged_by or "",
            stamp(acknowledged_at),
            _text(reply),
            replied_by or "",
            stamp(replied_at),
        ]


def _report_rows(uow: UnitOfWork, project: Project, request: ExportRequest) -> Iterator[list[str]]:
    stamp = _stamp(ZoneInfo(project.timezone))
    for row in uow.exports.reports(project.id, request.first, request.last):
        (department, start, end, status, on_time, summary, next_plan, issues, submitted_by,
         submitted_at, excused_by, excused_at, excuse_reason) = row  # fmt: skip
        yield [
            _text(department),
            _day(start),
            _day(end),
            status,
            _yes_no(on_time),
            _text(summary),
            _text(next_plan),
            _text(issues),
            submitted_by or "",
            stamp(submitted_at),
            excused_by or "",
            stamp(excused_at),
            _text(excuse_reason),
        ]


def _budget_rows(uow: UnitOfWork, project: Project, request: ExportRequest) -> Iterator[list[str]]:
    # The lines as they are now (the dates do not apply); headers as the import template's.
    names = {d.id: d.name for d in uow.projects.departments(project.id)}
    for line in uow.projects.budget_lines(project.id):
        yield [
            _text(line.name),
            line.category,
            _text(names.get(line.department_id) if line.department_id else None),
            _amount(line.allocated),
            project.currency,
            _amount(line.spent),
            _amount(line.changes),
            _amount(line.allocated + line.changes),
            _amount(line.pending),
            _amount(line.pending_changes),
        ]


SHEETS: dict[ExportKind, _Sheet] = {
    ExportKind.FUNDS: _Sheet(
        [
            _("Entry"),
            _("Date"),
            _("Budget line"),
            _("Category"),
            _("Department"),
            _("Amount"),
            _("Currency"),
            _("Purpose"),
            _("Reference"),
            _("Reported by"),
            _("Recorded at"),
            _("Status"),
            _("Voided at"),
            _("Voided by"),
            _("Void reason"),
            _("Corrects entry"),
            # Fund control: only `posted` counts as spent; the line's budget beside it.
            _("Approval"),
            _("Decided by"),
            _("Decision note"),
            _("Line original"),
            _("Line revised"),
        ],
        _fund_rows,
    ),
    ExportKind.RISKS: _Sheet(
        [
            _("Risk"),
            _("Title"),
            _("Category"),
            _("Likelihood"),
            _("Impact"),
            _("Score"),
            _("Level"),
            _("Status"),
            _("Owner"),
            _("Department"),
            _("Mitigation"),
            _("Treatment"),
            _("Due"),
            _("Next review"),
            _("Raised by"),
            _("Raised at"),
            _("Acknowledged by"),
            _("Acknowledged at"),
            _("Closed by"),
            _("Closed at"),
            _("Close note"),
        ],
        _risk_rows,
    ),
    ExportKind.FEEDBACK: _Sheet(
        [
            _("Feedback"),
            _("Date"),
            _("To department"),
            _("From department"),
            _("Rating"),
            _("Comment"),
            _("Anonymous"),
            _("Author"),
            _("Status"),
            _("Acknowledged by"),
            _("Acknowledged at"),
            _("Reply"),
            _("Replied by"),
            _("Replied at"),
        ],
        _feedback_rows,
    ),
    ExportKind.REPORTS: _Sheet(
        [
            _("Department"),
            _("Period start"),
            _("Period end"),
            _("Status"),
            _("On time"),
            _("Summary"),
            _("Next-period plan"),
            _("Issues"),
            _("Submitted by"),
            _("Submitted at"),
            _("Excused by"),
            _("Excused at"),
            _("Excuse reason"),
        ],
        _report_rows,
    ),
    ExportKind.BUDGET: _Sheet(
        [
            _("Budget line"),
            _("Category"),
            _("Department"),
            _("Allocated"),
            _("Currency"),
            _("Spent", context="funds"),
            # Fund control: the allocation after approved change orders, and what waits.
            _("Approved changes"),
            _("Revised"),
            _("Pending approval"),
            _("Pending changes"),
        ],
        _budget_rows,
    ),
}


def check_export(uow: UnitOfWork, *, team_id: str, project_id: int, user_id: str) -> Project:
    """The project, if `user_id` may export it (its PMs only; `PermissionDenied` names them)."""
    project = uow.projects.get(team_id, project_id)
    if project is None:
        raise NotFound(_("That project no longer exists."))
    require_pm(project, user_id)
    return project


def write_export(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    request: ExportRequest,
    tr: Translator,
    path: Path,
) -> int:
    """Write the export as CSV to `path` (header translated with `tr`); the number of data
    rows. PMs only. Reads and writes in batches: memory does not grow with the row count."""
    project = check_export(uow, team_id=team_id, project_id=project_id, user_id=user_id)
    sheet = SHEETS.get(request.kind)
    if sheet is None:
        raise UserError(_("Exporting {kind} is not available yet.", kind=KIND_LABEL[request.kind]))
    count = 0
    with path.open("w", encoding=ENCODING, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([tr(h) for h in sheet.header])
        for row in sheet.rows(uow, project, request):
            writer.writerow(row)
            count += 1
    return count
