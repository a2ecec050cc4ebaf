"""Callback and action ids of the report surfaces."""

from __future__ import annotations

from enum import StrEnum


class ReportView(StrEnum):
    """`callback_id` of the report modals."""

    SUBMIT = "report_submit"
    EXCUSE = "report_excuse"


class ReportAction(StrEnum):
    """`action_id` of the report buttons (in the prompt DM and the department picker)."""

    OPEN = "report_open"
    PICK_DEPARTMENT = "report_pick_department"
    SNOOZE_2H = "report_snooze_2h"
    SNOOZE_1D = "report_snooze_1d"
    EXCUSE = "report_excuse_open"
