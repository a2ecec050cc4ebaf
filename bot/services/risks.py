"""Risks: raise, score, own, acknowledge, update and close them; and what the clock asks.

Score = likelihood × impact (each 1–5); the level follows from the score. High and critical
risks are escalated to the project's command channel by the Slack edge. Who may do what:

- anyone in the project (a PM, a department lead or member) raises a risk, takes ownership
  of an open one, or adds an update (so does whoever raised it);
- the owner, the lead of the risk's department or a PM acknowledges or closes it.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bot.errors import FieldErrors, NotFound, PermissionDenied, UserError
from bot.i18n import Msg, _
from bot.periods import today_in as today_in  # re-exported for handlers and jobs
from bot.services import events, membership
from storage.models import Project, Risk, RiskCategory, RiskStatus, RiskTreatment, RiskUpdate
from storage.uow import UnitOfWork

HIGH_SCORE: Final = 10
REVIEW_AFTER: Final = dt.timedelta(days=14)
MAX_TEXT: Final = 3000
_NUMBER: Final = re.compile(r"^(?:R-?)?(\d{1,9})$", re.IGNORECASE)
# Titles at least this similar (Dice coefficient of character bigrams) are "close".
SIMILAR: Final = 0.6
MAX_SIMILAR: Final = 3
# Letters and digits of any script; punctuation, spaces and symbols are left out.
_KEPT_CATEGORIES: Final = ("L", "N")


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


def is_escalated(score: int) -> bool:
    """High and critical risks go to the command channel at once."""
    return score >= HIGH_SCORE


class RiskField(StrEnum):
    """Fields of the risk modal; the modal uses the same names as block ids."""

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


class RiskForm(BaseModel):
    """What the risk modal submitted, as plain text; `create_risk` validates it."""

    title: str | None = None
    description: str | None = None
    category: str | None = None
    likelihood: str | None = None
    impact: str | None = None
    owner: str | None = None
    department: str | None = None
    mitigation: str | None = None
    treatment: str | None = None
    due: str | None = None
    review: str | None = None


@dataclass(frozen=True)
class UpdateCard:
    author: str
    at: dt.datetime
    text: str
    status_from: str | None
    status_to: str | None


@dataclass(frozen=True)
class RiskCard:
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
    def level(self) -> RiskLevel:
        return level_of(self.score)

    @property
    def escalated(self) -> bool:
        return is_escalated(self.score)

    @property
    def closed(self) -> bool:
        return self.status == RiskStatus.CLOSED


def _card(uow: UnitOfWork, risk: Risk, *, with_updates: bool = False) -> RiskCard:
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


def _snapshot(risk: Risk) -> dict[str, Any]:
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


def _audit(
    uow: UnitOfWork,
    project: Project,
    actor: str,
    action: str,
    risk: Risk,
    before: dict[str, Any] | None,
) -> None:
    uow.audit(
        team_id=project.team_id,
        project_id=project.id,
        actor=actor,
        action=action,
        entity="risk",
        entity_id=risk.id,
        before=before,
        after=_snapshot(risk),
    )


# -- validation ---------------------------------------------------------------------------


def _text(value: str | None) -> str:
    return (value or "").strip()


def _level_value(value: str | None) -> int | None:
    text = _text(value)
    return int(text) if text.isdigit() and 1 <= int(text) <= 5 else None


def _date(value: str | None) -> tuple[dt.date | None, bool]:
    text = _text(value)
    if not text:
        return None, True
    try:
        return dt.date.fromisoformat(text), True
    except ValueError:
        return None, False


def validate_form(
    form: RiskForm, *, today: dt.date, departments: set[int]
) -> tuple[dict[str, Any], dict[str, Msg]]:
    """Check every field; return the clean values and an error per bad field."""
    errors: dict[str, Msg] = {}
    values: dict[str, Any] = {}
    required = _("This field is required.")

    title = _text(form.title)
    if not title:
        errors[RiskField.TITLE] = required
    elif len(title) > 200:
        errors[RiskField.TITLE] = _("Keep this under {n} characters.", context="risks", n=200)
    values["title"] = title
    for field, key in (
        (RiskField.DESCRIPTION, "description"),
        (RiskField.MITIGATION, "mitigation"),
    ):
        text = _text(getattr(form, key))
        if len(text) > MAX_TEXT:
            errors[field] = _("Keep this under {n} characters.", context="risks", n=MAX_TEXT)
        values[key] = text

    category = _text(form.category)
    if not category:
        errors[RiskField.CATEGORY] = required
    elif category not in set(RiskCategory):
        errors[RiskField.CATEGORY] = _("Choose a category from the list.")
    values["category"] = category

    for field in (RiskField.LIKELIHOOD, RiskField.IMPACT):
        raw = getattr(form, field.value)
        number = _level_value(raw)
        if not _text(raw):
            errors[field] = required
        elif number is None:
            errors[field] = _("Choose a value from 1 to 5.")
        values[field.value] = number

    values["owner_id"] = _text(form.owner) or None

    department = _text(form.department)
    if not department:
        values["department_id"] = None
    elif not department.isdigit() or int(department) not in departments:
        errors[RiskField.DEPARTMENT] = _("Choose one of this project's departments.")
    else:
        values["department_id"] = int(department)

    treatment = _text(form.treatment) or None
    if treatment is not None and treatment not in set(RiskTreatment):
        errors[RiskField.TREATMENT] = _("Choose a treatment from the list.")
    values["treatment"] = treatment

    for field, key in ((RiskField.DUE, "due_on"), (RiskField.REVIEW, "review_on")):
        day, ok = _date(getattr(form, field.value))
        if not ok:
            errors[field] = _("Give a date as YYYY-MM-DD.")
        elif day is not None and day < today:
            errors[field] = _("Choose today or a later date.")
        values[key] = day
    if values.get("review_on") is None and RiskField.REVIEW not in errors:
        values["review_on"] = today + REVIEW_AFTER
    return values, errors


# -- changes ------------------------------------------------------------------------------


def _project(uow: UnitOfWork, team_id: str, project_id: int) -> Project:
    project = uow.projects.get(team_id, project_id)
    if project is None:
        raise NotFound(_("That project no longer exists."))
    return project


def create_risk(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    form: RiskForm,
    now: dt.datetime,
    source_link: str | None = None,
) -> RiskCard:
    """Validate and save a new risk with the project's next number `R-n`.

    Raises `FieldErrors` (nothing saved) for bad input. Numbers are unique per project and
    gap-free even when many people raise risks at once.
    """
    project = _project(uow, team_id, project_id)
    membership.require_member(uow, project, user_id)
    departments = {d.id for d in uow.projects.departments(project_id)}
    values, errors = validate_form(
        form, today=today_in(project.timezone, now), departments=departments
    )
    if errors:
        raise FieldErrors(errors)
    risk = Risk(
        project_id=project_id,
        number=uow.risks.next_number(project_id),
        score=score_of(values["likelihood"], values["impact"]),
        status=RiskStatus.OPEN,
        raised_by=user_id,
        created_at=now,
        source_link=(source_link or None) and str(source_link)[:500],
        **values,
    )
    uow.risks.add(risk)
    uow.flush()
    _audit(uow, project, user_id, "create", risk, None)
    uow.commit()
    return _card(uow, risk)


def escalation_people(card: RiskCard, pm_ids: Sequence[str]) -> tuple[str, ...]:
    """Who a high or critical risk is escalated to: its owner, else the lead of its
    department, else the project's PMs."""
    if card.owner_id:
        return (card.owner_id,)
    if card.department_lead:
        return (card.department_lead,)
    return tuple(dict.fromkeys(pm_ids))


def claim_escalation(uow: UnitOfWork, *, card: RiskCard, team_id: str, now: dt.datetime) -> bool:
    """True for the one caller that should post and DM a risk's escalation; a retried
    request (or a second process) gets False. Durable: a restart does not re-escalate."""
    return events.claim(uow, event_id=f"risk-escalation:{card.id}", team_id=team_id, now=now)


def finish_escalation(uow: UnitOfWork, *, card: RiskCard, now: dt.datetime) -> None:
    """The escalation was sent: the claim is kept for good."""
    events.finish(uow, event_id=f"risk-escalation:{card.id}", now=now)


def _grams(title: str) -> set[str]:
    """Character bigrams of a title's letters and digits (case and width folded), so
    Chinese, English and mixed titles compare alike; a one-character title is itself."""
    text = "".join(
        c
        for c in unicodedata.normalize("NFKC", title).casefold()
        if unicodedata.category(c)[0] in _KEPT_CATEGORIES
    )
    if len(text) < 2:
        return {text} if text else set()
    return {text[i : i + 2] for i in range(len(text) - 1)}


def title_similarity(a: str, b: str) -> float:
    """0–1: how much two titles share (the Dice coefficient of their character bigrams)."""
    first, second = _grams(a), _grams(b)
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


def similar_open(
    uow: UnitOfWork, *, project_id: int, title: str, exclude_id: int | None = None
) -> list[RiskCard]:
    """Open (or mitigating) risks of the project whose title is close to `title` (at least
    `SIMILAR`), most similar first, at most `MAX_SIMILAR`."""
    not_closed = [RiskStatus.OPEN, RiskStatus.MITIGATING]
    scored = [
        (title_similarity(title, risk.title), risk)
        for risk in uow.risks.listing(project_id, statuses=not_closed)
        if risk.id != exclude_id
    ]
    close = sorted(
        ((score, risk) for score, risk in scored if score >= SIMILAR),
        key=lambda pair: (-pair[0], pair[1].number),
    )
    return [_card(uow, risk) for _score, risk in close[:MAX_SIMILAR]]


def record_alert(uow: UnitOfWork, *, risk_id: int, channel_id: str, ts: str) -> None:
    """Remember the command-channel message of a risk so later changes update it in place."""
    risk = uow.risks.get(risk_id)
    if risk is not None:
        risk.alert_channel, risk.alert_ts = channel_id, ts
        uow.commit()


def _load(uow: UnitOfWork, team_id: str, risk_id: int) -> tuple[Project, Risk]:
    risk = uow.risks.get(risk_id)
    project = uow.projects.get(team_id, risk.project_id) if risk is not None else None
    if risk is None or project is None:
        raise NotFound(_("That risk no longer exists."))
    return project, risk


def _lead_of(uow: UnitOfWork, risk: Risk) -> str | None:
    if risk.department_id is None:
        return None
    department = uow.projects.department(risk.project_id, risk.department_id)
    return department.lead_user_id if department else None


def _in_project(uow: UnitOfWork, project: Project, user_id: str) -> bool:
    return membership.is_member(uow, project, user_id)


def _require_manager(uow: UnitOfWork, project: Project, risk: Risk, user_id: str) -> None:
    """The owner, the lead of the risk's department or a PM."""
    lead = _lead_of(uow, risk)
    allowed = [u for u in (risk.owner_id, lead, *project.pm_ids) if u]
    if user_id not in allowed:
        raise PermissionDenied(
            _(
                "Only the risk's owner, its department lead or a PM can do that: {who}.",
                who=", ".join(f"<@{u}>" for u in dict.fromkeys(allowed)),
            )
        )


def _require_open(risk: Risk) -> None:
    if risk.status == RiskStatus.CLOSED:
        raise UserError(_("R-{n} is already closed.", n=risk.number))


def acknowledge(
    uow: UnitOfWork, *, team_id: str, risk_id: int, user_id: str, now: dt.datetime
) -> RiskCard:
    """Mark the risk seen by someone accountable for it (see the module docstring)."""
    project, risk = _load(uow, team_id, risk_id)
    _require_open(risk)
    _require_manager(uow, project, risk, user_id)
    if risk.acknowledged_by is not None:
        raise UserError(
            _(
                "R-{n} was already acknowledged by {user}.",
                n=risk.number,
                user=f"<@{risk.acknowledged_by}>",
            )
        )
    before = _snapshot(risk)
    risk.acknowledged_by, risk.acknowledged_at = user_id, now
    _audit(uow, project, user_id, "acknowledge", risk, before)
    uow.commit()
    return _card(uow, risk)


def take_ownership(
    uow: UnitOfWork, *, team_id: str, risk_id: int, user_id: str, now: dt.datetime
) -> RiskCard:
    """Make `user_id` the owner. Taking ownership also acknowledges an unacknowledged risk."""
    project, risk = _load(uow, team_id, risk_id)
    _require_open(risk)
    if not _in_project(uow, project, user_id):
        raise PermissionDenied(
            _(
                "Only members of this project's departments and its PMs can own a risk. Ask a PM ({pms}) to add you to a department.",
                pms=", ".join(f"<@{u}>" for u in project.pm_ids),
            )
        )
    if risk.owner_id == user_id:
        raise UserError(_("You already own R-{n}.", n=risk.number))
    before = _snapshot(risk)
    risk.owner_id = user_id
    if risk.acknowledged_by is None:
        risk.acknowledged_by, risk.acknowledged_at = user_id, now
    _audit(uow, project, user_id, "take_ownership", risk, before)
    uow.commit()
    return _card(uow, risk)


def require_can_update(uow: UnitOfWork, *, team_id: str, risk_id: int, user_id: str) -> RiskCard:
    """Check before opening the update modal; the same check runs again on submit."""
    project, risk = _load(uow, team_id, risk_id)
    _require_open(risk)
    _require_updater(uow, project, risk, user_id)
    return _card(uow, risk)


def _require_updater(uow: UnitOfWork, project: Project, risk: Risk, user_id: str) -> None:
    if user_id in (risk.raised_by, risk.owner_id) or _in_project(uow, project, user_id):
        return
    raise PermissionDenied(
        _(
            "Only members of this project's departments, its PMs and whoever raised the risk can add updates. Ask a PM ({pms}) to add you to a department.",
            pms=", ".join(f"<@{u}>" for u in project.pm_ids),
        )
    )


def add_update(
    uow: UnitOfWork,
    *,
    team_id: str,
    risk_id: int,
    user_id: str,
    text: str | None,
    status: str | None,
    now: dt.datetime,
) -> RiskCard:
    """Log an update and optionally move the risk between open and mitigating."""
    project, risk = _load(uow, team_id, risk_id)
    _require_open(risk)
    _require_updater(uow, project, risk, user_id)
    body = _text(text)
    errors: dict[str, Msg] = {}
    if not body:
        errors["text"] = _("This field is required.")
    elif len(body) > MAX_TEXT:
        errors["text"] = _("Keep this under {n} characters.", context="risks", n=MAX_TEXT)
    new_status = _text(status) or risk.status
    if new_status not in (RiskStatus.OPEN, RiskStatus.MITIGATING):
        errors["status"] = _("Choose open or mitigating; use Close to close a risk.")
    if errors:
        raise FieldErrors(errors)
    before = _snapshot(risk)
    changed = new_status != risk.status
    risk.updates.append(
        RiskUpdate(
            author=user_id,
            at=now,
            text=body,
            status_from=risk.status if changed else None,
            status_to=new_status if changed else None,
        )
    )
    risk.status = new_status
    _audit(uow, project, user_id, "update", risk, before)
    uow.commit()
    return _card(uow, risk, with_updates=True)


def require_can_close(uow: UnitOfWork, *, team_id: str, risk_id: int, user_id: str) -> RiskCard:
    """Check before opening the close modal; the same check runs again on submit."""
    project, risk = _load(uow, team_id, risk_id)
    _require_open(risk)
    _require_manager(uow, project, risk, user_id)
    return _card(uow, risk)


def close_risk(
    uow: UnitOfWork,
    *,
    team_id: str,
    risk_id: int,
    user_id: str,
    note: str | None,
    now: dt.datetime,
) -> RiskCard:
    """Close the risk with a note (only its owner, its department lead or a PM)."""
    project, risk = _load(uow, team_id, risk_id)
    _require_open(risk)
    _require_manager(uow, project, risk, user_id)
    text = _text(note)
    if len(text) > MAX_TEXT:
        raise FieldErrors(
            {"note": _("Keep this under {n} characters.", context="risks", n=MAX_TEXT)}
        )
    before = _snapshot(risk)
    risk.updates.append(
        RiskUpdate(author=user_id, at=now, text=text, status_from=risk.status, status_to="closed")
    )
    risk.status = RiskStatus.CLOSED
    risk.closed_by, risk.closed_at, risk.close_note = user_id, now, text or None
    _audit(uow, project, user_id, "close", risk, before)
    uow.commit()
    return _card(uow, risk, with_updates=True)


# -- reading ------------------------------------------------------------------------------


def parse_number(text: str) -> int:
    """`R-12`, `r12` or `12` → 12; anything else is a `UserError` saying what to type."""
    match = _NUMBER.match(text.strip())
    if match is None or int(match.group(1)) == 0:
        raise UserError(
            _(
                "“{text}” is not a risk number. Use the form R-12 (see `/risk list`).",
                text=text[:30],
            )
        )
    return int(match.group(1))


def find(uow: UnitOfWork, *, project_id: int, number: int) -> RiskCard:
    """The risk `R-number` of the project with its update log, or `NotFound`."""
    risk = uow.risks.by_number(project_id, number)
    if risk is None:
        raise NotFound(
            _(
                "There is no risk R-{n} in this project. `/risk list all` shows every risk.",
                n=number,
            )
        )
    return _card(uow, risk, with_updates=True)


class Scope(StrEnum):
    OPEN = "open"
    MINE = "mine"
    HIGH = "high"
    ALL = "all"


def list_risks(uow: UnitOfWork, *, project_id: int, scope: Scope, user_id: str) -> list[RiskCard]:
    """Open risks (default), the caller's open risks, open high/critical ones, or all."""
    not_closed = [RiskStatus.OPEN, RiskStatus.MITIGATING]
    if scope is Scope.ALL:
        risks = uow.risks.listing(project_id)
    elif scope is Scope.MINE:
        risks = uow.risks.listing(project_id, statuses=not_closed, owner_id=user_id)
    elif scope is Scope.HIGH:
        risks = uow.risks.listing(project_id, statuses=not_closed, min_score=HIGH_SCORE)
    else:
        risks = uow.risks.listing(project_id, statuses=not_closed)
    return [_card(uow, r) for r in risks]


def department_choices(uow: UnitOfWork, project_id: int) -> list[tuple[str, str]]:
    return [(str(d.id), d.name) for d in uow.projects.departments(project_id)]


# -- for the clock ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewDue:
    risk: RiskCard
    remind: str | None  # the owner, else the department lead, else nobody to DM


def due_for_review(uow: UnitOfWork, *, project_id: int, today: dt.date) -> list[ReviewDue]:
    """Open risks whose next review date is before `today`, with whom to remind."""
    cards = [_card(uow, r) for r in uow.risks.open_past_review(project_id, today)]
    return [ReviewDue(c, c.owner_id or c.department_lead) for c in cards]


def for_agenda(uow: UnitOfWork, *, project_id: int, today: dt.date) -> list[RiskCard]:
    """Open high/critical risks and open risks past their due date, highest score first."""
    return [_card(uow, r) for r in uow.risks.open_for_agenda(project_id, today, HIGH_SCORE)]


@dataclass(frozen=True)
class RiskMovement:
    opened: list[RiskCard]
    closed: list[RiskCard]


def movement(
    uow: UnitOfWork, *, project_id: int, start: dt.datetime, end: dt.datetime
) -> RiskMovement:
    """Risks raised and risks closed in [start, end) (aware datetimes), for the digest."""
    return RiskMovement(
        opened=[_card(uow, r) for r in uow.risks.opened_between(project_id, start, end)],
        closed=[_card(uow, r) for r in uow.risks.closed_between(project_id, start, end)],
    )


def median_ack_hours(
    uow: UnitOfWork, *, project_id: int, year: int, month: int, timezone: str
) -> dict[int | None, float]:
    """Median hours from raise to acknowledgement of the risks raised in that month (project
    time), per owning department id (`None`: no department). Unacknowledged risks are left
    out; a department with none acknowledged is absent."""
    zone = ZoneInfo(timezone)
    start = dt.datetime(year, month, 1, tzinfo=zone)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    hours: dict[int | None, list[float]] = defaultdict(list)
    for risk in uow.risks.acknowledged_between(project_id, start, end):
        assert risk.acknowledged_at is not None
        delta = risk.acknowledged_at - risk.created_at
        hours[risk.department_id].append(delta.total_seconds() / 3600)
    return {k: float(statistics.median(v)) for k, v in hours.items()}


def project_of_risk(uow: UnitOfWork, *, team_id: str, risk_id: int) -> int:
    """The id of the project a risk belongs to (in this workspace), or `NotFound`."""
    return _load(uow, team_id, risk_id)[0].id


def card_of(uow: UnitOfWork, *, team_id: str, risk_id: int) -> RiskCard:
    """The risk (of this workspace) with its update log, or `NotFound`."""
    return _card(uow, _load(uow, team_id, risk_id)[1], with_updates=True)
