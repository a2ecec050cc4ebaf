"""Callback and action ids of the report surfaces, and what their buttons and modals carry
between requests (`private_metadata`, button values)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel

from handlers.kit import DmMeta


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


class ReportMeta(DmMeta):
    """The report modal's `private_metadata`; the DM is the prompt, the locale the project's."""

    project_id: int
    department_id: int
    period_key: str
    channel_id: str | None = None  # where the modal was opened, to confirm there


class ExcuseMeta(DmMeta):
    """The excuse modal's `private_metadata`."""

    report_id: int


class OpenValue(BaseModel):
    """A button that opens the report modal; no `period_key` means the period owed now."""

    p: int
    d: int
    k: str | None = None


class ReportValue(BaseModel):
    """A button about a stored report."""

    r: int
