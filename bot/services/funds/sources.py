"""Funding sources and drawdowns, and the runway alert they may set off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from bot.errors import FieldErrors
from bot.forms import Form, check_amount, check_row, stripped
from bot.i18n import Amount, Msg, _
from bot.periods import project_today
from bot.services.funds.access import check_past_day, check_text, managed_project
from bot.services.funds.forms import DrawdownField, SourceField
from bot.services.funds.status import Liquidity, Outcome
from bot.services.funds.summary import liquidity
from bot.services.project_rows import audit_in, committed
from storage.models import Drawdown, FundingKind, FundingSource, Project
from storage.uow import UnitOfWork


def save_source(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    form: Form[SourceField],
    queue: Callable[[UnitOfWork, int, bool], None] | None = None,
) -> tuple[int, bool]:
    """Add a funding source, or change the kind and commitment of the one with that name.

    Returns (source id, created). PMs and the finance lead only; a commitment below what
    was already drawn is a field error.
    """
    project = managed_project(uow, team_id, project_id, user_id, _("set up funding sources"))
    name, kind, committed, existing = _valid_source(uow, project, form)
    if existing is None:
        source = new_source(project, name, kind, committed, now=uow.now())
        uow.funds.add_source(source)
        before = None
    else:
        source = existing
        before = _snapshot(source)
        source.kind, source.committed = kind, committed
    uow.flush()
    action = "create" if existing is None else "update"
    audit_in(uow, project, user_id, action, "funding_source", source.id, before, _snapshot(source))
    if queue is not None:  # the announcement, committed with the change (jobs/outbox.py)
        queue(uow, source.id, existing is None)
    uow.commit()
    return source.id, existing is None


def new_source(
    project: Project, name: str, kind: str, committed: Decimal, *, now: dt.datetime
) -> FundingSource:
    """A funding source of `project` with nothing drawn yet (the caller adds it)."""
    return FundingSource(
        project_id=project.id,
        name=name,
        kind=kind,
        committed=committed,
        drawn=Decimal(0),
        created_at=now,
    )


def _snapshot(source: FundingSource) -> dict[str, Any]:
    return {"name": source.name, "kind": source.kind, "committed": str(source.committed)}


def _valid_source(
    uow: UnitOfWork, project: Project, form: Form[SourceField]
) -> tuple[str, str, Decimal, FundingSource | None]:
    """The form's values, checked (`FieldErrors`), and the project's source of that name."""
    errors: dict[str, Msg] = {}
    name = check_text(form, SourceField.NAME, "name", errors, required=_("This field is required."))
    kind = stripped(form.text(SourceField.KIND))
    if kind not in set(FundingKind):
        errors[SourceField.KIND] = _("Choose a kind of funding.")
    committed = check_amount(form, SourceField.COMMITTED, project.currency, errors)
    existing = uow.funds.source_named(project.id, name) if name else None
    if existing is not None and committed is not None and committed < existing.drawn:
        errors[SourceField.COMMITTED] = _(
            "{drawn} is already drawn from this source; the commitment cannot be less.",
            drawn=Amount(existing.drawn, project.currency),
        )
    if errors:
        raise FieldErrors(errors)
    assert committed is not None
    return name, kind, committed, existing


def record_drawdown(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    form: Form[DrawdownField],
    now: dt.datetime,
    queue: Callable[[UnitOfWork, Outcome], None] | None = None,
) -> Outcome:
    """Record a drawdown and add it to its source's `drawn` in one transaction (committed).

    PMs and the finance lead only; more than the undrawn commitment is a field error.
    """
    project = managed_project(uow, team_id, project_id, user_id, _("record drawdowns"))
    today = project_today(project, now)
    source, amount, day, reference = _valid_drawdown(uow, project, form, today)
    drawdown = Drawdown(
        project_id=project.id,
        source_id=source.id,
        amount=amount,
        drawn_on=day,
        reference=reference,
        recorded_by=user_id,
        created_at=now,
    )
    uow.funds.add_drawdown(drawdown)
    before = {"drawn": str(source.drawn)}
    source.drawn = source.drawn + amount
    uow.flush()
    after = {
        "source_id": source.id,
        "amount": str(amount),
        "drawn_on": day.isoformat(),
        "reference": reference,
        "drawn": str(source.drawn),
    }
    audit_in(uow, project, user_id, "create", "drawdown", drawdown.id, before, after)
    runway = check_runway(uow, project, today, now=now)
    outcome = Outcome(drawdown.id, amount, source.name, [], runway)
    return committed(uow, outcome, queue)


def _valid_drawdown(
    uow: UnitOfWork, project: Project, form: Form[DrawdownField], today: dt.date
) -> tuple[FundingSource, Decimal, dt.date, str]:
    """The form's values, checked (`FieldErrors`); the source comes back locked."""
    errors: dict[str, Msg] = {}
    choose = _("Choose a funding source.")
    source = check_row(
        form,
        DrawdownField.SOURCE,
        lambda source_id: uow.funds.lock_source(project.id, source_id),
        errors,
        none=choose,
        not_listed=choose,
        gone=_("That funding source no longer exists."),
    )
    amount = check_amount(form, DrawdownField.AMOUNT, project.currency, errors)
    day = check_past_day(form, DrawdownField.DATE, project, today, errors)
    reference = check_text(form, DrawdownField.REFERENCE, "reference", errors)
    if source is not None and amount is not None and amount > (source.committed - source.drawn):
        errors[DrawdownField.AMOUNT] = _(
            "Only {undrawn} of this source's commitment is undrawn.",
            undrawn=Amount(source.committed - source.drawn, project.currency),
        )
    if errors:
        raise FieldErrors(errors)
    assert source is not None and amount is not None and day is not None
    return source, amount, day, reference


def check_runway(
    uow: UnitOfWork, project: Project, today: dt.date, *, now: dt.datetime
) -> Liquidity | None:
    """Decide, under the project's runway-alert lock, whether the runway has just fallen below
    the threshold: returns the liquidity to alert about once per crossing (the state re-arms
    when the runway recovers). The caller commits."""
    state = uow.funds.lock_runway_alert(project.id, now=now)
    current = liquidity(uow, project, today)
    below = current.below_threshold
    if below == state.below:
        return None
    state.below, state.changed_at = below, now
    return current if below else None


def rearm_runway_alert(uow: UnitOfWork, project: Project, *, now: dt.datetime) -> None:
    """Forget that a runway crossing was alerted. For loads that record fund use through
    these services without posting the alerts they return (the demo): the next
    `runway_check` then warns once if the project starts below its threshold. The caller
    commits."""
    state = uow.funds.lock_runway_alert(project.id, now=now)
    state.below, state.changed_at = False, now
