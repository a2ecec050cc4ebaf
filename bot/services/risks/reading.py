"""Finding and listing risks, and what the clock, the agenda and the scorecard read."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from bot.errors import UserError, found
from bot.i18n import Command, _
from bot.periods import month_bounds
from bot.periods import today_in as today_in  # re-exported for handlers and jobs
from bot.services.risks.cards import HIGH_SCORE, NOT_CLOSED, RiskCard, to_card
from bot.services.risks.changes import load_risk
from storage.uow import UnitOfWork

_NUMBER: Final = re.compile(r"^(?:R-?)?(\d{1,9})$", re.IGNORECASE)


def parse_number(text: str) -> int:
    """`R-12`, `r12` or `12` → 12; anything else is a `UserError` saying what to type."""
    match = _NUMBER.match(text.strip())
    if match is None or int(match.group(1)) == 0:
        raise UserError(
            _(
                "“{text}” is not a risk number. Use the form R-12 (see {command}).",
                text=text[:30],
                command=Command("/risk list"),
            )
        )
    return int(match.group(1))


def find(uow: UnitOfWork, *, project_id: int, number: int) -> RiskCard:
    """The risk `R-number` of the project with its update log, or `NotFound`."""
    risk = uow.risks.by_number(project_id, number)
    missing = _(
        "There is no risk R-{n} in this project. {command} shows every risk.",
        n=number,
        command=Command("/risk list all"),
    )
    return to_card(uow, found(risk, missing), with_updates=True)


class Scope(StrEnum):
    OPEN = "open"
    MINE = "mine"
    HIGH = "high"
    ALL = "all"


def list_risks(uow: UnitOfWork, *, project_id: int, scope: Scope, user_id: str) -> list[RiskCard]:
    """Open risks (default), the caller's open risks, open high/critical ones, or all."""
    if scope is Scope.ALL:
        risks = uow.risks.listing(project_id)
    elif scope is Scope.MINE:
        risks = uow.risks.listing(project_id, statuses=NOT_CLOSED, owner_id=user_id)
    elif scope is Scope.HIGH:
        risks = uow.risks.listing(project_id, statuses=NOT_CLOSED, min_score=HIGH_SCORE)
    else:
        risks = uow.risks.listing(project_id, statuses=NOT_CLOSED)
    return [to_card(uow, r) for r in risks]


def department_choices(uow: UnitOfWork, project_id: int) -> list[tuple[str, str]]:
    return [(str(d.id), d.name) for d in uow.projects.departments(project_id)]


@dataclass(frozen=True)
class ReviewDue:
    risk: RiskCard
    remind: str | None  # the owner, else the department lead, else nobody to DM


def due_for_review(uow: UnitOfWork, *, project_id: int, today: dt.date) -> list[ReviewDue]:
    """Open risks whose next review date is before `today`, with whom to remind."""
    cards = [to_card(uow, r) for r in uow.risks.open_past_review(project_id, today)]
    return [ReviewDue(c, c.owner_id or c.department_lead) for c in cards]


def for_agenda(uow: UnitOfWork, *, project_id: int, today: dt.date) -> list[RiskCard]:
    """Open high/critical risks and open risks past their due date, highest score first."""
    return [to_card(uow, r) for r in uow.risks.open_for_agenda(project_id, today, HIGH_SCORE)]


@dataclass(frozen=True)
class RiskMovement:
    opened: list[RiskCard]
    closed: list[RiskCard]


def movement(
    uow: UnitOfWork, *, project_id: int, start: dt.datetime, end: dt.datetime
) -> RiskMovement:
    """Risks raised and risks closed in [start, end) (aware datetimes), for the digest."""
    return RiskMovement(
        opened=[to_card(uow, r) for r in uow.risks.opened_between(project_id, start, end)],
        closed=[to_card(uow, r) for r in uow.risks.closed_between(project_id, start, end)],
    )


def median_ack_hours(
    uow: UnitOfWork, *, project_id: int, year: int, month: int, timezone: str
) -> dict[int | None, float]:
    """Median hours from raise to acknowledgement of the risks raised in that month (project
    time), per owning department id (`None`: no department). Unacknowledged risks are left
    out; a department with none acknowledged is absent."""
    start, end = month_bounds(year, month, timezone)
    hours: dict[int | None, list[float]] = defaultdict(list)
    for risk in uow.risks.acknowledged_between(project_id, start, end):
        assert risk.acknowledged_at is not None
        delta = risk.acknowledged_at - risk.created_at
        hours[risk.department_id].append(delta.total_seconds() / 3600)
    return {k: float(statistics.median(v)) for k, v in hours.items()}


def project_of_risk(uow: UnitOfWork, *, team_id: str, risk_id: int) -> int:
    """The id of the project a risk belongs to (in this workspace), or `NotFound`."""
    return load_risk(uow, team_id, risk_id)[0].id


def card_of(uow: UnitOfWork, *, team_id: str, risk_id: int) -> RiskCard:
    """The risk (of this workspace) with its update log, or `NotFound`."""
    return to_card(uow, load_risk(uow, team_id, risk_id)[1], with_updates=True)
