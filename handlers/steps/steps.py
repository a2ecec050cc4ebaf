"""The three custom steps: their inputs become the modal's form, the modal's service saves it.

`record_fund_use` records like the `/funds` modal: an entry over the project's approval
policy is saved *pending* and its approvers are asked, as from the modal; one the checks at
entry flag (a likely duplicate, a closed line, over tolerance) needs the step's `reason`
input, as the modal's confirm step needs one, and fails without it (nothing saved).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, Final

from slack_bolt import Ack, App, Complete, Fail
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import FieldErrors, UserError
from bot.forms import Form
from bot.i18n import Msg, _
from bot.services import feedback, funds, risks
from bot.services.approvals import ItemKind
from bot.services.feedback import FeedbackField
from bot.services.fund_entries import line_by_name
from bot.services.funds import FundField, Outcome
from bot.services.risks import RiskCard, RiskField
from handlers.approvals import actions as control
from handlers.errors import guarded
from handlers.feedback.commands import queue_lead_messages
from handlers.feedback.views import FEEDBACK_LABELS
from handlers.funds.actions import queue_entry
from handlers.funds.views.modals import FUND_LABELS
from handlers.home.publish import republish_home
from handlers.middleware import handled_once
from handlers.risks import flows
from handlers.risks.views.labels import CATEGORY
from handlers.risks.views.modals import RISK_LABELS
from handlers.routing import ProjectRef
from handlers.steps.ids import In, Out, Step
from handlers.steps.run import Done, StepCall, keep_outputs, run_step, user_of
from jobs import outbox
from storage.models import RiskCategory
from storage.uow import UnitOfWork

TENTH: Final = Decimal("0.1")


def _acting(deps: Deps, call: StepCall, project: ProjectRef) -> dict[str, Any]:
    """Who does it, where and when: the arguments every service takes, as the modals pass them."""
    return {
        "team_id": project.team_id,
        "project_id": project.id,
        "user_id": call.user_id,
        "now": deps.now(),
    }


# -- record_fund_use ------------------------------------------------------------------------


def line_percent(outcome: Outcome) -> float | None:
    """Spent of the line's revised allocation in percent, rounded as `/funds summary` shows
    it (one decimal, half to even); None for a line with nothing allocated."""
    ratio = outcome.line.ratio if outcome.line is not None else None
    if ratio is None:
        return None
    return float((ratio * 100).quantize(TENTH, rounding=ROUND_HALF_EVEN))


def record_fund_use(deps: Deps, uow: UnitOfWork, call: StepCall, project: ProjectRef) -> Done:
    model = funds.project_of(uow, project.team_id, project.id)
    funds.require_member(uow, model, call.user_id)  # before the lines are named to them
    line = call.text(In.BUDGET_LINE)
    if not (line or "").strip():
        raise FieldErrors({FundField.LINE: _("Choose a budget line.")})
    form = Form.of(
        FundField,
        line=str(line_by_name(uow, model, line or "")),
        amount=call.text(In.AMOUNT),
        date=call.text(In.DATE) or funds.project_today(model, deps.now()).isoformat(),
        purpose=call.text(In.PURPOSE),
        reference=call.text(In.REFERENCE),
        reason=call.text(In.REASON),
    )

    def queue(uow: UnitOfWork, outcome: Outcome) -> None:  # committed with the entry
        queue_entry(uow, project, outcome, user=call.user_id)
        keep_outputs(uow, call, _fund_outputs(outcome), now=deps.now())

    outcome = funds.record_entry(uow, form=form, queue=queue, **_acting(deps, call, project))

    def after(client: WebClient) -> None:  # what `queue` committed with the entry
        if outcome.pending_role is not None:
            control.show_pending(deps, client, project.team_id, ItemKind.ENTRY, outcome.id)
            return
        outbox.deliver_soon(deps, project.id)

    return Done(_fund_outputs(outcome), after)


def _fund_outputs(outcome: Outcome) -> dict[str, Any]:
    outputs: dict[str, Any] = {
        Out.ENTRY_ID: outcome.id,
        Out.STATUS: "pending" if outcome.pending_role is not None else "posted",
    }
    percent = line_percent(outcome)
    if percent is not None:
        outputs[Out.LINE_PERCENT_USED] = percent
    return outputs


# -- flag_risk ------------------------------------------------------------------------------


def _category(text: str | None, project: ProjectRef) -> str:
    """A category's key, or its name in English or the project's language; `other` when
    empty. Anything else is passed on for the service to refuse in its own words."""
    wanted = (text or "").strip()
    if not wanted:
        return RiskCategory.OTHER.value
    folded = wanted.casefold().replace(" ", "_")
    for key, label in CATEGORY.items():
        names = {key, project.tr(label).casefold(), label.msgid.casefold()}
        if folded in names or wanted.casefold() in names:
            return str(key)
    return wanted


def flag_risk(deps: Deps, uow: UnitOfWork, call: StepCall, project: ProjectRef) -> Done:
    owner = call.inputs.get(In.OWNER)
    owner_id = user_of(owner)
    if owner not in (None, "") and not owner_id:
        raise UserError(_("Choose someone from the list of people."))
    form = Form.of(
        RiskField,
        title=call.text(In.TITLE),
        description=call.text(In.DESCRIPTION),
        category=_category(call.text(In.CATEGORY), project),
        likelihood=call.text(In.LIKELIHOOD),
        impact=call.text(In.IMPACT),
        owner=owner_id or None,
    )

    def queue(uow: UnitOfWork, card: RiskCard) -> None:  # committed with the risk
        if card.escalated:
            flows.queue_escalation(uow, card, project, raised_by=call.user_id)
        keep_outputs(uow, call, _risk_outputs(card), now=deps.now())

    card = risks.create_risk(uow, form=form, queue=queue, **_acting(deps, call, project))

    def after(client: WebClient) -> None:
        if card.escalated:
            flows.escalate(deps, client, card, project, raised_by=call.user_id)
        republish_home(deps, client, project.team_id, [card.owner_id])

    return Done(_risk_outputs(card), after)


def _risk_outputs(card: RiskCard) -> dict[str, Any]:
    return {Out.RISK_NUMBER: card.ref, Out.LEVEL: card.level.value}


# -- send_feedback --------------------------------------------------------------------------


def _department(uow: UnitOfWork, project_id: int, text: str | None) -> str | None:
    """The id (as the modal submits it) of the department named `text`: its exact name, or
    the one whose name contains it. Raises `UserError` listing the departments otherwise."""
    wanted = (text or "").strip().casefold()
    if not wanted:
        return None
    choices = feedback.department_choices(uow, project_id)
    exact = [c for c in choices if c.name.casefold() == wanted]
    found = exact or [c for c in choices if wanted in c.name.casefold()]
    if len(found) == 1:
        return str(found[0].id)
    raise UserError(
        _(
            "No single department matches “{text}”. The departments are: {names}.",
            text=(text or "").strip()[:50],
            names=", ".join(c.name for c in choices) or "—",
        )
    )


def send_feedback(deps: Deps, uow: UnitOfWork, call: StepCall, project: ProjectRef) -> Done:
    start = feedback.default_form(uow, project_id=project.id, user_id=call.user_id)
    chosen = _department(uow, project.id, call.text(In.FROM_DEPARTMENT))
    form = Form.of(
        FeedbackField,
        to_department=_department(uow, project.id, call.text(In.DEPARTMENT)),
        from_department=chosen or start.text(FeedbackField.FROM_DEPARTMENT),
        rating=call.text(In.RATING),
        comment=call.text(In.COMMENT),
        anonymous=call.flag(In.ANONYMOUS),
    )

    def queue(uow: UnitOfWork, item: feedback.FeedbackItem | feedback.Held) -> None:
        queue_lead_messages(uow, item, project.tr)  # committed with the feedback
        now = deps.now()
        if isinstance(item, feedback.Held):
            # Sealed until the daily release (jobs/feedback_release.py), which tells the lead:
            # no feedback number exists yet, so the step outputs 0, kept with only the day's
            # stamp, like the feedback itself, so no exact time sits next to its id.
            now = feedback.start_of_day(now, item.project.timezone)
        keep_outputs(uow, call, _feedback_outputs(item), now=now)

    item = feedback.give_feedback(uow, form=form, queue=queue, **_acting(deps, call, project))
    if isinstance(item, feedback.Held):
        return Done(_feedback_outputs(item))
    project_id = item.project.id

    def after(_client: WebClient) -> None:  # what `queue` committed with the feedback
        outbox.deliver_soon(deps, project_id)

    return Done(_feedback_outputs(item), after)


def _feedback_outputs(item: feedback.FeedbackItem | feedback.Held) -> dict[str, Any]:
    return {Out.FEEDBACK_ID: 0 if isinstance(item, feedback.Held) else item.id}


# -- listeners ------------------------------------------------------------------------------

StepSave = Callable[[Deps, UnitOfWork, StepCall, ProjectRef], Done]
STEPS: Final[tuple[tuple[Step, StepSave, dict[str, Msg]], ...]] = (
    (Step.RECORD_FUND_USE, record_fund_use, FUND_LABELS),
    (Step.FLAG_RISK, flag_risk, RISK_LABELS),
    (Step.SEND_FEEDBACK, send_feedback, FEEDBACK_LABELS),
)


def register(app: App, deps: Deps) -> None:
    """A `function_executed` listener for each step (Bolt acknowledges it at once)."""
    for callback_id, save, labels in STEPS:
        app.function(callback_id)(guarded(deps)(handled_once(deps)(_listener(deps, save, labels))))


def _listener(deps: Deps, save: StepSave, labels: dict[str, Msg]) -> Callable[..., None]:
    def on_step(
        ack: Ack,
        body: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
        complete: Complete,
        fail: Fail,
    ) -> None:
        run_step(
            deps,
            body,
            context,
            complete=complete,
            fail=fail,
            save=lambda uow, call, project: save(deps, uow, call, project),
            labels=labels,
        )

    return on_step
