"""Block Kit for fund-use reports: pure functions of service data and a translator."""

from __future__ import annotations

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.i18n import Translator, _
from bot.services.reports import MAX_TEXT, PeriodSummary, ReportCard, ReportField
from handlers import blocks as b
from handlers.reports.ids import OpenValue, ReportAction, ReportValue, ReportView
from handlers.text import esc, period_dates, slack_time, strong

MAX_ENTRIES_SHOWN = 15


def period_span(card: ReportCard | PeriodSummary) -> str:
    """The period as the instants it opens and closes (project-local midnights)."""
    period, timezone = card.period, card.project.timezone
    return f"{slack_time(period.starts_at(timezone), timezone)} – {slack_time(period.ends_at(timezone), timezone)}"


def _entry_line(card: ReportCard, tr: Translator, index: int) -> str:
    entry = card.entries[index]
    ref = f" ({esc(entry.reference)})" if entry.reference else ""
    return (
        f"• {entry.spent_on.isoformat()} · {esc(entry.line_name)} · "
        f"*{tr.money_exact(entry.amount, card.project.currency)}* — {esc(b.clip(entry.purpose, 120))}{ref}"
    )


def _total_line(card: ReportCard, tr: Translator) -> str:
    return tr(
        _("Fund use this period: *{total}* (entries: {n})."),
        total=tr.money_exact(card.total, card.project.currency),
        n=len(card.entries),
    )


def fund_use_blocks(card: ReportCard, tr: Translator) -> list[Block]:
    """The period's fund-use entries of the department and their total."""
    total = _total_line(card, tr)
    if not card.entries:
        return [
            b.section(
                tr(
                    _(
                        "No fund use was recorded for {department} in this period.",
                        department=esc(card.department_name),
                    )
                )
            )
        ]
    lines = [_entry_line(card, tr, i) for i in range(min(len(card.entries), MAX_ENTRIES_SHOWN))]
    hidden = len(card.entries) - len(lines)
    if hidden > 0:
        lines.append(tr(_("…and {n} more not shown here (see `/icrm export funds`).", n=hidden)))
    return [b.section(total), b.section("\n".join(lines))]


def _answer(
    field: ReportField,
    label: str,
    initial: str | None,
    *,
    optional: bool = False,
    hint: str | None = None,
) -> Block:
    """One of the report's written answers, prefilled from the report submitted before."""
    return b.text_input(
        field,
        label,
        initial=initial,
        multiline=True,
        max_length=MAX_TEXT,
        optional=optional,
        hint=hint,
    )


def report_modal(card: ReportCard, tr: Translator, *, metadata: str) -> View:
    """The report modal: the period's fund use, then summary, next-period plan, issues."""
    intro = tr(
        _("*{department}* · {code} · period {dates}"),
        department=strong(card.department_name),
        code=card.project.code,
        dates=period_dates(card.period, tr),
    )
    items: list[Block] = [b.section(intro)]
    if card.status == "submitted" and card.submitted_by:
        items.append(
            b.context(
                tr(
                    _("Submitted by {user}. Submitting again updates the report."),
                    user=f"<@{card.submitted_by}>",
                )
            )
        )
    items += fund_use_blocks(card, tr)
    items += [
        b.divider(),
        _answer(
            ReportField.SUMMARY,
            tr(_("Summary of fund use")),
            card.summary,
            hint=tr(_("What the money went to and how it compares with the plan.")),
        ),
        _answer(ReportField.NEXT_PLAN, tr(_("Plan for the next period")), card.next_plan),
        _answer(ReportField.ISSUES, tr(_("Issues and help needed")), card.issues, optional=True),
    ]
    return b.form_modal(
        ReportView.SUBMIT,
        tr(_("Fund-use report")),
        items,
        tr,
        submit=tr(_("Submit")),
        metadata=metadata,
    )


def excuse_modal(card: ReportCard, tr: Translator, *, metadata: str) -> View:
    intro = tr(
        _("Excuse *{department}* from the fund-use report of {dates}?"),
        department=strong(card.department_name),
        dates=period_dates(card.period, tr),
    )
    return b.reason_modal(
        ReportView.EXCUSE,
        tr(_("Excuse this period")),
        intro,
        b.reason_input(
            ReportField.REASON,
            tr(_("Reason")),
            max_length=MAX_TEXT,
            hint=tr(_("The PMs and the command channel summary will see it.")),
        ),
        tr,
        submit=tr(_("Excuse")),
        metadata=metadata,
    )


def department_picker(
    project_id: int, departments: list[tuple[int, str]], tr: Translator
) -> tuple[str, list[Block]]:
    """An ephemeral question: which of the departments you lead is this report for?"""
    text = tr(_("You lead several departments. Which one is this report for?"))
    buttons = [
        b.button(
            name,
            b.indexed(ReportAction.PICK_DEPARTMENT, i),
            OpenValue(p=project_id, d=d).model_dump_json(),
        )
        for i, (d, name) in enumerate(departments)
    ]
    return text, [b.section(text), b.actions(*buttons)]


def _state_line(card: ReportCard, tr: Translator) -> str | None:
    if card.status == "submitted" and card.submitted_at:
        return tr(
            _("✅ Submitted by {user} on {time}."),
            user=f"<@{card.submitted_by}>",
            time=slack_time(card.submitted_at, card.project.timezone),
        )
    if card.status == "excused":
        return tr(
            _("Excused by {user}: {reason}"),
            user=f"<@{card.excused_by}>",
            reason=esc(b.clip(card.excuse_reason or "", 500)),
        )
    if card.status == "late":
        return tr(_("⚠️ This report is late. You can still submit it."))
    if card.snoozed_until:
        return tr(
            _("⏰ OK, I will remind you after {time}."),
            time=slack_time(card.snoozed_until, card.project.timezone),
        )
    return None


def prompt_message(
    card: ReportCard, tr: Translator, *, nudge: bool = False
) -> tuple[str, list[Block]]:
    """The DM asking a department lead for the period's report (also the nudge, and the
    same message after a button press: `card.status` and `snoozed_until` decide the rest)."""
    text = tr(
        _("Reminder: the fund-use report of *{department}* ({code}) is still pending.")
        if nudge
        else _("Time for the fortnightly fund-use report of *{department}* ({code})."),
        department=strong(card.department_name),
        code=card.project.code,
    )
    details = tr(
        _("Period: {span}\nDue: {due}"),
        span=period_span(card),
        due=slack_time(card.due_at, card.project.timezone),
    )
    total = _total_line(card, tr)
    items: list[Block] = [b.section(text), b.section(f"{details}\n{total}")]
    state = _state_line(card, tr)
    if state:
        items.append(b.context(state))
    if card.status in (None, "pending", "late"):
        report = ReportValue(r=card.report_id or 0).model_dump_json()
        opener = OpenValue(p=card.project.id, d=card.department_id, k=card.period.key)
        buttons = [
            b.button(
                tr(_("Submit report")), ReportAction.OPEN, opener.model_dump_json(), style="primary"
            ),
        ]
        if card.report_id is not None:
            if card.status != "late":
                buttons += [
                    b.button(tr(_("Answer in 2 hours")), ReportAction.SNOOZE_2H, report),
                    b.button(tr(_("Answer tomorrow")), ReportAction.SNOOZE_1D, report),
                ]
            buttons.append(b.button(tr(_("Excuse with a reason")), ReportAction.EXCUSE, report))
        items.append(b.actions(*buttons, block_id="report_prompt"))
    return text, items


def _row(card: ReportCard, tr: Translator) -> str:
    lead = f"<@{card.lead_user_id}>" if card.lead_user_id else "—"
    money = tr.money(card.total, card.project.currency)
    if card.status == "submitted":
        late = "" if card.on_time else " " + tr(_("(late)"))
        return f"• *{strong(card.department_name)}* — {lead} · {money}{late}"
    if card.status == "excused":
        reason = esc(b.clip(card.excuse_reason or "", 200))
        return f"• *{strong(card.department_name)}* — {lead}: {reason}"
    return f"• *{strong(card.department_name)}* — {lead}"


def summary_message(summary: PeriodSummary, tr: Translator) -> tuple[str, list[Block]]:
    """The command-channel summary of a closed period: submitted / missing / excused."""
    text = tr(
        _(
            "Fund-use reports of {code} for {dates}: {submitted} submitted, {missing} missing, {excused} excused."
        ),
        code=summary.project.code,
        dates=period_dates(summary.period, tr),
        submitted=len(summary.submitted),
        missing=len(summary.missing),
        excused=len(summary.excused),
    )
    items: list[Block] = [
        b.header(tr(_("Fortnightly fund-use reports"))),
        b.section(text),
        b.context(tr(_("Period: {span}"), span=period_span(summary))),
    ]
    for title, cards in (
        (_("Submitted"), summary.submitted),
        (_("Missing"), summary.missing),
        (_("Excused"), summary.excused),
    ):
        if cards:
            rows = "\n".join(_row(c, tr) for c in cards)
            items.append(b.section(f"*{tr(title)}*\n{rows}"))
    if summary.missing:
        items.append(
            b.context(tr(_("Leads who are missing can still submit with `/funds report`.")))
        )
    return text, items
