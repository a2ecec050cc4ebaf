"""Block Kit for risks: pure functions of data and a translator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from slack_sdk.models.blocks import Block, ButtonElement

from bot.i18n import Msg, Translator, _
from bot.services.risks import RiskCard, Scope
from handlers import blocks as b
from handlers.risks.ids import RiskAction
from handlers.risks.views.labels import (
    CATEGORY,
    LEVEL,
    LEVEL_EMOJI,
    STATUS,
    TREATMENT,
)
from handlers.risks.views.modals import close_modal as close_modal
from handlers.risks.views.modals import pick_project_modal as pick_project_modal
from handlers.risks.views.modals import risk_modal as risk_modal
from handlers.risks.views.modals import update_modal as update_modal
from handlers.text import esc, slack_time, strong
from storage.models import RiskStatus

MAX_LISTED = 20
MAX_UPDATES_SHOWN = 10


def _user(user_id: str | None, tr: Translator) -> str:
    return f"<@{user_id}>" if user_id else tr(_("nobody yet"))


def _day(day: dt.date | None, tr: Translator) -> str:
    return tr.date(day) if day else "—"


def _level(card: RiskCard, tr: Translator) -> str:
    return f"{LEVEL_EMOJI[card.level]} {tr(LEVEL[card.level])} ({card.likelihood}×{card.impact}={card.score})"


def _buttons(card: RiskCard, tr: Translator) -> list[ButtonElement]:
    value = str(card.id)
    buttons = []
    if card.acknowledged_by is None:
        buttons.append(
            b.button(
                tr(_("Acknowledge", context="risks")),
                RiskAction.ACKNOWLEDGE,
                value,
                style="primary",
            )
        )
    if card.owner_id is None:  # once someone owns it the owner is shown, not offered
        buttons.append(b.button(tr(_("Take ownership")), RiskAction.TAKE_OWNERSHIP, value))
    buttons += [
        b.button(tr(_("Add update")), RiskAction.ADD_UPDATE, value),
        b.button(tr(_("Close")), RiskAction.CLOSE, value, style="danger"),
    ]
    return buttons


def _state_line(card: RiskCard, tr: Translator) -> str:
    if card.closed and card.closed_by and card.closed_at:
        line = tr(
            _("Closed by {user} {when}."),
            user=_user(card.closed_by, tr),
            when=slack_time(card.closed_at),
        )
        return f"{line} {esc(card.close_note)}" if card.close_note else line
    if card.acknowledged_by and card.acknowledged_at:
        return tr(
            _("Acknowledged by {user} {when}.", context="risks"),
            user=_user(card.acknowledged_by, tr),
            when=slack_time(card.acknowledged_at),
        )
    return tr(_("Not acknowledged yet."))


def _facts(card: RiskCard, tr: Translator) -> list[tuple[str, str]]:
    return [
        (tr(_("Level")), _level(card, tr)),
        (tr(_("Category")), tr(CATEGORY.get(card.category, _("Other")))),
        (tr(_("Owner")), _user(card.owner_id, tr)),
        (tr(_("Department")), esc(card.department_name) or "—"),
        (tr(_("Status")), tr(STATUS.get(card.status, _("Open")))),
        (tr(_("Treatment")), tr(TREATMENT[card.treatment]) if card.treatment else "—"),
        (tr(_("Due")), _day(card.due_on, tr)),
        (tr(_("Next review")), _day(card.review_on, tr)),
        (tr(_("Raised by")), f"<@{card.raised_by}> {slack_time(card.created_at)}"),
    ]


def _people(people: Sequence[str]) -> str:
    return ", ".join(f"<@{u}>" for u in people)


def _headline(message: Msg, card: RiskCard, tr: Translator, project_code: str) -> str:
    """`message` told of the risk: its emoji, level, ref, project code and title."""
    return tr(
        message,
        emoji=LEVEL_EMOJI[card.level],
        level=tr(LEVEL[card.level]),
        ref=card.ref,
        code=project_code,
        title=strong(card.title),
    )


def alert_message(
    card: RiskCard, tr: Translator, *, project_code: str, people: Sequence[str] = ()
) -> tuple[str, list[Block]]:
    """The command-channel message of a high or critical risk; redrawn on every change.
    `people` (the owner, else the department lead, else the PMs) are @-mentioned."""
    text = _headline(_("{emoji} {level} risk {ref} in {code}: {title}"), card, tr, project_code)
    items: list[Block] = [b.section(f"*{text}*")]
    if people and not card.closed:
        items.append(b.section(tr(_("Escalated to {people}."), people=_people(people))))
    if card.description:
        items.append(b.section(esc(card.description)))
    items.append(b.fields(_facts(card, tr)))
    if card.mitigation:
        items.append(b.section(f"*{tr(_('Mitigation'))}*\n{esc(card.mitigation)}"))
    if card.source_link:
        items.append(b.context(tr(_("Raised from <{link}|this message>."), link=card.source_link)))
    items.append(b.context(_state_line(card, tr)))
    if not card.closed:
        items.append(b.actions(*_buttons(card, tr), block_id=f"risk-{card.id}"))
    return text, items


def escalation_dm(
    card: RiskCard, tr: Translator, *, project_code: str, channel_id: str, posted: bool
) -> tuple[str, list[Block]]:
    """The DM to each person a high or critical risk is escalated to."""
    text = _headline(
        _("{emoji} {level} risk {ref} in {code} needs you: {title}"), card, tr, project_code
    )
    if posted:
        where = tr(
            _("It is posted in <#{channel}>: acknowledge it or take ownership there."),
            channel=channel_id,
        )
    else:
        where = tr(_("`/risk show {ref}` shows it."), ref=card.ref)
    raised = tr(
        _("Raised by <@{user}> · {level_detail}"),
        user=card.raised_by,
        level_detail=_level(card, tr),
    )
    items: list[Block] = [b.section(f"*{text}*\n{where}"), b.context(raised)]
    if card.acknowledged_by is None:
        acknowledge = b.button(
            tr(_("Acknowledge", context="risks")),
            RiskAction.ACKNOWLEDGE,
            str(card.id),
            style="primary",
        )
        items.append(b.actions(acknowledge, block_id=f"risk-dm-{card.id}"))
    return f"{text}\n{where}", items


def _similar_line(similar: Sequence[RiskCard], tr: Translator) -> str:
    refs = "; ".join(f"{c.ref} {strong(c.title)}" for c in similar)
    return tr(
        _(
            "⚠️ Similar open risk: {refs}. If it is the same risk, add an update there and close this one."
        ),
        refs=refs,
    )


def saved_message(
    card: RiskCard, tr: Translator, *, posted: bool, similar: Sequence[RiskCard] = ()
) -> str:
    """What the person who raised a risk is told (with open risks of a similar title)."""
    note = f" {_similar_line(similar, tr)}" if similar else ""
    return _saved_text(card, tr, posted=posted) + note


def _saved_text(card: RiskCard, tr: Translator, *, posted: bool) -> str:
    text = tr(
        _("Flagged {ref}: {title} · {level}."),
        ref=card.ref,
        title=esc(card.title),
        level=_level(card, tr),
    )
    if posted:
        return text + " " + tr(_("It was posted to the command channel."))
    return (
        text
        + " "
        + tr(_("`/risk show {ref}` shows it; `/risk list` lists open risks."), ref=card.ref)
    )


def _line(card: RiskCard, tr: Translator) -> str:
    owner = _user(card.owner_id, tr)
    extra = f" · {tr(STATUS[card.status])}" if card.status != RiskStatus.OPEN else ""
    return (
        f"{LEVEL_EMOJI[card.level]} *{card.ref}* {esc(card.title)} · {card.score} · {owner}{extra}"
    )


_SCOPE_TITLE = {
    Scope.OPEN: _("Open risks in {code}"),
    Scope.MINE: _("Your open risks in {code}"),
    Scope.HIGH: _("Open high and critical risks in {code}"),
    Scope.ALL: _("All risks in {code}"),
}


def list_message(
    cards: Sequence[RiskCard], tr: Translator, *, scope: Scope, project_code: str
) -> tuple[str, list[Block]]:
    title = tr(_SCOPE_TITLE[scope], code=project_code)
    if not cards:
        text = tr(_("{title}: none."), title=title)
        return text, [b.section(text)]
    items: list[Block] = [b.section(f"*{title}* ({len(cards)})")]
    items += [b.section(_line(c, tr)) for c in cards[:MAX_LISTED]]
    if len(cards) > MAX_LISTED:
        items.append(b.context(tr(_("…and {n} more."), n=len(cards) - MAX_LISTED)))
    items.append(b.context(tr(_("`/risk show R-n` for details and the update log."))))
    return title, items


def show_message(card: RiskCard, tr: Translator, *, project_code: str) -> tuple[str, list[Block]]:
    text, items = alert_message(card, tr, project_code=project_code)
    items = [i for i in items if i.type != "actions"]
    if card.updates:
        lines = []
        for update in card.updates[-MAX_UPDATES_SHOWN:]:
            change = ""
            if update.status_to:
                change = f" _{tr(STATUS.get(update.status_from or '', _('Open')))} → {tr(STATUS[update.status_to])}_"
            lines.append(
                f"• <@{update.author}> {slack_time(update.at)}{change}: {esc(update.text) or '—'}"
            )
        earlier = len(card.updates) - MAX_UPDATES_SHOWN
        head = tr(_("Updates"))
        if earlier > 0:
            head += " " + tr(_("(the last {n}; {m} earlier)"), n=MAX_UPDATES_SHOWN, m=earlier)
        items.append(b.section(f"*{head}*\n" + "\n".join(lines)))
    else:
        items.append(b.context(tr(_("No updates yet."))))
    return text, items
