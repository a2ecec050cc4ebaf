"""Steps shared by the risk command, shortcuts and buttons: open the modal, post, redraw."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.forms import Form
from bot.i18n import Translator
from bot.services import risks
from bot.services.risks import RiskCard, RiskField
from bot.text import from_mrkdwn, storable
from handlers.common import Caller
from handlers.kit import ProjectRef, own_projects, project_here
from handlers.payloads import pack
from handlers.risks import views
from jobs import outbox
from storage.uow import UnitOfWork

log = logging.getLogger("icrm.risks")

# The description field takes 3,000 characters (the picker's metadata is `pack`ed, so it
# need not be shorter).
MAX_CARRIED = 3000


class RiskMeta(BaseModel):
    """Carried in the risk modal's `private_metadata`."""

    project_id: int
    channel_id: str | None = None  # where the user started, for the confirmation
    link: str | None = None


class PickMeta(BaseModel):
    """Carried by the project picker that comes before the risk modal."""

    channel_id: str | None = None
    link: str | None = None
    description: str | None = None  # the risk modal's, prefilled


class RiskRef(BaseModel):
    """Carried by the update and close modals."""

    risk_id: int
    channel_id: str | None = None


def risk_modal_view(
    deps: Deps,
    project: ProjectRef,
    form: Form[RiskField],
    *,
    channel_id: str | None,
    link: str | None,
) -> dict[str, object]:
    """The risk modal for `project`, with a default review date if none was given."""
    with deps.uow() as uow:
        departments = risks.department_choices(uow, project.id)
    today = risks.today_in(project.timezone, deps.now())
    meta = RiskMeta(project_id=project.id, channel_id=channel_id, link=link)
    view = views.risk_modal(
        form,
        project.tr,
        project_label=f"{project.code} · {project.name}",
        departments=departments,
        review=(today + risks.REVIEW_AFTER).isoformat(),
        metadata=pack(deps, meta),
        link=link,
    )
    return view.to_dict()


def open_for_caller(
    deps: Deps,
    client: WebClient,
    caller: Caller,
    *,
    tr: Translator,
    description: str | None = None,
    find_link: Callable[[], str | None] | None = None,
) -> None:
    """Open the risk modal (its description prefilled with `description`) for the project
    of the caller's channel, their only project, or — when they are in several — after a
    project picker. `find_link` (a Web API call) runs only after the modal is open, whose
    trigger lasts 3 s; its link is then added to it."""
    description = storable(from_mrkdwn(description or ""))[:MAX_CARRIED] or None
    form = Form.of(RiskField, description=description)
    project = project_here(deps, caller)
    if project is None:
        mine = own_projects(deps, caller)
        if len(mine) > 1:
            meta = PickMeta(channel_id=caller.channel_id, description=description)
            choices = [(str(p.id), f"{p.code} · {p.name}") for p in mine]

            def picker(link: str | None) -> Any:
                carried = pack(deps, meta.model_copy(update={"link": link}))
                return views.pick_project_modal(tr, choices, metadata=carried)

            open_then_link(client, caller, picker, None, find_link)
            return
        project = mine[0]

    def risk_modal(link: str | None) -> Any:
        return risk_modal_view(deps, project, form, channel_id=caller.channel_id, link=link)

    open_then_link(client, caller, risk_modal, None, find_link)


def open_then_link(
    client: WebClient,
    caller: Caller,
    render: Callable[[str | None], Any],
    link: str | None,
    find_link: Callable[[], str | None] | None,
) -> None:
    """Open `render(link)` on the caller's trigger; only then (the trigger lasts 3 s, and
    a lookup may not) look the link up with `find_link`, and when there is one redraw the
    modal with it."""
    opened = client.views_open(trigger_id=caller.trigger_id, view=render(link))
    found = find_link() if find_link else None
    if found:
        update_opened(client, opened, render(found))


def update_opened(client: WebClient, opened: Any, view: Any) -> None:
    """Redraw a modal we just opened (unless the user already moved on from it)."""
    found = opened.get("view") or {}
    try:
        client.views_update(view_id=found.get("id"), hash=found.get("hash"), view=view)
    except SlackApiError as error:  # closed, or changed since: it keeps what it shows
        log.info("could not add the link to the risk modal: %s", error.response.get("error"))


def queue_escalation(
    uow: UnitOfWork, card: RiskCard, project: ProjectRef, *, raised_by: str
) -> tuple[str, list[str]]:
    """Queue, in `uow`, a high or critical risk's command-channel alert (by DM to whoever
    raised it if the bot cannot post there) and the DM to each person it is escalated to
    (not whoever raised it: they know), saying it is posted in the channel; their keys,
    `risk:<id>:alert` and `risk:<id>:dm:<user>`."""
    people = risks.escalation_people(card, project.pm_ids)
    text, blocks = views.alert_message(card, project.tr, project_code=project.code, people=people)
    alert = f"risk:{card.id}:alert"
    outbox.to_channel_in(
        uow, project, "risk_escalation", alert, text, blocks, fallback_user=raised_by
    )
    dm_text, dm_blocks = _escalation_dm(card, project, posted=True)
    keys = []
    for person in people:
        if person == raised_by:
            continue
        key = f"risk:{card.id}:dm:{person}"
        outbox.enqueue(
            uow,
            project_id=project.id,
            kind="risk_escalation_dm",
            key=key,
            recipient=person,
            text=dm_text,
            blocks=dm_blocks,
        )
        keys.append(key)
    return alert, keys


def _escalation_dm(card: RiskCard, project: ProjectRef, *, posted: bool) -> Any:
    return views.escalation_dm(
        card, project.tr, project_code=project.code, channel_id=project.channel_id, posted=posted
    )


def escalate(
    deps: Deps, client: WebClient, card: RiskCard, project: ProjectRef, *, raised_by: str
) -> bool:
    """Post a high or critical risk to the command channel, @-mentioning whom it is
    escalated to, and DM each of them (not whoever raised it: they know). Exactly once per
    risk, even when the submission is retried: True when it is (or was) posted there."""
    with deps.uow() as uow:
        first = risks.claim_escalation(uow, card=card, team_id=project.team_id, now=deps.now())
    if not first:
        log.info("risk %s was already escalated", card.id)
        return card.alert_ts is not None or _alert_recorded(deps, card.id)
    # Queued (by `create_risk` with the risk, else here), keyed by the risk: nothing is
    # queued twice. The alert is sent at once (paced; the clock's pass sends all of it if
    # we die), then the DMs, told where the alert landed.
    alert, dms = outbox.queued(
        deps, lambda uow: queue_escalation(uow, card, project, raised_by=raised_by)
    )
    outbox.deliver(deps, project_id=project.id, keys=[alert])
    landed = outbox.sent(deps, alert)
    ts = landed[1] if landed is not None and landed[0] == project.channel_id else None
    if ts is not None:
        with deps.uow() as uow:
            risks.record_alert(uow, risk_id=card.id, channel_id=project.channel_id, ts=ts)
    else:  # not in the channel: the DMs say how to find it instead
        dm_text, dm_blocks = _escalation_dm(card, project, posted=False)

        def unposted(uow: UnitOfWork) -> None:
            for key in dms:
                outbox.rewrite(uow, key, dm_text, dm_blocks)

        outbox.queued(deps, unposted)
    if dms:  # one unreachable person does not stop the others (refusals are logged)
        outbox.deliver(deps, project_id=project.id, keys=dms)
    with deps.uow() as uow:
        risks.finish_escalation(uow, card=card, now=deps.now())
    return ts is not None


def _alert_recorded(deps: Deps, risk_id: int) -> bool:
    with deps.uow() as uow:
        risk = uow.risks.get(risk_id)
        return risk is not None and risk.alert_ts is not None


def redraw(client: WebClient, card: RiskCard, project: ProjectRef) -> None:
    """Update the risk's command-channel message in place, if it has one."""
    if not (card.alert_channel and card.alert_ts):
        return
    people = risks.escalation_people(card, project.pm_ids)
    text, blocks = views.alert_message(card, project.tr, project_code=project.code, people=people)
    try:
        client.chat_update(channel=card.alert_channel, ts=card.alert_ts, text=text, blocks=blocks)
    except SlackApiError as error:  # the message was deleted, or the bot removed
        log.warning("could not update the message of risk %s: %s", card.id, error)
