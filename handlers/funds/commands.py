"""`/funds`: record fund use, void and list entries, funding sources and drawdowns, the
summary; and the alerts a change posts (the modals and buttons are in `actions`)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, TypeVar

from pydantic import BaseModel
from slack_bolt import App
from slack_sdk import WebClient

from bot import charts
from bot.charts import LinePoint
from bot.deps import Deps
from bot.errors import UserError
from bot.i18n import Translator, _
from bot.services import fund_entries, funds
from bot.services.fund_entries import EntryFilter, EntryPage, ListedEntry
from bot.services.funds import (
    LineAlert,
    Liquidity,
    Outcome,
)
from handlers.approvals import commands as controls
from handlers.common import Caller, tell
from handlers.files import upload
from handlers.funds import views
from handlers.funds.views import entries as views_entries
from handlers.ids import Command
from handlers.kit import Invocation, ProjectMeta, ProjectRef, Sub, slash_command
from handlers.payloads import pack
from handlers.reports.commands import open_report
from jobs import outbox
from storage.uow import UnitOfWork

log = logging.getLogger("icrm.funds")
T = TypeVar("T")


def _meta(inv: Invocation) -> str:
    """Every funds modal's `private_metadata`."""
    return ProjectMeta.packed(inv.deps, inv.required_project, inv.caller)


def open_fund_use(inv: Invocation) -> None:
    project = inv.required_project
    today, lines = controls.member_lines(inv.deps, project, inv.caller.user_id)
    view = views.fund_use_modal(lines, inv.tr, today=today, metadata=_meta(inv))
    inv.open_modal(view)


def show_summary(inv: Invocation) -> None:
    project = inv.required_project
    with inv.deps.uow() as uow:
        model = funds.project_of(uow, project.team_id, project.id)
        today = funds.project_today(model, inv.deps.now())
        result = funds.summary(uow, team_id=project.team_id, project_id=project.id, today=today)
    text, blocks = views.summary_message(
        result, code=project.code, currency=project.currency, tr=inv.tr
    )
    inv.reply(text, blocks)
    inv.later(lambda: send_chart(inv, result))


def send_chart(inv: Invocation, result: funds.Summary) -> None:
    """Budget vs actual as a picture, to the asker's DM (an ephemeral cannot carry a file)."""
    project = inv.required_project
    if views.budget_chart_form(result.lines) is not charts.Form.PNG:
        return  # the summary carries Slack's own chart (or there is nothing to draw)
    points = [LinePoint(line.name, line.revised, line.spent) for line in result.lines]
    png = charts.budget_vs_actual(points, project.currency, inv.tr)
    if png is None:
        return
    try:
        title = inv.tr(_("Budget vs actual · {code}"), code=project.code)
        upload(
            inv.client,
            channel=inv.caller.user_id,
            filename=f"{project.code}-budget.png",
            title=title,
            content=png,
        )
    except Exception:  # the figures were delivered; a missing picture is only logged
        log.exception("could not upload the budget chart of %s", project.code)


def void(inv: Invocation) -> None:
    project = inv.required_project
    usage = _("Use `/funds void <id> <reason>`, e.g. `/funds void 42 duplicate invoice`.")
    if not inv.words:
        raise UserError(usage)
    word = inv.words[0].lstrip("#")
    if not word.isdigit() or len(word) > 12:
        raise UserError(
            _("“{word}” is not an entry number. {usage}", word=inv.words[0][:20], usage=usage)
        )
    reason = " ".join(inv.words[1:])
    void_entry(inv.deps, inv.caller, project, int(word), reason, project.tr)
    inv.later(lambda: outbox.deliver_soon(inv.deps, project.id))


def void_entry(
    deps: Deps, caller: Caller, project: ProjectRef, entry_id: int, reason: str, tr: Translator
) -> None:
    """Void the entry (`funds.void_entry`) with, committed with it, its note to the command
    channel (`/funds void` and the Void modal say the same) and any alert it causes."""

    def queue(uow: UnitOfWork, outcome: Outcome) -> None:  # committed with the void
        text = views_entries.voided_text(
            user=caller.user_id,
            entry_id=outcome.id,
            amount=outcome.amount,
            line=outcome.label,
            reason=reason,
            currency=project.currency,
            tr=tr,
        )
        key = f"fund:entry:{outcome.id}:void"
        # a void lowers spending: rarely a runway alert, but say so
        queue_outcome(uow, project, key, text, outcome, user=caller.user_id)

    with deps.uow() as uow:
        funds.void_entry(
            uow,
            **caller.acting(project.id),
            entry_id=entry_id,
            reason=reason,
            now=deps.now(),
            queue=queue,
        )


def _managed(inv: Invocation, what: Any) -> tuple[ProjectRef, Any]:
    project = inv.required_project
    with inv.deps.uow() as uow:
        model = funds.managed_project(uow, project.team_id, project.id, inv.caller.user_id, what)
        today = funds.project_today(model, inv.deps.now())
        sources = funds.liquidity(uow, model, today).sources
    return project, (today, sources)


def open_sources(inv: Invocation) -> None:
    project, (_today, sources) = _managed(inv, _("set up funding sources"))
    view = views.source_modal(sources, project.currency, inv.tr, metadata=_meta(inv))
    inv.open_modal(view)


def open_drawdown(inv: Invocation) -> None:
    project, (today, sources) = _managed(inv, _("record drawdowns"))
    if not sources:
        raise UserError(
            _("This project has no funding sources yet. Add one first with `/funds sources`.")
        )
    view = views.drawdown_modal(sources, project.currency, inv.tr, today=today, metadata=_meta(inv))
    inv.open_modal(view)


# -- /funds list [line] [from] [to]: page through entries ---------------------------------


class MoreValue(BaseModel):
    """The "more" button: the project, the filter and where the next page starts."""

    p: int
    f: EntryFilter
    d: dt.date
    e: int


class VoidValue(BaseModel):
    """A *Void* button (and the void modal's metadata): the project and the entry."""

    p: int
    e: int
    c: str | None = None  # the channel the list was shown in


def show_entries(
    deps: Deps,
    client: WebClient,
    caller: Caller,
    project: ProjectRef,
    filter: EntryFilter,
    before: tuple[dt.date, int] | None,
) -> None:
    with deps.uow() as uow:
        page = fund_entries.list_entries(
            uow,
            **caller.acting(project.id),
            filter=filter,
            before=before,
        )
    text, blocks = _render(deps, caller, project, page)
    tell(client, caller, text, blocks=[blk.to_dict() for blk in blocks])


def _render(deps: Deps, caller: Caller, project: ProjectRef, page: EntryPage) -> Any:
    more = None
    if page.next_before is not None:
        day, entry_id = page.next_before
        more = pack(deps, MoreValue(p=project.id, f=page.filter, d=day, e=entry_id))

    def void_value(entry: ListedEntry) -> str:
        return pack(deps, VoidValue(p=project.id, e=entry.id, c=caller.channel_id))

    return views_entries.list_message(
        page,
        code=project.code,
        currency=project.currency,
        tr=project.tr,
        void_value=void_value,
        more_value=more,
    )


def list_entries(inv: Invocation) -> None:
    """`/funds list [line] [from] [to]`."""
    project = inv.required_project
    with inv.deps.uow() as uow:
        model = funds.project_of(uow, project.team_id, project.id)
        filter = fund_entries.parse_filter(uow, model, inv.words)
    show_entries(inv.deps, inv.client, inv.caller, project, filter, None)


# Another domain adds `report` (the fortnightly report modal) here.
SUBCOMMANDS: dict[str, Sub] = {
    "": Sub(open_fund_use),
    "summary": Sub(show_summary),
    "void": Sub(void),
    "sources": Sub(open_sources),
    "drawdown": Sub(open_drawdown),
    "report": Sub(open_report),
    "list": Sub(list_entries),
    "approvals": Sub(controls.open_approvals),
    "change": Sub(controls.open_change),
    "history": Sub(controls.open_history),
    "policy": Sub(controls.open_policy),
}


def queue_outcome(
    uow: UnitOfWork,
    project: ProjectRef,
    key: str,
    text: str | None,
    outcome: Outcome,
    *,
    user: str,
) -> None:
    """Queue, in `uow` (a service's `queue` callback: committed with the change), the
    announcement `text` (key `key`) and the alerts a change produced."""
    if text is not None:
        announce(uow, project, key, text, user=user)
    queue_alerts(uow, project, key, outcome.line_alerts, outcome.runway_alert, user=user)


def announce(uow: UnitOfWork, project: ProjectRef, key: str, text: str, *, user: str) -> None:
    """Queue an announcement for the command channel in `uow` (jobs/outbox.py: paced, sent
    once, committed with the change it tells about)."""
    outbox.to_channel_in(uow, project, "funds_announcement", key, text, [], fallback_user=user)


def queue_alerts(
    uow: UnitOfWork,
    project: ProjectRef,
    key: str,
    line_alerts: list[LineAlert],
    runway_alert: Liquidity | None,
    *,
    user: str,
) -> None:
    """Queue threshold and runway alerts for the command channel in `uow` (also after an
    approval), keyed by the change (`key`): `<key>:alert:<percent>:<line>`, `<key>:runway`."""
    tr = project.tr
    for alert in line_alerts:
        text, blocks = views.line_alert_message(
            alert, code=project.code, currency=project.currency, tr=tr
        )
        where = f"{key}:alert:{alert.percent}:{alert.line_name}"
        outbox.to_channel_in(
            uow, project, "threshold_alert", where, text, blocks, fallback_user=user
        )
    if runway_alert is not None:
        text, blocks = views.runway_alert_message(
            runway_alert,
            project_id=project.id,
            code=project.code,
            currency=project.currency,
            tr=tr,
        )
        outbox.to_channel_in(
            uow, project, "runway_alert", f"{key}:runway", text, blocks, fallback_user=user
        )


def register(app: App, deps: Deps) -> None:
    slash_command(app, deps, Command.FUNDS, SUBCOMMANDS, default="")
