"""Finding and fixing fund-use entries: the list with its filters and who may void.

Additive to `bot.services.funds`: recording (with its checks at entry, such as a duplicate
reference) and voiding themselves stay there.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from pydantic import BaseModel

from bot.errors import UserError
from bot.i18n import Command, _
from bot.services import funds
from storage.models import FundEntry, Project
from storage.uow import UnitOfWork

PAGE: Final = 10
_DATE: Final = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


class EntryFilter(BaseModel):
    """What `/funds list [line] [from] [to]` asked for; carried by the "more" button."""

    line_id: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class ListedEntry:
    id: int
    spent_on: dt.date
    amount: Decimal
    line_name: str
    purpose: str
    reference: str
    reporter: str
    voided_by: str | None
    void_reason: str | None

    @property
    def voided(self) -> bool:
        return self.voided_by is not None

    @classmethod
    def of(cls, entry: FundEntry, line_name: str) -> ListedEntry:
        return cls(
            entry.id,
            entry.spent_on,
            entry.amount,
            line_name,
            entry.purpose,
            entry.reference,
            entry.reporter,
            entry.voided_by,
            entry.void_reason,
        )


@dataclass(frozen=True)
class EntryPage:
    """One page of entries, newest first; `next_before` is the cursor of the next page
    (None: this is the last)."""

    entries: list[ListedEntry]
    filter: EntryFilter
    line_name: str | None
    can_void: bool
    next_before: tuple[dt.date, int] | None


def can_void(project: Project, user_id: str) -> bool:
    """True for those `funds.void_entry` lets void (the PMs and the finance lead)."""
    return user_id in funds.managers(project)


def _date(word: str) -> dt.date:
    try:
        if not _DATE.match(word):
            raise ValueError(word)
        return dt.date.fromisoformat(
            "-".join(p.zfill(2) if i else p for i, p in enumerate(word.split("-")))
        )
    except ValueError:
        raise UserError(
            _("“{word}” is not a date. Give dates as YYYY-MM-DD, e.g. 2026-11-01.", word=word[:20])
        ) from None


def parse_filter(uow: UnitOfWork, project: Project, words: Sequence[str]) -> EntryFilter:
    """`[line] [from] [to]`: words that look like dates are the range (one date: from it
    on), the rest names a budget line (by its name, a unique part of it, or `#id`).
    Raises `UserError` saying what is wrong (an unknown line, a bad date, from after to)."""
    dates = [_date(w) for w in words if w[:1].isdigit() and "-" in w]
    rest = " ".join(w for w in words if not (w[:1].isdigit() and "-" in w)).strip()
    if len(dates) > 2:
        raise UserError(
            _(
                "Give at most two dates: {command}.",
                command=Command(_("/funds list [line] [from] [to]")),
            )
        )
    start = dates[0] if dates else None
    end = dates[1] if len(dates) > 1 else None
    if start and end and start > end:
        raise UserError(
            _(
                "The first date ({start}) is after the second ({end}).",
                start=start.isoformat(),
                end=end.isoformat(),
            )
        )
    line_id = line_by_name(uow, project, rest) if rest else None
    return EntryFilter(line_id=line_id, start=start, end=end)


def line_by_name(uow: UnitOfWork, project: Project, text: str) -> int:
    """The id of the budget line `text` names (its name, a unique part of it, or `#id`);
    `UserError` listing the lines when none or several match."""
    lines = funds.lines(uow, project.id)
    wanted = text.lstrip("#").casefold()
    exact = [line for line in lines if line.name.casefold() == wanted or str(line.id) == wanted]
    partial = [line for line in lines if wanted in line.name.casefold()]
    found = exact or partial
    if len(found) == 1:
        return found[0].id
    names = ", ".join(line.name for line in (partial if len(partial) > 1 else lines)[:10])
    if not found:
        raise UserError(
            _(
                "No budget line matches “{text}”. The lines are: {names}.",
                text=text[:50],
                names=names or "—",
            )
        )
    raise UserError(
        _("“{text}” matches several budget lines: {names}. Say which.", text=text[:50], names=names)
    )


def list_entries(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    filter: EntryFilter,
    before: tuple[dt.date, int] | None = None,
    limit: int = PAGE,
) -> EntryPage:
    """A page of the project's entries matching `filter`, newest first (voided ones too,
    marked). Only the project's people (`funds.require_member`) may list them."""
    project = funds.member_project(uow, team_id, project_id, user_id)
    rows = uow.funds.entries_page(
        project.id,
        line_id=filter.line_id,
        start=filter.start,
        end=filter.end,
        before=before,
        limit=limit + 1,
    )
    entries = [ListedEntry.of(e, line.name) for e, line in rows[:limit]]
    more = len(rows) > limit and entries
    return EntryPage(
        entries=entries,
        filter=filter,
        line_name=_line_name(uow, project, filter.line_id),
        can_void=can_void(project, user_id),
        next_before=(entries[-1].spent_on, entries[-1].id) if more else None,
    )


def entry_for_void(
    uow: UnitOfWork, *, team_id: str, project_id: int, user_id: str, entry_id: int
) -> ListedEntry:
    """The entry a *Void* button is about, once the caller may void it (checked again when
    the reason is submitted)."""
    project = funds.managed_project(uow, team_id, project_id, user_id, _("void fund-use entries"))
    entry = funds.locked_entry(uow, project, entry_id)
    return ListedEntry.of(entry, _line_name(uow, project, entry.budget_line_id) or "")


def _line_name(uow: UnitOfWork, project: Project, line_id: int | None) -> str | None:
    return next((line.name for line in funds.lines(uow, project.id) if line.id == line_id), None)
