"""The monthly department scorecard (月度评估): gather each department's month, score it with
`bot.scoring` (the only place of that arithmetic) and keep the result as a snapshot.

What callers may rely on:
- a month is stored once, when it is over (project time), as one `ScorecardMonth` row and one
  `ScorecardEntry` per department; reading it again returns the stored numbers unchanged, so
  history does not shift when late data arrives. Only a PM's explicit recompute replaces it;
- a month in which no department has any data is not stored (there is nothing to compare);
- "change" is against the stored composite of the month before (none when that month was
  never stored);
- a month not over yet can be looked at provisionally: computed the same way, never stored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from bot import scoring
from bot.errors import NotFound, UserError
from bot.i18n import _
from bot.scoring import DEFAULT_WEIGHTS, Component
from bot.services import feedback, reports, risks, surveys
from bot.services.projects import require_pm
from bot.services.suppression import MIN_ANONYMITY
from storage.models import Project, ScorecardEntry, ScorecardMonth, ScorecardWeights
from storage.uow import UnitOfWork

HISTORY_MONTHS: Final = 12
WEIGHT_MAX: Final = 10
Q2: Final = Decimal("0.01")
SYSTEM: Final = "system"
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
NEVER: Final = 2**31  # a group no month reaches: anonymous feedback waits for the month's end


# -- values ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    """The raw inputs behind one department's scores, as they were when measured."""

    feedback_count: int = 0
    feedback_mean: Decimal | None = None  # 1–5
    feedback_acknowledged: int = 0
    survey_csat: Decimal | None = None  # % of 4–5 ratings; None: no or too few respondents
    survey_csat_respondents: int = 0
    survey_nps: Decimal | None = None  # −100…100
    survey_nps_respondents: int = 0
    reports_due: int = 0
    reports_on_time: int = 0
    ack_median_hours: Decimal | None = None

    def inputs(self) -> scoring.Inputs:
        """What `bot.scoring` takes, derived from the raw counts."""
        count = self.feedback_count
        return scoring.Inputs(
            feedback_mean=self.feedback_mean if count else None,
            feedback_count=count,
            survey_csat=self.survey_csat,
            nps=self.survey_nps,
            on_time_percent=(
                _q(Decimal(self.reports_on_time) * 100 / self.reports_due)
                if self.reports_due
                else None
            ),
            ack_median_hours=self.ack_median_hours,
            ack_rate_percent=(
                _q(Decimal(self.feedback_acknowledged) * 100 / count) if count else None
            ),
        )


@dataclass(frozen=True)
class Line:
    """One department's line of a scorecard."""

    department_id: int
    name: str
    scores: Mapping[Component, Decimal | None]
    composite: Decimal | None
    rank: int | None
    change: Decimal | None
    measured: Measured


@dataclass(frozen=True)
class Scorecard:
    """A month's scorecard: stored (a snapshot) or provisional (the month is not over)."""

    project_id: int
    code: str
    name: str
    month: dt.date  # the first day
    weights: Mapping[Component, int]
    lines: Sequence[Line]
    stored: bool
    provisional: bool = False
    computed_at: dt.datetime | None = None
    posted_at: dt.datetime | None = None

    @property
    def key(self) -> str:
        return month_key(self.month)

    @property
    def has_data(self) -> bool:
        return any(line.composite is not None for line in self.lines)


@dataclass(frozen=True)
class Trend:
    """Composite per department over stored months (oldest first), for the chart."""

    months: Sequence[str]  # "2026-11"
    series: Mapping[str, Sequence[tuple[str, float | None]]] = field(default_factory=dict)


class MonthNotOver(UserError):
    """The month has not ended yet in the project's timezone: it cannot be stored."""


# -- months ---------------------------------------------------------------------------


def month_key(month: dt.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def parse_month(text: str) -> dt.date:
    """`YYYY-MM` → the month's first day; `UserError` with the format otherwise."""
    found = _MONTH.match(text.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        raise UserError(
            _(
                "“{text}” is not a month. Use YYYY-MM, like `/icrm scorecard 2026-10`.",
                text=text.strip()[:20],
            )
        )
    return dt.date(int(found.group(1)), int(found.group(2)), 1)


def previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def local_month(now: dt.datetime, timezone: str) -> dt.date:
    """The month `now` falls in, in `timezone`."""
    return now.astimezone(ZoneInfo(timezone)).date().replace(day=1)


def last_month(now: dt.datetime, timezone: str) -> dt.date:
    """The month before the one `now` falls in, in `timezone`: the latest month that is over."""
    return previous_month(local_month(now, timezone))


def is_over(month: dt.date, now: dt.datetime, timezone: str) -> bool:
    return month < local_month(now, timezone)


# -- weights --------------------------------------------------------------------------


def weights(uow: UnitOfWork, project_id: int) -> dict[Component, int]:
    """The project's weights per component (all 1 until a PM sets them)."""
    row = uow.scorecards.weights(project_id)
    if row is None:
        return dict(DEFAULT_WEIGHTS)
    return {c: int(getattr(row, c.value)) for c in Component}


def set_weights(
    uow: UnitOfWork, project_id: int, values: Mapping[Component, int], *, now: dt.datetime
) -> None:
    """Store the weights (validated by the caller: 0–10 each, at least one above 0). The
    caller audits and commits."""
    row = uow.scorecards.weights(project_id)
    if row is None:
        row = ScorecardWeights(project_id=project_id)
        uow.scorecards.add(row)
    for component in Component:
        setattr(row, component.value, int(values[component]))
    row.updated_at = now


# -- computing ------------------------------------------------------------------------


def _q(value: Decimal) -> Decimal:
    return value.quantize(Q2)


def _float(value: float | None) -> Decimal | None:
    return None if value is None else _q(Decimal(str(value)))


def minimum_group(project: Project) -> int:
    """The fewest people a figure from ratings may describe in this project."""
    return max(project.anonymity_min, MIN_ANONYMITY)


def measure(
    uow: UnitOfWork, project: Project, month: dt.date, *, provisional: bool = False
) -> dict[int, Measured]:
    """Every department's inputs for `month`, from the domains' own services, under the
    anonymity rules (README, "Figures that could be subtracted"): anonymous feedback counts only as a group of at
    least the minimum, and not at all in a provisional month (a month-so-far view can be
    looked at day after day, and the difference between two looks would be the newcomers);
    survey figures pool only surveys whose own figure for the department was publishable."""
    ratings = feedback.monthly_ratings(
        uow,
        project_id=project.id,
        year=month.year,
        month=month.month,
        anonymous_minimum=NEVER if provisional else minimum_group(project),
    )
    survey = {
        s.department_id: s
        for s in surveys.department_scores(uow, project_id=project.id, month=month)
    }
    due = reports.timeliness(uow, project_id=project.id, month=month)
    hours = risks.median_ack_hours(
        uow, project_id=project.id, year=month.year, month=month.month, timezone=project.timezone
    )
    measured = {}
    for department in uow.projects.departments(project.id):
        rating = ratings.get(department.id)
        score = survey.get(department.id)
        timely = due.get(department.id)
        csat = score.csat if score is not None else None
        measured[department.id] = Measured(
            feedback_count=rating.count if rating else 0,
            feedback_mean=rating.mean if rating else None,
            feedback_acknowledged=rating.acknowledged if rating else 0,
            survey_csat=_q(Decimal(str(csat)) * 100) if csat is not None else None,
            survey_csat_respondents=score.csat_respondents if score else 0,
            survey_nps=_float(score.nps) if score else None,
            survey_nps_respondents=score.nps_respondents if score else 0,
            reports_due=timely.expected if timely else 0,
            reports_on_time=timely.on_time if timely else 0,
            ack_median_hours=_float(hours.get(department.id)),
        )
    return measured


def _score(
    uow: UnitOfWork,
    project: Project,
    month: dt.date,
    weighting: Mapping[Component, int],
    *,
    provisional: bool = False,
) -> list[Line]:
    measured = measure(uow, project, month, provisional=provisional)
    names = {d.id: d.name for d in uow.projects.departments(project.id)}
    before = uow.scorecards.composites(project.id, previous_month(month))
    rows = scoring.scorecard({k: m.inputs() for k, m in measured.items()}, weighting, before)
    return [
        Line(
            r.department_id,
            names[r.department_id],
            r.scores,
            r.composite,
            r.rank,
            r.change,
            measured[r.department_id],
        )
        for r in rows
    ]


def _project(uow: UnitOfWork, project_id: int) -> Project:
    project = uow.session.get(Project, project_id)
    if project is None:
        raise NotFound(_("That project no longer exists."))
    return project


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
            Measured(
                feedback_count=e.feedback_count,
                feedback_mean=e.feedback_mean,
                feedback_acknowledged=e.feedback_acknowledged,
                survey_csat=e.survey_csat,
                survey_csat_respondents=e.survey_csat_respondents,
                survey_nps=e.survey_nps,
                survey_nps_respondents=e.survey_nps_respondents,
                reports_due=e.reports_due,
                reports_on_time=e.reports_on_time,
                ack_median_hours=e.ack_median_hours,
            ),
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
    m = line.measured
    return ScorecardEntry(
        project_id=project_id,
        month=month,
        department_id=line.department_id,
        department_name=line.name,
        **{c.value: line.scores[c] for c in Component},
        composite=line.composite,
        rank=line.rank,
        change=line.change,
        feedback_count=m.feedback_count,
        feedback_mean=m.feedback_mean,
        feedback_acknowledged=m.feedback_acknowledged,
        survey_csat=m.survey_csat,
        survey_csat_respondents=m.survey_csat_respondents,
        survey_nps=m.survey_nps,
        survey_nps_respondents=m.survey_nps_respondents,
        reports_due=m.reports_due,
        reports_on_time=m.reports_on_time,
        ack_median_hours=m.ack_median_hours,
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
    project = _project(uow, project_id)
    first = dt.date(year, month, 1)
    if not is_over(first, now, project.timezone):
        raise MonthNotOver(
            _("{month} is not over yet in the project's time zone.", month=month_key(first))
        )
    row = uow.scorecards.month(project.id, first)
    if row is not None and not recompute:
        return _stored(uow, project, row)
    weighting = weights(uow, project.id)
    lines = _score(uow, project, first, weighting)
    fresh = Scorecard(project.id, project.code, project.name, first, weighting, lines, stored=False)
    if not fresh.has_data:
        return fresh
    before = _summary(_stored(uow, project, row)) if row is not None else None
    if row is None:
        row = ScorecardMonth(project_id=project.id, month=first)
        uow.scorecards.add(row)
    else:
        uow.scorecards.delete_entries(project.id, first)
    row.weights = {c.value: w for c, w in weighting.items()}
    row.computed_at = now
    row.computed_by = actor
    for line in lines:
        uow.scorecards.add(_entry(project.id, first, line))
    uow.audit(
        team_id=project.team_id,
        project_id=project.id,
        actor=actor,
        action="recomputed" if before is not None else "computed",
        entity="scorecard",
        entity_id=month_key(first),
        before=before,
        after=_summary(fresh),
        at=now,
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


def provisional(uow: UnitOfWork, project_id: int, month: dt.date) -> Scorecard:
    """The month so far, scored with the current weights; never stored."""
    project = _project(uow, project_id)
    weighting = weights(uow, project.id)
    lines = _score(uow, project, month, weighting, provisional=True)
    return Scorecard(
        project.id,
        project.code,
        project.name,
        month,
        weighting,
        lines,
        stored=False,
        provisional=True,
    )


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
    project = uow.projects.get(team_id, project_id)
    if project is None:
        raise NotFound(_("That project no longer exists."))
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
