"""The columns of each export and the rows that fill them, read in batches."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.i18n import Msg, _
from bot.services.export.cells import cell_amount, cell_day, cell_text, instants, stamper, yes_no
from bot.services.export.request import ExportKind, ExportRequest
from bot.services.suppression import minimum_group, suppress
from storage.models import Project
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Sheet:
    header: list[Msg]
    rows: Callable[[UnitOfWork, Project, ExportRequest], Iterable[list[str]]]


def _fund_rows(uow: UnitOfWork, project: Project, request: ExportRequest) -> Iterator[list[str]]:
    stamp = stamper(ZoneInfo(project.timezone))
    for row in uow.exports.fund_entries(project.id, request.first, request.last):
        (id_, spent_on, line, category, department, amount, purpose, reference, reporter,
         created_at, voided_at, voided_by, void_reason, corrects_id, approval, decided_by,
         decision_note, original, changes) = row  # fmt: skip
        yield [
            str(id_),
            cell_day(spent_on),
            cell_text(line),
            category,
            cell_text(department),
            cell_amount(amount),
            project.currency,
            cell_text(purpose),
            cell_text(reference),
            reporter,
            stamp(created_at),
            "voided" if voided_at else "valid",
            stamp(voided_at),
            voided_by or "",
            cell_text(void_reason),
            str(corrects_id) if corrects_id else "",
            approval,
            decided_by or "",
            cell_text(decision_note),
            cell_amount(original),
            cell_amount(original + changes),
        ]


def _risk_rows(uow: UnitOfWork, project: Project, request: ExportRequest) -> Iterator[list[str]]:
    from bot.services.risks import level_of  # the risks service imports heavier things

    stamp = stamper(ZoneInfo(project.timezone))
    start, end = instants(project, request)
    for row in uow.exports.risks(project.id, start, end):
        (number, title, category, likelihood, impact, score, status, owner, department,
         mitigation, treatment, due_on, review_on, raised_by, created_at, acknowledged_by,
         acknowledged_at, closed_by, closed_at, close_note) = row  # fmt: skip
        yield [
            f"R-{number}",
            cell_text(title),
            category,
            str(likelihood),
            str(impact),
            str(score),
            level_of(score).value,
            status,
            owner or "",
            cell_text(department),
            cell_text(mitigation),
            treatment or "",
            cell_day(due_on),
            cell_day(review_on),
            raised_by,
            stamp(created_at),
            acknowledged_by or "",
            stamp(acknowledged_at),
            closed_by or "",
            stamp(closed_at),
            cell_text(close_note),
        ]


def _feedback_rows(
    uow: UnitOfWork, project: Project, request: ExportRequest
) -> Iterator[list[str]]:
    zone = ZoneInfo(project.timezone)
    stamp = stamper(zone)
    start, end = instants(project, request)
    rows = list(uow.exports.feedback(project.id, start, end))
    # The results' suppression, applied to who sent anonymous feedback: a sending department
    # with fewer anonymous items than the minimum (or whose count could be worked out from
    # the others) is left blank on them.
    senders = Counter(str(row[3]) for row in rows if row[6])
    hidden = suppress(senders, minimum_group(project))
    for row in rows:
        (id_, created_at, to_department, from_department, rating, comment, anonymous, author,
         status, acknowledged_by, acknowledged_at, reply, replied_by, replied_at) = row  # fmt: skip
        if anonymous and not hidden.shows(str(from_department)):
            from_department = None
        yield [
            str(id_),
            # The day only: for anonymous feedback a time of day could point at its author.
            created_at.astimezone(zone).date().isoformat(),
            cell_text(to_department),
            cell_text(from_department),
            str(rating),
            cell_text(comment),
            yes_no(anonymous),
            "" if anonymous else (author or ""),
            status,
            acknowledged_by or "",
            stamp(acknowledged_at),
            cell_text(reply),
            replied_by or "",
            stamp(replied_at),
        ]


def _report_rows(uow: UnitOfWork, project: Project, request: ExportRequest) -> Iterator[list[str]]:
    stamp = stamper(ZoneInfo(project.timezone))
    for row in uow.exports.reports(project.id, request.first, request.last):
        (department, start, end, status, on_time, summary, next_plan, issues, submitted_by,
         submitted_at, excused_by, excused_at, excuse_reason) = row  # fmt: skip
        yield [
            cell_text(department),
            cell_day(start),
            cell_day(end),
            status,
            yes_no(on_time),
            cell_text(summary),
            cell_text(next_plan),
            cell_text(issues),
            submitted_by or "",
            stamp(submitted_at),
            excused_by or "",
            stamp(excused_at),
            cell_text(excuse_reason),
        ]


def _budget_rows(uow: UnitOfWork, project: Project, request: ExportRequest) -> Iterator[list[str]]:
    # The lines as they are now (the dates do not apply); headers as the import template's.
    names = uow.projects.department_names(project.id)
    for line in uow.funds.lines(project.id):
        yield [
            cell_text(line.name),
            line.category,
            cell_text(names.get(line.department_id) if line.department_id else None),
            cell_amount(line.allocated),
            project.currency,
            cell_amount(line.spent),
            cell_amount(line.changes),
            cell_amount(line.allocated + line.changes),
            cell_amount(line.pending),
            cell_amount(line.pending_changes),
        ]


SHEETS: dict[ExportKind, Sheet] = {
    ExportKind.FUNDS: Sheet(
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
    ExportKind.RISKS: Sheet(
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
    ExportKind.FEEDBACK: Sheet(
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
    ExportKind.REPORTS: Sheet(
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
    ExportKind.BUDGET: Sheet(
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
