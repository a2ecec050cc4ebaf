"""What the report modals and buttons carry between requests (`private_metadata`, values)."""

from __future__ import annotations

from pydantic import BaseModel

from handlers.kit import DmMeta


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
