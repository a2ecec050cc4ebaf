"""What the report modals and buttons carry between requests (`private_metadata`, values)."""

from __future__ import annotations

from pydantic import BaseModel


class ReportMeta(BaseModel):
    """The report modal's `private_metadata`."""

    project_id: int
    department_id: int
    period_key: str
    channel_id: str | None = None  # where the modal was opened, to confirm there
    dm_channel: str | None = None  # the prompt DM to update once submitted
    dm_ts: str | None = None
    locale: str = "en"  # the project's, for field errors


class ExcuseMeta(BaseModel):
    """The excuse modal's `private_metadata`."""

    report_id: int
    dm_channel: str | None = None
    dm_ts: str | None = None
    locale: str = "en"


class OpenValue(BaseModel):
    """A button that opens the report modal; no `period_key` means the period owed now."""

    p: int
    d: int
    k: str | None = None


class ReportValue(BaseModel):
    """A button about a stored report."""

    r: int
