"""Block Kit of the meeting reminder and the add-agenda-item modal: pure functions."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.i18n import Mentions, Msg, Translator, _
from bot.services.feedback import NewFeedback
from bot.services.meetings import (
    ITEM_FIELD,
    ITEM_MAX,
    AgendaEntry,
    BudgetLineItem,
    MemberItem,
    MissingReportsItem,
    OverdueRiskItem,
    PlacedItem,
    Reminder,
    RiskItem,
    SurveyItem,
)
from handlers import blocks as b
from handlers.meetings.ids import Action
from handlers.meetings.ids import View as V
from handlers.text import esc, slack_time, strong
from storage.models import Rsvp

MAX_AGENDA_LINES = 40


def agenda_text(item: AgendaEntry) -> Msg:
    """One agenda line worded, its user text escaped (`strong` where it sits in bold or
    names something typed: titles, budget lines)."""
    match item:
        case RiskItem():
            risk: dict[str, Any] = {
                "ref": esc(item.ref),
                "title": strong(item.title),
                "score": item.score,
                "owner": Mentions.of([item.owner_id], empty="—"),
            }
            if item.critical:
                return _("Critical risk *{ref}* {title} (score {score}, owner {owner})", **risk)
            return _("High risk *{ref}* {title} (score {score}, owner {owner})", **risk)
        case OverdueRiskItem():
            return _(
                "Risk *{ref}* {title} is past its due date ({date})",
                ref=esc(item.ref),
                title=strong(item.title),
                date=item.due_on.isoformat(),
            )
        case MissingReportsItem():
            return _(
                "Fund-use reports missing for {start} – {end}: {departments}",
                start=item.start.isoformat(),
                end=item.end.isoformat(),
                departments=esc(", ".join(item.departments)),
            )
        case BudgetLineItem():
            return _(
                "Budget line *{line}* has used {percent}% of its allocation",
                line=strong(item.name),
                percent=item.percent,
            )
        case NewFeedback():
            return _(
                "{department}: {n} feedback item(s) not yet acknowledged",
                department=esc(item.department),
                n=item.new,
            )
        case SurveyItem():
            percent = item.percent
            return _(
                "Survey *{title}* is open: {answered} of {invited} answered ({percent})",
                title=strong(item.title),
                answered=item.answered,
                invited=item.invited,
                percent=f"{percent:.0f}%" if percent is not None else "—",
            )
        case MemberItem():
            return _(
                "{text} (added by {user})", text=esc(item.text), user=Mentions.of([item.added_by])
            )


def reminder_message(data: Reminder, tr: Translator) -> tuple[str, list[Block]]:
    """The reminder posted to the project channel; the same shape after each RSVP."""
    when = slack_time(data.starts_at, data.project.timezone)
    text = tr(
        _("Weekly progress meeting of {code} · {name}: {when}"),
        code=data.project.code,
        name=strong(data.project.name),
        when=when,
    )
    lines = [f"• {tr(agenda_text(line.item))}" for line in data.agenda[:MAX_AGENDA_LINES]]
    agenda = "\n".join(lines) if lines else tr(_("Nothing on the agenda yet."))
    value = str(data.meeting_id)
    counts = tr(
        _("Going: {going} · Not going: {not_going} · Maybe: {maybe}"),
        going=data.counts.get(Rsvp.GOING, 0),
        not_going=data.counts.get(Rsvp.NOT_GOING, 0),
        maybe=data.counts.get(Rsvp.MAYBE, 0),
    )
    items: list[Block] = [
        b.section(f"*{text}*"),
        b.section(f"*{tr(_('Agenda'))}*\n{agenda}"),
        b.actions(
            b.button(tr(_("Going")), Action.RSVP_GOING, value, style="primary"),
            b.button(tr(_("Not going")), Action.RSVP_NOT_GOING, value),
            b.button(tr(_("Maybe")), Action.RSVP_MAYBE, value),
            b.button(tr(_("Add agenda item")), Action.ADD_ITEM, value),
            block_id="meeting",
        ),
        b.context(counts),
    ]
    return text, items


def item_added_text(placed: PlacedItem, tr: Translator) -> str:
    """Tells the member which meeting their item will be discussed at, and when."""
    when = slack_time(placed.starts_at, placed.timezone)
    if placed.moved:
        return tr(
            _(
                "That meeting has already started, so your item is on the agenda of the next weekly meeting: {when}."
            ),
            when=when,
        )
    return tr(_("Added to the agenda of the weekly meeting on {when}."), when=when)


def add_item_modal(tr: Translator, *, metadata: str) -> View:
    return b.form_modal(
        V.ADD_ITEM,
        tr(_("Add agenda item")),
        [
            b.text_input(
                ITEM_FIELD,
                tr(_("What should the meeting discuss?")),
                multiline=True,
                max_length=ITEM_MAX,
            )
        ],
        tr,
        submit=tr(_("Add")),
        metadata=metadata,
    )
