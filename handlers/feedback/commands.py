"""`/feedback`: the feedback modal, and what my department received."""

from __future__ import annotations

from pydantic import BaseModel
from slack_bolt import App

from bot.deps import Deps
from bot.errors import UserError
from bot.i18n import Translator, _
from bot.services import feedback
from bot.services.feedback import FeedbackField as F
from bot.services.feedback import FeedbackItem, Held
from handlers.feedback import views
from handlers.feedback.ids import FeedbackView
from handlers.ids import Command
from handlers.kit import Invocation, Request, Sub, modal, slash_command
from handlers.payloads import pack
from jobs import outbox
from storage.uow import UnitOfWork

MIN_DEPARTMENTS = 2


class GiveMeta(BaseModel):
    """Carried in the feedback modal's `private_metadata` (nothing about the giver)."""

    project_id: int


def open_modal(inv: Invocation) -> None:
    project, caller = inv.required_project, inv.caller
    with inv.deps.uow() as uow:
        choices = feedback.department_choices(uow, project.id)
        form = feedback.default_form(uow, project_id=project.id, user_id=caller.user_id)
    if len(choices) < MIN_DEPARTMENTS:
        raise UserError(
            _(
                "{project} needs at least two departments for feedback. Ask a PM to add them with `/icrm departments`.",
                project=project.code,
            )
        )
    view = views.give_modal(
        form,
        choices,
        inv.tr,
        project=f"{project.code} · {project.name}",
        metadata=pack(inv.deps, GiveMeta(project_id=project.id)),
    )
    inv.open_modal(view)


def show_list(inv: Invocation) -> None:
    project = inv.required_project
    with inv.deps.uow() as uow:
        received = feedback.received(
            uow,
            **inv.caller.acting(project.id),
            limit=views.LIST_LIMIT,
        )
    text, blocks = views.list_message(received, inv.tr, project=project.code)
    inv.reply(text, blocks)


SUBCOMMANDS: dict[str, Sub] = {
    "": Sub(open_modal),
    "list": Sub(show_list),
}


def register(app: App, deps: Deps) -> None:
    slash_command(app, deps, Command.FEEDBACK, SUBCOMMANDS, default="")

    @modal(app, deps, FeedbackView.GIVE)
    def submit(req: Request) -> None:
        meta = req.meta(GiveMeta)
        tr = req.about(meta.project_id).tr
        with deps.uow() as uow:
            item = feedback.give_feedback(
                uow,
                **req.caller.acting(meta.project_id),
                form=req.form(F),
                now=deps.now(),
                queue=lambda uow, item: queue_lead_messages(uow, item, tr),
            )
        # The giver's confirmation replaces the form: no message (and no log line) names them.
        req.close(response_action="update", view=views.sent_modal(item, tr))
        if not isinstance(item, feedback.Held):  # else the daily release tells the lead
            outbox.deliver_soon(req.deps, item.project.id)


def queue_lead_messages(uow: UnitOfWork, item: FeedbackItem | Held, tr: Translator) -> None:
    """Queue the lead's DM (and the PMs', without a lead) in the feedback's transaction:
    paced, sent once (jobs/outbox.py), never lost to a crash after the commit. Sealed
    anonymous feedback queues nothing: the daily `feedback_release` job tells the lead."""
    if isinstance(item, Held):
        return
    text, blocks = views.lead_message(item, tr, no_lead=item.lead_user_id is None)
    outbox.enqueue_each(
        uow,
        project_id=item.project.id,
        kind="feedback_lead",
        key_prefix=f"feedback:{item.id}:lead:",
        recipients=item.recipients,
        text=text,
        blocks=blocks,
    )
