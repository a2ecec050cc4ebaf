"""The project header the renderer tests build their cards with."""

from __future__ import annotations

from dataclasses import replace

from bot.services.project_header import ProjectHeader

HEADER = ProjectHeader(
    id=1,
    code="HWY-42",
    name="Highway",
    channel_id="CPROJ",
    locale="en",
    timezone="Asia/Shanghai",
    currency="CNY",
)


def header(**changes: object) -> ProjectHeader:
    """`HEADER` with some fields changed (the locale, mostly)."""
    return replace(HEADER, **changes)
