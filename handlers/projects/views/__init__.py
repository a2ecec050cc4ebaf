"""Block Kit for project set-up: pure functions of data and a translator."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import Block, ButtonElement
from slack_sdk.models.views import View

from bot.forms import Form
from bot.i18n import Msg, Translator, _
from bot.labels import WEEKDAY
from bot.services.project_settings import WEIGHT_FIELDS
from bot.services.project_settings import SettingsField as S
from bot.services.projects import ProjectField as F
from handlers import blocks as b
from handlers.ids import View as V
from handlers.projects.ids import ProjectView as PV
from handlers.scorecard.views import COMPONENT
from handlers.text import esc


@dataclass(frozen=True)
class ListPage:
    """What an administration list (`/icrm budget`, `departments`, `roles`) is drawn for:
    the project's `code` and PMs, whether the reader `can_edit`, each row's buttons' value
    (`value_of`, by the row's key) and the Add button's (`add_value`), and the `notice` of
    the last change."""

    code: str
    pm_ids: Sequence[str]
    can_edit: bool
    value_of: Mapping[Any, str]
    add_value: str
    notice: str | None = None

    def edit(self, tr: Translator, action_id: str, key: object) -> ButtonElement | None:
        """The Edit button of the row `key`, for a reader who may edit."""
        return b.button(tr(_("Edit")), action_id, self.value_of[key]) if self.can_edit else None


def pm_list(
    tr: Translator,
    page: ListPage,
    title: str,
    rows: Sequence[Block],
    *,
    below_title: Sequence[Block] = (),
    empty: Msg,
    hidden: int,
    more: Msg,
    add: ButtonElement,
    only_pms: Msg,
) -> list[Block]:
    """A list PMs keep: the `notice` of the last change, the header and `below_title`, the
    `rows` (or `empty` when there are none), a note (`more`) of the `hidden` rows not shown,
    and last the `add` button for a PM or, for anyone else,
    `only_pms` naming the PMs who can change it."""
    items: list[Block] = [b.section(page.notice)] if page.notice else []
    items += [b.header(title), *below_title]
    items += rows or [b.section(tr(empty))]
    if hidden > 0:
        items.append(b.context(tr(more, n=hidden)))
    if page.can_edit:
        items.append(b.actions(add))
    else:
        pms = ", ".join(f"<@{u}>" for u in page.pm_ids)
        items.append(b.context(tr(only_pms, pms=pms)))
    return items


def _rhythm_inputs(form: Form[F], tr: Translator) -> list[Block]:
    """The set-up modal's meeting, report and PM fields."""
    weekdays = b.numbered(WEEKDAY, tr)
    return [
        b.select_input(
            F.MEETING_WEEKDAY,
            tr(_("Weekly progress meeting: day")),
            weekdays,
            initial=form.text(F.MEETING_WEEKDAY),
        ),
        b.time_input(
            F.MEETING_TIME,
            tr(_("Weekly progress meeting: time")),
            initial=form.text(F.MEETING_TIME),
        ),
        b.date_input(
            F.REPORT_ANCHOR,
            tr(_("First day of the fortnightly fund-use reports")),
            initial=form.text(F.REPORT_ANCHOR),
        ),
        b.users_input(F.PMS, tr(_("Project managers (PMs)")), initial=form.many(F.PMS)),
        b.context(
            tr(_("Only PMs can change the project, start surveys, void entries and export data."))
        ),
    ]


def setup_modal(form: Form[F], tr: Translator, *, editing: bool, metadata: str) -> View:
    """The create / edit project modal, prefilled from `form`."""
    items: list[Block] = [
        b.text_input(
            F.CODE,
            tr(_("Project code")),
            initial=form.text(F.CODE),
            placeholder="HWY-42",
            hint=tr(_("Short and unique in this workspace: capital letters, digits, dashes.")),
            max_length=20,
        ),
        b.text_input(F.NAME, tr(_("Project name")), initial=form.text(F.NAME), max_length=200),
        b.text_input(
            F.CURRENCY,
            tr(_("Currency")),
            initial=form.text(F.CURRENCY),
            max_length=3,
            hint=tr(_("ISO 4217 code, like CNY or USD. A project has one currency.")),
        ),
        b.text_input(
            F.TOTAL_BUDGET,
            tr(_("Total budget")),
            initial=form.text(F.TOTAL_BUDGET),
            placeholder="1,200,000,000",
            hint=tr(_("You can type 12亿, 3500万 or 1,234.50.")),
        ),
        b.text_input(
            F.TIMEZONE,
            tr(_("Time zone")),
            initial=form.text(F.TIMEZONE),
            hint=tr(_("IANA name, like Asia/Shanghai or Europe/London. Reminders follow it.")),
        ),
        b.select_input(
            F.LOCALE,
            tr(_("Language of the bot's messages")),
            [("en", "English"), ("zh-Hans", "简体中文")],
            initial=form.text(F.LOCALE),
        ),
        *_rhythm_inputs(form, tr),
    ]
    return b.form_modal(
        V.PROJECT_SETUP,
        tr(_("Edit project") if editing else _("Set up a project")),
        items,
        tr,
        metadata=metadata,
    )


def created_message(
    tr: Translator, *, code: str, name: str, user_id: str, departments: list[str], created: bool
) -> tuple[str, list[Block]]:
    """The channel message confirming a new or changed project."""
    if created:
        text = tr(
            _(
                "{user} set up project *{code}* · {name} in this channel, the joint command centre (联合指挥部)."
            ),
            user=f"<@{user_id}>",
            code=code,
            name=esc(name),
        )
        next_steps = tr(
            _(
                "Departments: {departments}. Next: `/icrm departments` to name leads and members, `/icrm budget` for budget lines, `/icrm roles` for who does what."
            ),
            departments=esc(", ".join(departments)),
        )
        return text, [b.section(text), b.context(next_steps)]
    text = tr(
        _("{user} updated project *{code}* · {name}."),
        user=f"<@{user_id}>",
        code=code,
        name=esc(name),
    )
    return text, [b.section(text)]


def _weight_inputs(form: Form[S], tr: Translator) -> list[Block]:
    items: list[Block] = [
        b.context(
            tr(
                _(
                    "Monthly scorecard weights: 0–10 each; 0 leaves a component out. A component without data in a month is left out too."
                )
            )
        )
    ]
    for component, field in WEIGHT_FIELDS.items():
        items.append(
            b.text_input(
                field,
                tr(_("Scorecard weight: {component}"), component=tr(COMPONENT[component])),
                initial=form.text(field),
                max_length=2,
            )
        )
    return items


# The settings modal's number fields: field, label, max length and hint (None: no hint).
_NUMBER_FIELDS: tuple[tuple[S, Msg, int, Msg | None], ...] = (
    (S.REMINDER_LEAD_MINUTES, _("Meeting reminder: minutes before the meeting"), 5, None),
    (S.REPORT_DUE_DAYS, _("Fund-use report due: days after the period ends"), 2, None),
    (S.NUDGE_HOURS, _("Nudge leads: hours after the report prompt"), 3, None),
    (
        S.ANONYMITY_MIN,
        _("Anonymity minimum: respondents before results are shown"),
        4,
        _("At least 3. Smaller groups are hidden in survey results."),
    ),
    (
        S.COMMENT_ANONYMITY_MIN,
        _("Anonymity minimum for free-text comments"),
        4,
        _("At least the anonymity minimum: comments identify people more easily."),
    ),
    (S.RUNWAY_THRESHOLD_WEEKS, _("Runway warning: weeks of cash left"), 3, None),
)


def _number_inputs(form: Form[S], tr: Translator) -> list[Block]:
    return [
        b.text_input(
            field,
            tr(label),
            initial=form.text(field),
            max_length=max_length,
            hint=tr(hint) if hint else None,
        )
        for field, label, max_length, hint in _NUMBER_FIELDS
    ]


def settings_modal(form: Form[S], tr: Translator, *, metadata: str) -> View:
    """The PM's schedule and thresholds modal, prefilled from `form`."""
    weekdays = b.numbered(WEEKDAY, tr)
    items: list[Block] = [
        *_number_inputs(form, tr),
        b.select_input(
            S.DIGEST_WEEKDAY,
            tr(_("Weekly digest: day")),
            weekdays,
            initial=form.text(S.DIGEST_WEEKDAY),
        ),
        b.time_input(S.DIGEST_TIME, tr(_("Weekly digest: time")), initial=form.text(S.DIGEST_TIME)),
        b.context(tr(_("Times are in the project's time zone."))),
        *_weight_inputs(form, tr),
    ]
    return b.form_modal(
        PV.SETTINGS,
        tr(_("Project settings")),
        items,
        tr,
        metadata=metadata,
    )
