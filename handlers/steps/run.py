"""What every custom step shares: reading the `function_executed` event, the project and the
person it acts for, exactly-once saving, and completing the step (outputs, or a plain error).

Exactly once: a step's records are saved under the claim of its `function_execution_id`, in
the transaction that saves them (the mechanism that saves a submitted modal once,
`storage.submissions`). A second delivery of the same execution (Slack's retry with a new
event id, or one taken over from a process that died) saves nothing: it completes the step
again with the outputs the first one kept (in the records' own transaction, so a process
that died after the commit leaves outputs a redelivery completes with), which Slack refuses
harmlessly if the first one got through. Slack's retries with the same event id are already dropped by
`handlers.middleware.once_per_event`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from slack_bolt import Complete, Fail
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.errors import FieldErrors, UserError
from bot.i18n import Msg, Translator, _, translator
from bot.installations import NotInstalled
from bot.log import request_id
from bot.services import events
from bot.services.funds import NeedsReason
from bot.services.projects import valid_user_id
from handlers.common import internal_error
from handlers.errors import BUSY
from handlers.kit import ProjectRef, find_project_by_code, speak
from storage.submissions import AlreadySubmitted, Submission, is_lock_timeout, submitting
from storage.uow import UnitOfWork

log = logging.getLogger("icrm.steps")

# The claim of an execution, in `claimed_views` beside submitted modals' view ids.
CLAIM_KIND: Final = "function_executed"
OUTPUTS_KEPT: Final = 30  # days: a retry comes within minutes, an audit question later


@dataclass(frozen=True)
class StepCall:
    """One execution of a custom step: where, for whom, with which inputs."""

    callback_id: str
    execution_id: str
    team_id: str
    enterprise_id: str | None
    user_id: str  # the person who ran the workflow ("" when the input is missing)
    inputs: Mapping[str, Any]

    @classmethod
    def of(cls, body: dict[str, Any], user_input: str) -> StepCall:
        event = body.get("event") or {}
        inputs = event.get("inputs") or {}
        return cls(
            callback_id=str((event.get("function") or {}).get("callback_id") or ""),
            execution_id=str(event.get("function_execution_id") or ""),
            team_id=str(body.get("team_id") or ""),
            enterprise_id=body.get("enterprise_id") or None,
            user_id=user_of(inputs.get(user_input)),
            inputs=inputs,
        )

    def text(self, name: str) -> str | None:
        """An input as the text a modal field would hold (None when empty or missing)."""
        value = self.inputs.get(name)
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, int | float):  # a number input: 1e+20 as digits, 0.1 as 0.1
            return format(Decimal(repr(value)), "f")
        return value if isinstance(value, str) else None

    def flag(self, name: str) -> bool:
        value = self.inputs.get(name)
        return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def user_of(value: Any) -> str:
    """The user id of a `slack#/types/user_context` (`{"id": …, "secret": …}`), of an
    `interactivity` (its `interactor`) or of a `user_id` input (`U…`, or `W…` on Enterprise
    Grid); "" for anything else."""
    if isinstance(value, dict) and isinstance(value.get("interactor"), dict):
        value = value["interactor"]
    found = value.get("id") if isinstance(value, dict) else value
    return found if isinstance(found, str) and valid_user_id(found) else ""


@dataclass
class Done:
    """A step's result: its outputs (kept with `keep_outputs` in the records' transaction),
    and what to tell people afterwards (posts to the command channel, DMs), run after
    completing on the workspace's own bot token."""

    outputs: dict[str, Any]
    after: Callable[[WebClient], None] | None = field(default=None, repr=False)


Save = Callable[[UnitOfWork, StepCall, ProjectRef], Done]


def project_of(deps: Deps, call: StepCall) -> ProjectRef:
    """The project the step names, in the workspace the workflow ran in, or `NotFound`."""
    return find_project_by_code(deps, call.team_id, call.text("project") or "")


def one_line(error: UserError, tr: Translator, labels: Mapping[str, Msg]) -> str:
    """The error a step ends with: the message the modal shows, each bad field named."""
    found: Mapping[str, Msg] | None = None
    if isinstance(error, FieldErrors | NeedsReason):
        found = error.errors
    if not found:
        return tr(error.message)
    parts = [
        tr(_("{field}: {problem}"), field=tr(labels[key]), problem=tr(message))
        if key in labels
        else tr(message)
        for key, message in found.items()
    ]
    if isinstance(error, NeedsReason):
        parts.append(
            tr(_("To record it anyway, give the step a reason, or record it with `/funds`."))
        )
    return " ".join(parts)


def run_step(
    deps: Deps,
    body: dict[str, Any],
    context: dict[str, Any],
    *,
    complete: Complete,
    fail: Fail,
    save: Save,
    labels: Mapping[str, Msg],
) -> None:
    """Run one execution of a step: save once, then complete it (or fail it, in the
    project's language, with nothing saved). `context` is Bolt's: the project's language
    becomes the request's, for whatever `guarded` reports."""
    call = StepCall.of(body, "user")
    tr = translator(deps.settings.default_locale)
    claim = Submission(
        team_id=call.team_id,
        view_id=f"fx:{call.execution_id}"[:64],
        view_hash=CLAIM_KIND,
        day=deps.now().date(),
    )
    try:
        if _claimed(deps, claim):
            raise AlreadySubmitted(call.execution_id)
        project = project_of(deps, call)
        tr = speak(context, project.locale)  # the kit's one place for the request's language
        if not call.user_id:
            raise UserError(
                _(
                    "This step does not know who ran the workflow. In Workflow Builder, set its first input to “Person who used this workflow”."
                )
            )
        with submitting(claim), deps.uow() as uow:
            done = save(uow, call, project)
    except AlreadySubmitted:
        _complete_again(deps, call, complete)
        return
    except UserError as error:
        log.info("step %s refused: %s", call.callback_id, error.message.msgid)
        fail(one_line(error, tr, labels))
        return
    except Exception as error:
        if is_lock_timeout(error):  # nothing was saved: the workflow can be run again
            log.warning("step %s gave up waiting for a database lock", call.callback_id)
            fail(tr(BUSY))
            return
        log.exception("step %s failed", call.callback_id)
        fail(tr(internal_error(request_id.get())))
        return
    try:
        complete(outputs=done.outputs)
    except SlackApiError:  # outputs Slack does not take are our bug: say so, do not hang
        log.exception("step %s: Slack refused the outputs", call.callback_id)
        fail(tr(internal_error(request_id.get())))
        return
    if done.after is not None:
        deps.background.submit(_tell, deps, call, done.after)


def _tell(deps: Deps, call: StepCall, after: Callable[[WebClient], None]) -> None:
    """What a saved step tells people, on the workspace's own bot token: the event's token
    is only good while the step runs."""
    try:
        client = deps.client_for(call.team_id, call.enterprise_id)
    except NotInstalled:
        log.warning("step %s: the workspace is no longer installed", call.callback_id)
        return
    after(client)


def _claimed(deps: Deps, claim: Submission) -> bool:
    with deps.reader() as uow:
        return events.view_claimed(
            uow, team_id=claim.team_id, view_id=claim.view_id, view_hash=claim.view_hash
        )


def _outputs_key(call: StepCall) -> str:
    return f"fx:{call.execution_id}"[:32]


def keep_outputs(
    uow: UnitOfWork, call: StepCall, outputs: dict[str, Any], *, now: dt.datetime
) -> None:
    """Keep what the step answers, for a repeated delivery to answer the same: a step's save
    calls it in the service's `queue` hook, before the records' commit. `now` stamps them
    (anonymous feedback keeps only its day, like the feedback itself)."""
    uow.payloads.put(
        _outputs_key(call), json.dumps(outputs), now=now, ttl=dt.timedelta(days=OUTPUTS_KEPT)
    )


def _complete_again(deps: Deps, call: StepCall, complete: Complete) -> None:
    """A repeated delivery of an execution whose records are saved: nothing is saved again;
    the step is completed with the first delivery's outputs (Slack refuses a second
    completion, which is fine), or left to the first delivery while it is still running."""
    with deps.reader() as uow:
        kept = uow.payloads.get(_outputs_key(call), now=deps.now())
    if kept is None:
        log.info("execution %s is being handled already", call.execution_id)
        return
    try:
        complete(outputs=json.loads(kept))
    except SlackApiError as error:
        log.info(
            "execution %s was completed before (%s)",
            call.execution_id,
            error.response.get("error"),
        )
