"""Fortnightly fund-use reports (资金使用报告): who reports, what they submit, and the
bookkeeping of each period the clock relies on (prompts, nudges, the summary, timeliness).

A report belongs to a department and a 14-day period (`bot.periods`); only the
department's lead submits it. Every change writes the audit log in its transaction.

The package: `cards` (the form, what callers get back), `who` (periods, who reports),
`reading`, `writing` (submit, snooze, excuse) and `clock` (what the jobs call).
"""

from bot.services.reports.cards import (
    MAX_TEXT,
    OWED,
    SNOOZE_HOURS,
    SYSTEM,
    PeriodSummary,
    ReportCard,
    ReportField,
    Timeliness,
)
from bot.services.reports.clock import (
    close_period,
    due_for_nudge,
    open_period,
    timeliness,
    was_opened,
)
from bot.services.reports.reading import (
    card_of,
    open_report,
    stored,
    stored_card,
)
from bot.services.reports.who import (
    current_period,
    departments_to_report,
    due_at,
    period_to_report,
)
from bot.services.reports.writing import (
    excuse,
    snooze,
    submit_report,
    validate_form,
)

__all__ = [
    "MAX_TEXT",
    "OWED",
    "SNOOZE_HOURS",
    "SYSTEM",
    "PeriodSummary",
    "ReportCard",
    "ReportField",
    "Timeliness",
    "card_of",
    "close_period",
    "current_period",
    "departments_to_report",
    "due_at",
    "due_for_nudge",
    "excuse",
    "open_period",
    "open_report",
    "period_to_report",
    "snooze",
    "stored",
    "stored_card",
    "submit_report",
    "timeliness",
    "validate_form",
    "was_opened",
]
