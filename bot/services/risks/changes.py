"""Raising, escalating, acknowledging, owning, updating and closing risks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from bot.errors import FieldErrors, PermissionDenied, UserError
from bot.forms import Form, stripped
from bot.i18n import Mentions, Msg, _
from bot.periods import today_in as today_in  # re-exported for handlers and jobs
from bot.services import events, membership
from bot.services.project_rows import audit_in, committed, with_project
from bot.services.projects import get_project
from bot.services.risks.cards import (
    NOT_CLOSED,
    RiskCard,
    RiskField,
    score_of,
    snapshot,
    to_card,
)
from bot.services.risks.validation import MAX_TEXT, too_long, validate_form
from storage.models import Project, Risk, RiskStatus, RiskUpdate
from storage.uow import UnitOfWork


def _audit(
    uow: UnitOfWork,
    project: Project,
    actor: str,
    action: str,
    risk: Risk,
    before: dict[str, Any] | None,
) -> None:
    audit_in(uow, project, actor, action, "risk", risk.id, before, snapshot(risk))


def _saved(
    uow: UnitOfWork,
    project: Project,
    actor: str,
    action: str,
    risk: Risk,
    before: dict[str, Any],
    *,
    with_updates: bool = False,
) -> RiskCard:
    """Audit the change to `risk` from `before`, commit it and return the risk's card."""
    _audit(uow, project, actor, action, risk, before)
    uow.commit()
    return to_card(uow, risk, with_updates=with_updates)


def create_risk(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    form: Form[RiskField],
    now: dt.datetime,
    source_link: str | None = None,
    queue: Callable[[UnitOfWork, RiskCard], None] | None = None,
) -> RiskCard:
    """Validate and save a new risk with the project's next number `R-n`.

    Raises `FieldErrors` (nothing saved) for bad input. Numbers are unique per project and
    gap-free even when many people raise risks at once.
    """
    project = get_project(uow, team_id, project_id)
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
    card = to_card(uow, risk)
    return committed(uow, card, queue)


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


def record_alert(uow: UnitOfWork, *, risk_id: int, channel_id: str, ts: str) -> None:
    """Remember the command-channel message of a risk so later changes update it in place."""
    risk = uow.risks.get(risk_id)
    if risk is not None:
        risk.alert_channel, risk.alert_ts = channel_id, ts
        uow.commit()


def load_risk(uow: UnitOfWork, team_id: str, risk_id: int) -> tuple[Project, Risk]:
    risk, project = with_project(
        uow, team_id, uow.risks.get(risk_id), _("That risk no longer exists.")
    )
    return project, risk


def _lead_of(uow: UnitOfWork, risk: Risk) -> str | None:
    if risk.department_id is None:
        return None
    department = uow.projects.department(risk.project_id, risk.department_id)
    return department.lead_user_id if department else None


def _require_manager(uow: UnitOfWork, project: Project, risk: Risk, user_id: str) -> None:
    """The owner, the lead of the risk's department or a PM."""
    lead = _lead_of(uow, risk)
    allowed = [u for u in (risk.owner_id, lead, *project.pm_ids) if u]
    if user_id not in allowed:
        raise PermissionDenied(
            _(
                "Only the risk's owner, its department lead or a PM can do that: {who}.",
                who=Mentions.of(allowed),
            )
        )


Check = Callable[[UnitOfWork, Project, Risk, str], None]


def _open_risk(
    uow: UnitOfWork, team_id: str, risk_id: int, user_id: str, may: Check
) -> tuple[Project, Risk]:
    """`load_risk`, `UserError` when the risk is closed, and `may`'s `PermissionDenied`
    unless `user_id` may act on it."""
    project, risk = load_risk(uow, team_id, risk_id)
    if risk.status == RiskStatus.CLOSED:
        raise UserError(_("R-{n} is already closed.", n=risk.number))
    may(uow, project, risk, user_id)
    return project, risk


def acknowledge(
    uow: UnitOfWork, *, team_id: str, risk_id: int, user_id: str, now: dt.datetime
) -> RiskCard:
    """Mark the risk seen by someone accountable for it (see the module docstring)."""
    project, risk = _open_risk(uow, team_id, risk_id, user_id, _require_manager)
    if risk.acknowledged_by is not None:
        raise UserError(
            _(
                "R-{n} was already acknowledged by {user}.",
                n=risk.number,
                user=Mentions.of([risk.acknowledged_by]),
            )
        )
    before = snapshot(risk)
    risk.acknowledged_by, risk.acknowledged_at = user_id, now
    return _saved(uow, project, user_id, "acknowledge", risk, before)


def _require_may_own(uow: UnitOfWork, project: Project, _risk: Risk, user_id: str) -> None:
    refusal = _(
        "Only members of this project's departments and its PMs can own a risk. Ask a PM ({pms}) to add you to a department.",
        pms=Mentions.of(project.pm_ids),
    )
    membership.require_member(uow, project, user_id, refusal)


def take_ownership(
    uow: UnitOfWork, *, team_id: str, risk_id: int, user_id: str, now: dt.datetime
) -> RiskCard:
    """Make `user_id` the owner. Taking ownership also acknowledges an unacknowledged risk."""
    project, risk = _open_risk(uow, team_id, risk_id, user_id, _require_may_own)
    if risk.owner_id == user_id:
        raise UserError(_("You already own R-{n}.", n=risk.number))
    before = snapshot(risk)
    risk.owner_id = user_id
    if risk.acknowledged_by is None:
        risk.acknowledged_by, risk.acknowledged_at = user_id, now
    return _saved(uow, project, user_id, "take_ownership", risk, before)


def require_can_update(uow: UnitOfWork, *, team_id: str, risk_id: int, user_id: str) -> RiskCard:
    """Check before opening the update modal; the same check runs again on submit."""
    _project, risk = _open_risk(uow, team_id, risk_id, user_id, _require_updater)
    return to_card(uow, risk)


def _require_updater(uow: UnitOfWork, project: Project, risk: Risk, user_id: str) -> None:
    if user_id in (risk.raised_by, risk.owner_id) or membership.is_member(uow, project, user_id):
        return
    raise PermissionDenied(
        _(
            "Only members of this project's departments, its PMs and whoever raised the risk can add updates. Ask a PM ({pms}) to add you to a department.",
            pms=Mentions.of(project.pm_ids),
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
    project, risk = _open_risk(uow, team_id, risk_id, user_id, _require_updater)
    body = stripped(text)
    errors: dict[str, Msg] = {}
    if not body:
        errors["text"] = _("This field is required.")
    elif len(body) > MAX_TEXT:
        errors["text"] = too_long()
    new_status = stripped(status) or risk.status
    if new_status not in NOT_CLOSED:
        errors["status"] = _("Choose open or mitigating; use Close to close a risk.")
    if errors:
        raise FieldErrors(errors)
    before = snapshot(risk)
    _log(risk, user_id, now, body, new_status)
    return _saved(uow, project, user_id, "update", risk, before, with_updates=True)


def _log(risk: Risk, user_id: str, now: dt.datetime, text: str, status: str) -> None:
    """Add `text` to the risk's log and move it to `status` (the log notes a move)."""
    moved = status != risk.status
    risk.updates.append(
        RiskUpdate(
            author=user_id,
            at=now,
            text=text,
            status_from=risk.status if moved else None,
            status_to=status if moved else None,
        )
    )
    risk.status = status


def require_can_close(uow: UnitOfWork, *, team_id: str, risk_id: int, user_id: str) -> RiskCard:
    """Check before opening the close modal; the same check runs again on submit."""
    _project, risk = _open_risk(uow, team_id, risk_id, user_id, _require_manager)
    return to_card(uow, risk)


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
    project, risk = _open_risk(uow, team_id, risk_id, user_id, _require_manager)
    text = stripped(note)
    if len(text) > MAX_TEXT:
        raise FieldErrors({"note": too_long()})
    before = snapshot(risk)
    _log(risk, user_id, now, text, RiskStatus.CLOSED)
    risk.closed_by, risk.closed_at, risk.close_note = user_id, now, text or None
    return _saved(uow, project, user_id, "close", risk, before, with_updates=True)
