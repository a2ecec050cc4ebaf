"""Risk scores and levels, the risk form, and the cards callers get back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from bot.periods import today_in as today_in  # re-exported for handlers and jobs
from storage.models import Risk, RiskStatus
from storage.uow import UnitOfWork

HIGH_SCORE: Final = 10
# The statuses of a risk still open: being worked on, or not yet.
NOT_CLOSED: Final = (RiskStatus.OPEN, RiskStatus.MITIGATING)


# Letters and digits of any script; punctuation, spaces and symbols are left out.
KEPT_CATEGORIES: Final = ("L", "N")


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


def score_of(likelihood: int, impact: int) -> int:
    """Likelihood × impact; both must be 1–5."""
    if not (1 <= likelihood <= 5 and 1 <= impact <= 5):
        raise ValueError("likelihood and impact are 1–5")
    return likelihood * impact


def level_of(score: int) -> RiskLevel:
    """low 1–4, medium 5–9, high 10–15, critical 16–25."""
    if not 1 <= score <= 25:
        raise ValueError("a score is 1–25")
    if score >= 16:
        return RiskLevel.CRITICAL
    if score >= HIGH_SCORE:
        return RiskLevel.HIGH
    if score >= 5:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


class Scored:
    """A risk, or a line about one, with its `score`: the level follows from it."""

    score: int

    @property
    def level(self) -> RiskLevel:
        return level_of(self.score)


def is_escalated(score: int) -> bool:
    """High and critical risks go to the command channel at once."""
    return score >= HIGH_SCORE


class RiskField(StrEnum):
    """Fields of the risk modal; the modal uses the same names as block ids. `create_risk`
    reads what it submitted as a `Form[RiskField]` (plain text) and validates it."""

    TITLE = "title"
    DESCRIPTION = "description"
    CATEGORY = "category"
    LIKELIHOOD = "likelihood"
    IMPACT = "impact"
    OWNER = "owner"
    DEPARTMENT = "department"
    MITIGATION = "mitigation"
    TREATMENT = "treatment"
    DUE = "due"
    REVIEW = "review"


@dataclass(frozen=True)
class UpdateCard:
    author: str
    at: dt.datetime
    text: str
    status_from: str | None
    status_to: str | None


@dataclass(frozen=True)
class RiskCard(Scored):
    """A risk as the Slack edge and the jobs see it: plain values, safe outside the session."""

    id: int
    project_id: int
    number: int
    title: str
    description: str
    category: str
    likelihood: int
    impact: int
    score: int
    owner_id: str | None
    department_id: int | None
    department_name: str | None
    department_lead: str | None
    mitigation: str
    treatment: str | None
    due_on: dt.date | None
    review_on: dt.date | None
    status: str
    raised_by: str
    created_at: dt.datetime
    acknowledged_by: str | None
    acknowledged_at: dt.datetime | None
    closed_by: str | None
    closed_at: dt.datetime | None
    close_note: str | None
    alert_channel: str | None
    alert_ts: str | None
    source_link: str | None
    updates: tuple[UpdateCard, ...] = ()

    @property
    def ref(self) -> str:
        return f"R-{self.number}"

    @property
    def escalated(self) -> bool:
        return is_escalated(self.score)

    @property
    def closed(self) -> bool:
        return self.status == RiskStatus.CLOSED


def to_card(uow: UnitOfWork, risk: Risk, *, with_updates: bool = False) -> RiskCard:
    department = (
        uow.projects.department(risk.project_id, risk.department_id)
        if risk.department_id is not None
        else None
    )
    updates = (
        tuple(UpdateCard(u.author, u.at, u.text, u.status_from, u.status_to) for u in risk.updates)
        if with_updates
        else ()
    )
    return RiskCard(
        id=risk.id,
        project_id=risk.project_id,
        number=risk.number,
        title=risk.title,
        description=risk.description,
        category=risk.category,
        likelihood=risk.likelihood,
        impact=risk.impact,
        score=risk.score,
        owner_id=risk.owner_id,
        department_id=risk.department_id,
        department_name=department.name if department else None,
        department_lead=department.lead_user_id if department else None,
        mitigation=risk.mitigation,
        treatment=risk.treatment,
        due_on=risk.due_on,
        review_on=risk.review_on,
        status=risk.status,
        raised_by=risk.raised_by,
        created_at=risk.created_at,
        acknowledged_by=risk.acknowledged_by,
        acknowledged_at=risk.acknowledged_at,
        closed_by=risk.closed_by,
        closed_at=risk.closed_at,
        close_note=risk.close_note,
        alert_channel=risk.alert_channel,
        alert_ts=risk.alert_ts,
        source_link=risk.source_link,
        updates=updates,
    )


def snapshot(risk: Risk) -> dict[str, Any]:
    return {
        "number": risk.number,
        "title": risk.title,
        "category": risk.category,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "score": risk.score,
        "owner": risk.owner_id,
        "department_id": risk.department_id,
        "treatment": risk.treatment,
        "due_on": risk.due_on.isoformat() if risk.due_on else None,
        "review_on": risk.review_on.isoformat() if risk.review_on else None,
        "status": risk.status,
        "acknowledged_by": risk.acknowledged_by,
        "closed_by": risk.closed_by,
        "close_note": risk.close_note,
    }
