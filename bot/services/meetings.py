"""The weekly progress meeting: its date and time, agenda, RSVPs and added items.

The agenda is built from *agenda providers*, functions `(uow, project, now) -> lines`
registered in `AGENDA_PROVIDERS` (in the order they appear). Each domain registers its own
with `agenda_provider("name")`; the ones here use what every project has (items members
added, budget lines over 90 %). Slots for the domains built elsewhere, in this order:
`high_risks`, `overdue_risks` (risks), `missing_reports` (reports), `new_feedback`
(feedback), `open_surveys` (surveys).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.errors import FieldErrors
from bot.i18n import _
from bot.periods import today_in
from bot.scoring import share
from bot.services import funds, membership
from bot.services.feedback import NewFeedback
from bot.services.project_header import ProjectHeader
from bot.services.project_rows import audit_in, with_project
from bot.services.thresholds import WARN_PERCENT, reaches
from storage.models import AgendaItem, Meeting, MeetingRsvp, Project, Rsvp
from storage.uow import UnitOfWork

ITEM_FIELD = "agenda_item"
ITEM_MAX = 300


# -- agenda items: plain values, worded and formatted by the Slack edge ---------------------
@dataclass(frozen=True)
class RiskItem:
    """An open high or critical risk."""

    ref: str
    title: str
    score: int
    owner_id: str | None
    critical: bool


@dataclass(frozen=True)
class OverdueRiskItem:
    """An open risk below high, past its due date."""

    ref: str
    title: str
    due_on: dt.date


@dataclass(frozen=True)
class MissingReportsItem:
    """Departments whose fund-use report of the period [start, end] is missing."""

    start: dt.date
    end: dt.date
    departments: tuple[str, ...]  # names, sorted


@dataclass(frozen=True)
class BudgetLineItem:
    """A budget line that has used `percent` (rounded down) of its revised allocation."""

    name: str
    percent: int


@dataclass(frozen=True)
class SurveyItem:
    """A survey open now, with how many of those invited answered."""

    title: str
    answered: int
    invited: int

    @property
    def percent(self) -> Decimal | None:
        """Share answered, 0..100; None when nobody is invited."""
        return share(self.answered, self.invited, per=100)


@dataclass(frozen=True)
class MemberItem:
    """An item a member added, as typed."""

    text: str
    added_by: str


AgendaEntry = (
    RiskItem
    | OverdueRiskItem
    | MissingReportsItem
    | BudgetLineItem
    | NewFeedback
    | SurveyItem
    | MemberItem
)


@dataclass(frozen=True)
class AgendaLine:
    item: AgendaEntry
    source: str  # the provider's name


AgendaProvider = Callable[[UnitOfWork, Project, dt.datetime], list[AgendaLine]]
AGENDA_PROVIDERS: dict[str, AgendaProvider] = {}
# Modules that register providers with `agenda_provider` (imported before the first agenda,
# so the clock process, which loads no Slack handlers, sees them too), e.g. "bot.services.risks".
AGENDA_MODULES: tuple[str, ...] = ("bot.services.agenda",)
# The order of the agenda, by provider name (names not listed come last).
AGENDA_ORDER = (
    "high_risks",
    "overdue_risks",
    "missing_reports",
    "budget_lines",
    "new_feedback",
    "open_surveys",
    "member_items",
)


def agenda_provider(name: str) -> Callable[[AgendaProvider], AgendaProvider]:
    """Register an agenda provider under `name` (one of `AGENDA_ORDER`, or new)."""

    def decorate(provider: AgendaProvider) -> AgendaProvider:
        AGENDA_PROVIDERS[name] = provider
        return provider

    return decorate


@agenda_provider("budget_lines")
def over_budget_lines(uow: UnitOfWork, project: Project, now: dt.datetime) -> list[AgendaLine]:
    """Budget lines that have used 90 % or more of their revised allocation (the original
    plus approved change orders: the figure alerts, the Home and `/funds summary` use)."""
    lines = []
    for line in funds.lines(uow, project.id):
        if line.revised > 0 and reaches(line.spent, line.revised, WARN_PERCENT):
            percent = int(line.spent * 100 / line.revised)
            lines.append(AgendaLine(BudgetLineItem(line.name, percent), "budget_lines"))
    return lines


@dataclass(frozen=True)
class Reminder:
    """What the reminder message shows; rendered by the Slack edge."""

    meeting_id: int
    project: ProjectHeader
    starts_at: dt.datetime
    agenda: list[AgendaLine]
    counts: dict[str, int]


def meeting_start(project: Project, reminder_at: dt.datetime) -> dt.datetime:
    """The meeting a reminder fired at `reminder_at` is for (lead added on the wall clock)."""
    zone = ZoneInfo(project.timezone)
    local = reminder_at.astimezone(zone).replace(tzinfo=None)
    wall = local + dt.timedelta(minutes=project.reminder_lead_minutes)
    return wall.replace(tzinfo=zone).astimezone(dt.UTC)


def next_meeting_start(project: Project, now: dt.datetime) -> dt.datetime:
    """The start of the first weekly meeting after `now` (project time, DST-safe: the
    meeting keeps its wall-clock time)."""
    zone = ZoneInfo(project.timezone)
    today = now.astimezone(zone).date()
    for days in range(8):
        day = today + dt.timedelta(days=days)
        if day.weekday() != project.meeting_weekday:
            continue
        starts = dt.datetime.combine(day, project.meeting_time, tzinfo=zone).astimezone(dt.UTC)
        if starts > now:
            return starts
    raise AssertionError("a weekly meeting falls within eight days")


def meeting_date(project: Project, reminder_at: dt.datetime) -> dt.date:
    return meeting_start(project, reminder_at).astimezone(ZoneInfo(project.timezone)).date()


def open_meeting(uow: UnitOfWork, project: Project, starts_at: dt.datetime) -> Meeting:
    """The meeting of that date (created the first time). The caller commits."""
    date = today_in(project.timezone, starts_at)
    meeting = uow.meetings.on(project.id, date)
    if meeting is None:
        meeting = Meeting(
            project_id=project.id, date=date, starts_at=starts_at, created_at=uow.now()
        )
        uow.meetings.add(meeting)
        uow.flush()
    return meeting


@agenda_provider("member_items")
def member_items(uow: UnitOfWork, project: Project, now: dt.datetime) -> list[AgendaLine]:
    """Items members added since the last meeting began: they belong to the next one (or
    the one under way), whichever reminder message the item was added from."""
    meeting = _current_meeting(uow, project, now)
    if meeting is None:
        return []
    return [
        AgendaLine(MemberItem(i.text, i.added_by), "member_items") for i in items_of(uow, meeting)
    ]


def items_of(uow: UnitOfWork, meeting: Meeting) -> list[AgendaItem]:
    """A meeting's items: those added after the meeting before it started and before this
    one starts (an item belongs to the first meeting starting after it was added)."""
    previous = uow.meetings.before(meeting.project_id, meeting.starts_at)
    since = previous.starts_at if previous is not None else None
    return uow.meetings.items_added(meeting.project_id, since, meeting.starts_at)


def _current_meeting(uow: UnitOfWork, project: Project, now: dt.datetime) -> Meeting | None:
    today = today_in(project.timezone, now)
    for days in range(-1, 8):  # yesterday's, while its reminder is still updated
        meeting = uow.meetings.on(project.id, today + dt.timedelta(days=days))
        if meeting is not None:
            return meeting
    return None


def agenda(uow: UnitOfWork, project: Project, now: dt.datetime) -> list[AgendaLine]:
    """Every provider's lines, in `AGENDA_ORDER`."""
    for module in AGENDA_MODULES:
        importlib.import_module(module)
    rank = {name: i for i, name in enumerate(AGENDA_ORDER)}
    names = sorted(AGENDA_PROVIDERS, key=lambda n: rank.get(n, len(rank)))
    return [line for name in names for line in AGENDA_PROVIDERS[name](uow, project, now)]


def reminder(uow: UnitOfWork, meeting_id: int, now: dt.datetime) -> Reminder:
    """The meeting's reminder as it stands now (agenda and RSVP counts)."""
    meeting, project = _meeting_and_project(uow, meeting_id)
    counts = Counter(r.answer for r in uow.meetings.rsvps(meeting.id))
    return Reminder(
        meeting_id=meeting.id,
        project=ProjectHeader.of(project),
        starts_at=meeting.starts_at,
        agenda=agenda(uow, project, now),
        counts={answer: counts.get(answer, 0) for answer in Rsvp},
    )


def answer(
    uow: UnitOfWork, *, team_id: str, meeting_id: int, user_id: str, rsvp: str, now: dt.datetime
) -> None:
    """Record (or change) a member's RSVP. Only the project's people may answer."""
    meeting, project = _meeting_and_project(uow, meeting_id, team_id=team_id)
    membership.require_member(uow, project, user_id)
    choice = Rsvp(rsvp)
    row = uow.meetings.rsvp(meeting.id, user_id)
    before = {"answer": row.answer} if row else None
    if row is None:
        uow.meetings.add(MeetingRsvp(meeting_id=meeting.id, user_id=user_id, answer=choice, at=now))
    else:
        row.answer, row.at = choice, now
    audit_in(uow, project, user_id, "rsvp", "meeting", meeting.id, before, {"answer": str(choice)})
    uow.commit()


@dataclass(frozen=True)
class PlacedItem:
    """Where an added agenda item will appear: the meeting, when it starts, and whether that
    is another meeting than the one it was added from (which had started)."""

    item_id: int
    meeting_id: int
    starts_at: dt.datetime
    timezone: str
    locale: str
    moved: bool


def add_item(
    uow: UnitOfWork,
    *,
    team_id: str,
    meeting_id: int,
    user_id: str,
    text: str | None,
    now: dt.datetime,
) -> PlacedItem:
    """Add an item to the agenda of the meeting, or of the next one when that meeting has
    started. `FieldErrors` on `ITEM_FIELD` for bad text."""
    meeting, project = _meeting_and_project(uow, meeting_id, team_id=team_id)
    membership.require_member(uow, project, user_id)
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise FieldErrors({ITEM_FIELD: _("Write the item to discuss.")})
    if len(cleaned) > ITEM_MAX:
        raise FieldErrors(
            {ITEM_FIELD: _("Keep it under {n} characters.", context="meetings", n=ITEM_MAX)}
        )
    target = meeting
    if meeting.starts_at <= now:
        target = open_meeting(uow, project, next_meeting_start(project, now))
    item = AgendaItem(meeting_id=target.id, text=cleaned, added_by=user_id, added_at=now)
    uow.meetings.add(item)
    uow.flush()
    after = {"meeting_id": target.id, "text": cleaned}
    audit_in(uow, project, user_id, "add", "agenda_item", item.id, after=after)
    uow.commit()
    return PlacedItem(
        item.id,
        target.id,
        target.starts_at,
        project.timezone,
        project.locale,
        target is not meeting,
    )


def _meeting_and_project(
    uow: UnitOfWork, meeting_id: int, *, team_id: str | None = None
) -> tuple[Meeting, Project]:
    return with_project(
        uow, team_id, uow.meetings.get(meeting_id), _("That meeting no longer exists.")
    )
