"""Block Kit for feedback: pure functions of data and a translator."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.forms import Form
from bot.i18n import Msg, Translator, _
from bot.services.choices import Kind
from bot.services.feedback import (
    MAX_COMMENT,
    MAX_REPLY,
    RELEASE_AT,
    DepartmentChoice,
    FeedbackItem,
    Held,
    Received,
)
from bot.services.feedback import FeedbackField as F
from handlers import blocks as b
from handlers.feedback.ids import ANONYMOUS_YES, FeedbackAction, FeedbackView
from handlers.suggest import picker
from handlers.text import esc, slack_time, strong
from storage.models import FeedbackStatus

STATUS: Final[dict[str, Msg]] = {
    FeedbackStatus.NEW: _("New"),
    FeedbackStatus.ACKNOWLEDGED: _("Acknowledged"),
    FeedbackStatus.RESOLVED: _("Resolved"),
}
RATING_LABEL: Final[dict[int, Msg]] = {
    5: _("5 · Excellent"),
    4: _("4 · Good"),
    3: _("3 · Acceptable"),
    2: _("2 · Poor"),
    1: _("1 · Very poor"),
}
# The feedback modal's label of each field, also naming it in a workflow step's error.
FEEDBACK_LABELS: Final[dict[str, Msg]] = {
    F.TO_DEPARTMENT: _("Which department is this about?"),
    F.FROM_DEPARTMENT: _("Your department"),
    F.RATING: _("Rating"),
    F.COMMENT: _("Comment"),
    F.ANONYMOUS: _("Anonymity"),
}
# Items `/feedback list` shows at most: two blocks each, well inside the 50 blocks of a message.
LIST_LIMIT: Final = 15
QUOTE_LIMIT: Final = 600


def stars(rating: int) -> str:
    return "★" * rating + "☆" * (5 - rating) + f" {rating}/5"


def quote(text: str, limit: int = QUOTE_LIMIT) -> str:
    """User text quoted: escaped, one `>` per line."""
    return "\n".join(f"> {line}" for line in b.clip(esc(text), limit).splitlines() or [""])


def given_on(item: FeedbackItem, tr: Translator) -> str:
    """When feedback was given: the day only for anonymous feedback (that is all we keep)."""
    if item.anonymous:
        return tr.date(item.created_at.astimezone(ZoneInfo(item.project.timezone)).date())
    return slack_time(item.created_at)


def author(item: FeedbackItem, tr: Translator) -> str:
    source = esc(item.from_department) or tr(_("a department no longer listed"))
    if item.author_user_id:
        return f"<@{item.author_user_id}> · {source}"
    return tr(_("anonymous · {department}"), department=source)


def anonymity_note(tr: Translator) -> str:
    return tr(
        _(
            "Anonymous: your name is stored nowhere, not even in the audit log, and only the day "
            "(not the time) is kept. It is sealed until {time} (project time), when the lead gets "
            "it together with the day's other anonymous feedback. The lead sees your department, "
            "rating and comment; nobody, PMs included, can see who wrote it — so a reply cannot "
            "reach you, and in a very small department your department may give you away."
        ),
        time=RELEASE_AT.strftime("%H:%M"),
    )


def give_modal(
    form: Form[F],
    choices: Sequence[DepartmentChoice],
    tr: Translator,
    *,
    project: str,
    metadata: str,
) -> View:
    """The feedback modal; `F.FROM_DEPARTMENT` is prefilled from the giver's membership."""
    departments = [(str(c.id), c.name) for c in choices]
    ratings = b.labelled(RATING_LABEL, tr)
    items: list[Block] = [
        b.context(
            tr(
                _("Feedback to another department of {project}, as its internal customer."),
                project=esc(project),
            )
        ),
        b.select_input(
            F.TO_DEPARTMENT,
            tr(FEEDBACK_LABELS[F.TO_DEPARTMENT]),
            departments,
            initial=form.text(F.TO_DEPARTMENT),
            **picker(Kind.DEPARTMENT, tr),
        ),
        b.select_input(
            F.FROM_DEPARTMENT,
            tr(FEEDBACK_LABELS[F.FROM_DEPARTMENT]),
            departments,
            initial=form.text(F.FROM_DEPARTMENT),
            **picker(Kind.DEPARTMENT, tr),
        ),
        b.select_input(
            F.RATING, tr(FEEDBACK_LABELS[F.RATING]), ratings, initial=form.text(F.RATING)
        ),
        b.text_input(
            F.COMMENT,
            tr(FEEDBACK_LABELS[F.COMMENT]),
            initial=form.text(F.COMMENT),
            multiline=True,
            max_length=MAX_COMMENT,
            placeholder=tr(_("What went well, what should change?")),
        ),
        b.checkboxes_input(
            F.ANONYMOUS,
            tr(FEEDBACK_LABELS[F.ANONYMOUS]),
            [(ANONYMOUS_YES, tr(_("Send anonymously")))],
            hint=anonymity_note(tr),
        ),
    ]
    return b.form_modal(
        FeedbackView.GIVE,
        tr(_("Give feedback")),
        items,
        tr,
        submit=tr(_("Send")),
        metadata=metadata,
    )


def sent_modal(item: FeedbackItem | Held, tr: Translator) -> View:
    """What the giver sees after sending, in place of the form (no message names them)."""
    text = (
        held_note(item, tr)
        if isinstance(item, Held)
        else tr(
            _("Sent to {department}. You will get a message when its lead replies."),
            department=esc(item.to_department),
        )
    )
    return b.modal(
        FeedbackView.DONE,
        tr(_("Feedback sent")),
        [b.section(text)],
        submit=None,
        close=tr(_("Close")),
    )


def held_note(item: Held, tr: Translator) -> str:
    """When sealed anonymous feedback reaches the lead, as the giver is told."""
    when = tr(
        _("today at {time}") if item.today else _("tomorrow at {time}"),
        time=item.release_at.astimezone(ZoneInfo(item.project.timezone)).strftime("%H:%M"),
    )
    return tr(
        _(
            "Sent anonymously to {department}. Your feedback is sealed and will reach the lead "
            "with the day's other anonymous feedback {when} (project time). Thank you."
        ),
        department=esc(item.to_department),
        when=when,
    )


def _status_line(item: FeedbackItem, tr: Translator) -> str:
    if item.status == FeedbackStatus.RESOLVED and item.replied_by and item.replied_at:
        return tr(
            _("Resolved: {user} replied {when}."),
            user=f"<@{item.replied_by}>",
            when=slack_time(item.replied_at),
        )
    if item.acknowledged_by and item.acknowledged_at:
        return tr(
            _("Acknowledged by {user} {when}.", context="feedback"),
            user=f"<@{item.acknowledged_by}>",
            when=slack_time(item.acknowledged_at),
        )
    return tr(STATUS[item.status])


def lead_message(
    item: FeedbackItem, tr: Translator, *, no_lead: bool = False
) -> tuple[str, list[Block]]:
    """The receiving lead's DM: the feedback, its state, and the buttons still useful."""
    title = tr(
        _("Feedback for {department} ({project})"),
        department=strong(item.to_department),
        project=item.project.code,
    )
    text = tr(
        _("{department} received feedback: {rating}"),
        department=esc(item.to_department),
        rating=stars(item.rating),
    )
    items: list[Block] = [
        b.section(f"*{title}*"),
        b.fields(
            [
                (tr(_("Rating")), stars(item.rating)),
                (tr(_("From")), author(item, tr)),
                (tr(_("Given")), given_on(item, tr)),
                (tr(_("Status")), tr(STATUS[item.status])),
            ]
        ),
        b.section(quote(item.comment, 2800)),
    ]
    if item.reply and item.replied_by:
        items.append(
            b.section(
                tr(_("*Reply* from {user}:"), user=f"<@{item.replied_by}>")
                + "\n"
                + quote(item.reply, 2500)
            )
        )
    buttons = []
    if item.status == FeedbackStatus.NEW:
        buttons.append(
            b.button(
                tr(_("Acknowledge", context="feedback")),
                FeedbackAction.ACKNOWLEDGE,
                str(item.id),
                style="primary",
            )
        )
    if item.status != FeedbackStatus.RESOLVED:
        buttons.append(b.button(tr(_("Reply")), FeedbackAction.REPLY, str(item.id)))
    if buttons:
        items.append(b.actions(*buttons, block_id=f"feedback-{item.id}"))
    notes = [_status_line(item, tr)]
    if no_lead:
        notes.append(
            tr(
                _("{department} has no lead, so its PMs get this."),
                department=esc(item.to_department),
            )
        )
    if item.anonymous and item.status != FeedbackStatus.RESOLVED:
        notes.append(tr(_("The author is anonymous: your reply is kept with the feedback.")))
    items.append(b.context("  ·  ".join(notes)))
    return text, items


def reply_modal(item: FeedbackItem, tr: Translator, *, metadata: str) -> View:
    who = (
        tr(_("Your reply goes to {user} by direct message."), user=f"<@{item.author_user_id}>")
        if item.author_user_id
        else tr(
            _(
                "The author is anonymous, so nobody can be told; your reply is kept with the feedback."
            )
        )
    )
    items: list[Block] = [
        b.section(f"*{stars(item.rating)}* · {author(item, tr)}\n{quote(item.comment)}"),
        b.text_input(F.REPLY, tr(_("Your reply")), multiline=True, max_length=MAX_REPLY),
        b.context(who + " " + tr(_("Replying resolves the feedback."))),
    ]
    return b.form_modal(
        FeedbackView.REPLY,
        tr(_("Reply to feedback")),
        items,
        tr,
        submit=tr(_("Send reply")),
        metadata=metadata,
    )


def author_message(item: FeedbackItem, tr: Translator) -> tuple[str, list[Block]]:
    """The DM a named author gets with the reply."""
    text = tr(
        _("{user} ({department}) replied to your feedback."),
        user=f"<@{item.replied_by}>",
        department=esc(item.to_department),
    )
    return text, [
        b.section(text),
        b.section(
            tr(_("Your feedback ({rating}):"), rating=stars(item.rating))
            + "\n"
            + quote(item.comment, 1000)
        ),
        b.section(tr(_("*Reply:*")) + "\n" + quote(item.reply or "", 2500)),
        b.context(item.project.code),
    ]


def list_message(received: Received, tr: Translator, *, project: str) -> tuple[str, list[Block]]:
    """`/feedback list`: newest first, cut at `LIST_LIMIT` with "and N more"."""
    whose = ", ".join(received.departments) or tr(_("every department"))
    title = tr(
        _("Feedback received by {departments} ({project})"), departments=whose, project=project
    )
    # The header is plain text, shown as typed; the message `text` is mrkdwn.
    text_title = tr(
        _("Feedback received by {departments} ({project})"), departments=esc(whose), project=project
    )
    if not received.items:
        text = tr(_("No feedback yet for {departments}."), departments=esc(whose))
        return text, [b.section(text)]
    summary = tr(
        _("{total} in all · mean rating {mean} · {new} new"),
        total=received.total,
        mean=tr.number(received.mean or 0, 1),
        new=received.new,
    )
    items: list[Block] = [b.header(title), b.context(summary)]
    for item in received.items[:LIST_LIMIT]:
        line = (
            f"*{stars(item.rating)}* · {tr(STATUS[item.status])} · "
            + (f"{esc(item.to_department)} · " if not received.departments else "")
            + f"{author(item, tr)} · {given_on(item, tr)}\n{quote(item.comment, 300)}"
        )
        items.append(b.section(line))
        if item.reply and item.replied_by:
            items.append(
                b.context(
                    tr(_("Reply from {user}:"), user=f"<@{item.replied_by}>")
                    + " "
                    + b.clip(esc(item.reply), 200)
                )
            )
    more = received.total - min(len(received.items), LIST_LIMIT)
    if more > 0:
        items.append(b.context(tr(_("… and {n} more."), n=more)))
    return text_title, items
