"""Stored months: computing one once, reading it back, the trend, and posting it once."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.errors import UserError
from bot.i18n import _
from bot.scoring import Component
from bot.services.project_rows import audit_in
from bot.services.projects import get_project, project_by_id, require_pm
from bot.services.scorecard.measuring import score_lines
from bot.services.scorecard.months import (
    is_over,
    last_month,
    local_month,
    month_key,
)
from bot.services.scorecard.values import (
    HISTORY_MONTHS,
    SYSTEM,
    Line,
    Measured,
    MonthNotOver,
    Scorecard,
    Trend,
)
from bot.services.scorecard.weights import weights
from storage.models import Project, ScorecardEntry, ScorecardMonth
from storage.uow import UnitOfWork


def _stored(uow: UnitOfWork, project: Project, row: ScorecardMonth) -> Scorecard:
    entries = uow.scorecards.entries(project.id, [row.month])
    lines = [
        Line(
            e.department_id,
            e.department_name,
            {c: getattr(e, c.value) for c in Component},
            e.composite,
            e.rank,
            e.change,
            Measured.kept_in(e),
        )
        for e in entries
    ]
    lines.sort(key=lambda x: (x.rank is None, x.rank or 0, x.department_id))
    weighting = {c: int(row.weights.get(c.value, 0)) for c in Component}
    return Scorecard(
        project.id,
        project.code,
        project.name,
        row.month,
        weighting,
        lines,
        stored=True,
        computed_at=row.computed_at,
        posted_at=row.posted_at,
    )


def _entry(project_id: int, month: dt.date, line: Line) -> ScorecardEntry:
    return ScorecardEntry(
        project_id=project_id,
        month=month,
        department_id=line.department_id,
        department_name=line.name,
        **{c.value: line.scores[c] for c in Component},
        composite=line.composite,
        rank=line.rank,
        change=line.change,
        **asdict(line.measured),  # the entry's columns are named as Measured's fields
    )


def _summary(card: Scorecard) -> dict[str, Any]:
    return {
        "month": card.key,
        "weights": {c.value: w for c, w in card.weights.items()},
        "departments": [
            {
                "department": line.name,
                "composite": None if line.composite is None else str(line.composite),
                "rank": line.rank,
            }
            for line in card.lines
        ],
    }


def _save(
    uow: UnitOfWork,
    card: Scorecard,
    row: ScorecardMonth | None,
    *,
    now: dt.datetime,
    actor: str,
) -> ScorecardMonth:
    """Stage `card` as the month's snapshot: a new row, or `row` with its entries replaced."""
    if row is None:
        row = ScorecardMonth(project_id=card.project_id, month=card.month)
        uow.scorecards.add(row)
    else:
        uow.scorecards.delete_entries(card.project_id, card.month)
    row.weights = {c.value: w for c, w in card.weights.items()}
    row.computed_at = now
    row.computed_by = actor
    for line in card.lines:
        uow.scorecards.add(_entry(card.project_id, card.month, line))
    return row


def compute_month(
    uow: UnitOfWork,
    project_id: int,
    year: int,
    month: int,
    *,
    now: dt.datetime,
    actor: str = SYSTEM,
    recompute: bool = False,
) -> Scorecard:
    """The stored scorecard of a month that is over, computing and storing it (and auditing
    `scorecard.computed`) the first time. A month already stored comes back unchanged unless
    `recompute` (the caller checks that a PM asked): then it is measured again and replaced
    (`scorecard.recomputed`, with the composites before and after). A month without any data
    comes back with `stored=False`. `MonthNotOver` for the current month or a later one."""
    project = project_by_id(uow, project_id)
    first = dt.date(year, month, 1)
    if not is_over(first, now, project.timezone):
        raise MonthNotOver(
            _("{month} is not over yet in the project's time zone.", month=month_key(first))
        )
    row = uow.scorecards.month(project.id, first)
    if row is not None and not recompute:
        return _stored(uow, project, row)
    fresh = _scored(uow, project, first)
    if not fresh.has_data:
        return fresh
    before = _summary(_stored(uow, project, row)) if row is not None else None
    row = _save(uow, fresh, row, now=now, actor=actor)
    action = "recomputed" if before is not None else "computed"
    audit_in(
        uow, project, actor, action, "scorecard", month_key(first), before, _summary(fresh), at=now
    )
    try:
        uow.commit()
    except IntegrityError:
        # Someone stored the same month a moment ago: theirs is the snapshot.
        uow.rollback()
        stored = uow.scorecards.month(project.id, first)
        if stored is None:
            raise
        return _stored(uow, project, stored)
    return _stored(uow, project, row)


def _scored(
    uow: UnitOfWork, project: Project, month: dt.date, *, provisional: bool = False
) -> Scorecard:
    """`month` measured now and scored with the current weights, not stored."""
    weighting = weights(uow, project.id)
    lines = score_lines(uow, project, month, weighting, provisional=provisional)
    return Scorecard(
        project.id,
        project.code,
        project.name,
        month,
        weighting,
        lines,
        stored=False,
        provisional=provisional,
    )


def provisional(uow: UnitOfWork, project_id: int, month: dt.date) -> Scorecard:
    """The month so far, scored with the current weights; never stored."""
    return _scored(uow, project_by_id(uow, project_id), month, provisional=True)


def show(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    month: dt.date | None,
    now: dt.datetime,
    recompute: bool = False,
) -> Scorecard:
    """What `/icrm scorecard [YYYY-MM] [recompute]` shows: `month` (default: last month in
    project time) — the stored snapshot, computed now if the month is over and not stored yet,
    or a provisional view of the current month. Recomputing is for PMs and finished months."""
    project = get_project(uow, team_id, project_id)
    wanted = month or last_month(now, project.timezone)
    current = local_month(now, project.timezone)
    if wanted > current:
        raise UserError(_("{month} has not started yet.", month=month_key(wanted)))
    if recompute:
        require_pm(project, user_id)
    if wanted == current:
        if recompute:
            raise MonthNotOver(
                _(
                    "{month} is not over yet: there is nothing stored to recompute.",
                    month=month_key(wanted),
                )
            )
        return provisional(uow, project.id, wanted)
    return compute_month(
        uow, project.id, wanted.year, wanted.month, now=now, actor=user_id, recompute=recompute
    )


def trend(uow: UnitOfWork, project_id: int, last: dt.date) -> Trend:
    """Stored composites per department over the newest `HISTORY_MONTHS` months up to `last`,
    for departments scored at least once; each under its name in the latest of those months."""
    months = uow.scorecards.months_until(project_id, last, HISTORY_MONTHS)
    keys = [month_key(m) for m in months]
    values: dict[int, dict[str, float | None]] = {}
    names: dict[int, str] = {}
    for entry in uow.scorecards.entries(project_id, months):
        key = month_key(entry.month)
        values.setdefault(entry.department_id, {})[key] = (
            None if entry.composite is None else float(entry.composite)
        )
        names[entry.department_id] = entry.department_name
    series = {  # departments never scored would only add empty legend entries
        names[d]: [(k, points.get(k)) for k in keys]
        for d, points in sorted(values.items())
        if any(v is not None for v in points.values())
    }
    return Trend(keys, series)


def claim_post(uow: UnitOfWork, card: Scorecard, now: dt.datetime) -> bool:
    """Record that a stored month is being posted to the command channel; False when it was
    already (so a second run, a second clock or a retry never posts twice). Commits."""
    row = uow.scorecards.month(card.project_id, card.month)
    if row is None:
        return False
    claimed = uow.scorecards.claim_post(row.id, now)
    uow.commit()
    return claimed


def release_post(uow: UnitOfWork, card: Scorecard) -> None:
    """Undo `claim_post` after a post that did not go out, so the next run tries again."""
    row = uow.scorecards.month(card.project_id, card.month)
    if row is not None:
        uow.scorecards.release_post(row.id)
        uow.commit()
