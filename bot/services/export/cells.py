"""How values are written into cells: safe text, exact amounts, ISO dates and local times."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Final
from zoneinfo import ZoneInfo

from bot.periods import day_ends_at, local_midnight
from bot.services.export.request import ExportRequest
from storage.models import Project

ENCODING: Final = "utf-8-sig"  # UTF-8 with a BOM


# A cell starting with one of these is read by spreadsheets as a formula (CSV injection).
_FORMULA = re.compile(r"^[=+\-@\t\r]")


def cell_text(value: str | None) -> str:
    if not value:
        return ""
    return "'" + value if _FORMULA.match(value) else value


def cell_amount(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def cell_day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def stamper(zone: ZoneInfo) -> Callable[[dt.datetime | None], str]:
    def stamp(value: dt.datetime | None) -> str:
        return value.astimezone(zone).isoformat(timespec="seconds") if value else ""

    return stamp


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def instants(project: Project, request: ExportRequest) -> tuple[dt.datetime | None, ...]:
    """The export's days as instants: local midnight of `first`, and of the day after `last`."""
    start = local_midnight(request.first, project.timezone) if request.first else None
    end = day_ends_at(request.last, project.timezone) if request.last else None
    return start, end
