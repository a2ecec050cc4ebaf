"""The queued outbox (`jobs/outbox.py`): every message queued with its change goes out once.

Each kind dies mid-way (before the send, or after Slack took it and before it was
recorded), then a second pass (the restarted clock's) sends exactly the missing ones; two
clocks at once and a manual `jobs run` after the clock never post twice; the survey jobs
fire at the survey's own times as the frozen clock moves.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import Deps
from bot.slack import make_web_client
from jobs import outbox
from jobs import surveys as survey_jobs
from jobs.delivery import Delivery, Pacer, Posted
from jobs.manual import run_now
from jobs.scheduler import Clock
from jobs.scorecard import monthly_scorecard
from storage.models import JobRun, OutboxMessage, OutboxStatus
from tests.conftest import CHANNEL, LEAD, MEMBER, OTHER, PM
from tests.conftest import Clock as FrozenClock
from tests.e2e.test_jobs import _survey
from tests.factories import Made, make_project
from tests.fake_slack import FakeSlack
from tests.scorecard_fixture import at as sc_at
from tests.scorecard_fixture import october

CST = dt.timezone(dt.timedelta(hours=8))
OPENS = dt.datetime(2026, 12, 1, 10, 0, tzinfo=CST)
PEOPLE = (MEMBER, OTHER)  # to invite and remind: LEAD has answered


class Killed(BaseException):
    """The process dies here."""


class Dying(Delivery):
    """The project's delivery, dying at its `after`-th post: before it (`posted=False`) or
    once Slack has taken it, before it is recorded (`posted=True`)."""

    def __init__(self, deps: Deps, *, after: int, posted: bool) -> None:
        super().__init__(make_web_client(deps.settings, sleep=deps.sleep), Pacer())
        self.after, self.posted, self.count = after, posted, 0

    def post(self, recipient: str, key: str, text: str, blocks: list[Any]) -> Posted:
        self.count += 1
        if self.count == self.after and not self.posted:
            raise Killed
        sent = super().post(recipient, key, text, blocks)
        if self.count == self.after:
            raise Killed
        return sent


def survey(deps: Deps, made: Made, opens: dt.datetime = OPENS, days: int = 3) -> int:
    """A survey for LEAD (who has answered), MEMBER and OTHER (who have not)."""
    return _survey(deps, made, opens, opens + dt.timedelta(days=days))


def dms(fake: FakeSlack, user: str, start: str) -> list[dict[str, Any]]:
    return [m for m in fake.messages.get("D" + user, []) if m["text"].startswith(start)]


def statuses(deps: Deps, kind: str) -> list[str]:
    with deps.uow() as uow:
        return sorted(
            r.status for r in uow.session.scalars(select(OutboxMessage)) if r.kind == kind
        )


def with_survey(deps: Deps) -> Made:
    """The project, with `survey`'s survey opening at OPENS for three days."""
    made = make_project(deps)
    survey(deps, made)
    return made


def survey_runs(deps: Deps) -> list[tuple[str, str]]:
    with deps.uow() as uow:
        runs = uow.session.scalars(select(JobRun).where(JobRun.job.like("survey_%"))).all()
        return sorted((r.job, r.period_key) for r in runs)


def restarted_pass(deps: Deps, clock: FrozenClock) -> int:
    """The next clock's pass, once the dead deliverer's claim went stale."""
    clock.frozen += outbox.STALE_AFTER + dt.timedelta(seconds=1)
    c = Clock(deps, workers=1)
    c.active = True
    return c.deliver_queued()


QUEUES = {
    "survey_invite": (survey_jobs.queue_invitations, OPENS + dt.timedelta(minutes=1), "You"),
    "survey_reminder": (
        survey_jobs.queue_reminders,
        OPENS + dt.timedelta(days=2, minutes=1),
        "Reminder",
    ),
}


@pytest.mark.parametrize("kind", list(QUEUES))
@pytest.mark.parametrize("posted", [False, True])
@pytest.mark.parametrize("after", [1, 2])
def test_survey_dms_of_a_deliverer_killed_mid_way_go_out_once(
    kind: str, posted: bool, after: int, deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    made = with_survey(deps)
    queue, when, start = QUEUES[kind]
    clock.frozen = when
    if kind == "survey_reminder":  # invited first
        survey_jobs.survey_open(deps, None, OPENS)
    keys = queue(deps, when, made.project_id)
    assert len(keys) == 2
    with pytest.raises(Killed):
        outbox.deliver(deps, keys=keys, delivery=Dying(deps, after=after, posted=posted))
    # The rows before the killed one were recorded; the killed one is looked up (posted)
    # or sent (not posted), and the rest are sent.
    assert restarted_pass(deps, clock) == 3 - after
    assert restarted_pass(deps, clock) == 0
    assert [len(dms(fake_slack, user, start)) for user in PEOPLE] == [1, 1]
    assert statuses(deps, kind) == ["sent"] * 2


def test_queued_invitations_of_a_process_that_died_before_sending_are_sent_by_the_clock(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    made = with_survey(deps)
    clock.frozen = OPENS + dt.timedelta(seconds=5)
    survey_jobs.queue_invitations(deps, clock.frozen, made.project_id)  # then the process dies
    assert fake_slack.calls_to("chat.postMessage") == []
    c = Clock(deps, workers=1)
    c.active = True
    assert c.deliver_queued() == 2  # a pending row needs no stale wait
    assert c.deliver_queued() == 0
    assert survey_jobs.survey_open(deps, None, clock.frozen) == 0  # all claimed already
    assert [len(dms(fake_slack, u, "")) for u in PEOPLE] == [1, 1]


@pytest.mark.parametrize("posted", [False, True])
def test_survey_results_of_a_deliverer_killed_mid_send_are_posted_once(
    posted: bool, deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    made = with_survey(deps)
    clock.frozen = OPENS + dt.timedelta(days=3, minutes=1)
    keys = survey_jobs.queue_results(deps, clock.frozen, made.project_id)
    assert keys == [f"survey:{keys[0].split(':')[1]}:results"]
    with pytest.raises(Killed):
        outbox.deliver(deps, keys=keys, delivery=Dying(deps, after=1, posted=posted))
    assert restarted_pass(deps, clock) == 1
    assert survey_jobs.survey_close(deps, None, clock.frozen) == 0
    results = [m for m in fake_slack.messages.get(CHANNEL, []) if "Results of" in m["text"]]
    assert len(results) == 1
    with deps.uow() as uow:
        [row] = [r for r in uow.session.scalars(select(OutboxMessage)) if r.key == keys[0]]
        assert row.status == OutboxStatus.SENT and row.ts == results[0]["ts"]


def test_results_go_to_the_pm_by_dm_when_the_bot_cannot_post_in_the_channel(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    with_survey(deps)
    fake_slack.channel(CHANNEL, private=True, bot_member=False)
    clock.frozen = OPENS + dt.timedelta(days=3, minutes=1)
    assert survey_jobs.survey_close(deps, None, clock.frozen) == 1
    [dm] = [m for m in fake_slack.messages.get("D" + PM, []) if "Results of" in m["text"]]
    assert "/invite @ICRM" in dm["text"]


@pytest.fixture
def png_trend(monkeypatch: pytest.MonkeyPatch) -> None:
    """A trend too big for Slack's own chart (more than six departments): a PNG follows."""
    from bot import charts
    from handlers.scorecard import views

    monkeypatch.setattr(views, "trend_form", lambda trend: charts.Form.PNG)


@pytest.mark.parametrize("posted", [False, True])
def test_a_scorecard_killed_between_message_and_chart_posts_and_shares_once(
    posted: bool, deps: Deps, clock: FrozenClock, fake_slack: FakeSlack, png_trend: None
) -> None:
    october(deps, clock)
    clock.frozen = sc_at(2026, 11, 1, 9)
    with pytest.raises(Killed):
        monthly_scorecard(deps, None, clock.frozen, delivery=Dying(deps, after=1, posted=posted))
    assert monthly_scorecard(deps, None, clock.frozen) == 0  # claimed: a restart does not redo it
    assert restarted_pass(deps, clock) == 2  # the message (looked up or sent), then the chart
    assert restarted_pass(deps, clock) == 0
    posts = [m for m in fake_slack.messages.get(CHANNEL, []) if "Monthly scorecard" in m["text"]]
    assert len(posts) == 1
    assert len(fake_slack.calls_to("files.completeUploadExternal")) == 1


def test_a_file_in_doubt_is_never_shared_twice(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack, png_trend: None
) -> None:
    october(deps, clock)
    clock.frozen = sc_at(2026, 11, 1, 9)
    fake_slack.fail_after("files.completeUploadExternal", status=503)
    assert monthly_scorecard(deps, None, clock.frozen) == 1  # the share answered 503
    assert restarted_pass(deps, clock) == 0  # in doubt: not shared again
    assert len(fake_slack.calls_to("files.completeUploadExternal")) == 1


def test_a_post_answered_503_after_slack_took_it_is_not_sent_again(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    with_survey(deps)
    clock.frozen = OPENS + dt.timedelta(minutes=1)
    fake_slack.fail_after("chat.postMessage", status=503)
    assert survey_jobs.survey_open(deps, None, clock.frozen) == 2
    assert restarted_pass(deps, clock) == 0
    assert [len(dms(fake_slack, u, "")) for u in PEOPLE] == [1, 1]


def test_two_clocks_passing_at_once_never_post_twice(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    made = make_project(deps)
    for hours in range(3):  # three surveys: six DMs queued
        survey(deps, made, OPENS - dt.timedelta(hours=hours))
    clock.frozen = OPENS + dt.timedelta(minutes=1)
    assert len(survey_jobs.queue_invitations(deps, clock.frozen, made.project_id)) == 6
    clocks = [Clock(deps, workers=1) for _ in range(2)]
    counts: list[int] = []
    start = threading.Barrier(2)

    def run(c: Clock) -> None:
        c.active = True
        start.wait()
        counts.append(c.deliver_queued())

    threads = [threading.Thread(target=run, args=(c,)) for c in clocks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(counts) == 6
    assert len(fake_slack.calls_to("chat.postMessage")) == 6
    assert [len(dms(fake_slack, u, "")) for u in PEOPLE] == [3, 3]


def test_survey_jobs_fire_at_the_surveys_times_and_a_manual_run_after_repeats_nothing(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    made = make_project(deps)
    with deps.uow() as uow:  # made before the survey's times
        from storage.models import Project

        project = uow.session.get(Project, made.project_id)
        assert project is not None
        project.created_at = OPENS - dt.timedelta(days=1)
        uow.commit()
    survey(deps, made)
    c = Clock(deps, workers=1)
    c.active = True

    def surveys_done() -> set[str]:
        return {r.job for r in c.catch_up() if r.job.startswith("survey_") and r.outcome == "done"}

    def manual_repeats_nothing(name: str) -> None:  # a `jobs run` after the clock
        before = len(fake_slack.calls_to("chat.postMessage"))
        [result] = run_now(deps, name, project_code="HWY-42", at=clock.frozen)
        assert result.outcome == "already done" and result.sent == 0, name
        assert len(fake_slack.calls_to("chat.postMessage")) == before

    clock.frozen = OPENS - dt.timedelta(minutes=1)
    assert surveys_done() == set()
    assert fake_slack.calls_to("chat.postMessage") == []
    clock.frozen = OPENS + dt.timedelta(seconds=20)
    assert surveys_done() == {"survey_open"}
    assert [len(dms(fake_slack, u, "")) for u in PEOPLE] == [1, 1]
    manual_repeats_nothing("survey_open")
    clock.frozen = OPENS + dt.timedelta(days=2) - dt.timedelta(minutes=1)
    assert surveys_done() == set()
    clock.frozen = OPENS + dt.timedelta(days=2, seconds=20)
    assert surveys_done() == {"survey_reminder"}
    assert [len(dms(fake_slack, u, "Reminder")) for u in PEOPLE] == [1, 1]
    manual_repeats_nothing("survey_reminder")
    clock.frozen = OPENS + dt.timedelta(days=3, seconds=20)
    assert surveys_done() == {"survey_close"}
    assert surveys_done() == set()
    manual_repeats_nothing("survey_close")
    results = [m for m in fake_slack.messages.get(CHANNEL, []) if "Results of" in m["text"]]
    assert len(results) == 1
    # Three survey runs in all, one per survey time: no poll.
    assert survey_runs(deps) == [
        ("survey_close", "2026-12-04T10:00"),
        ("survey_open", "2026-12-01T10:00"),
        ("survey_reminder", "2026-12-03T10:00"),
    ]


def test_an_hour_without_anything_to_nudge_writes_no_job_run(
    deps: Deps, clock: FrozenClock
) -> None:
    made = make_project(deps)
    with deps.uow() as uow:
        from storage.models import Project

        project = uow.session.get(Project, made.project_id)
        assert project is not None
        project.created_at = OPENS - dt.timedelta(days=1)
        uow.commit()
    c = Clock(deps, workers=1)
    c.active = True
    for hour in range(3):
        clock.frozen = OPENS + dt.timedelta(hours=hour, seconds=20)
        c.catch_up()
    [result] = run_now(deps, "approval_nudge", project_code="HWY-42", at=clock.frozen)
    assert result.sent == 0 and "Nothing waits" in result.explain()
    with deps.uow() as uow:
        nudges = uow.session.scalar(
            select(func.count()).select_from(JobRun).where(JobRun.job == "approval_nudge")
        )
    assert nudges == 0


# -- request-triggered messages ---------------------------------------------------------------


def test_an_escalation_whose_sends_failed_is_sent_by_the_clocks_pass_once(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    """The request's own send fails (Slack 500s): the row waits, and a later pass (the DMs'
    background pass, or the clock's) sends each message exactly once."""
    from bot.services import risks
    from handlers.risks import flows
    from handlers.routing import project_by_id
    from tests.e2e.test_risks import make_risk
    from tests.fake_slack import TEAM_ID

    clock.frozen = OPENS
    made = make_project(deps)
    make_risk(deps, made, "资金链断裂", 4, 5, owner=LEAD)
    project = project_by_id(deps, TEAM_ID, made.project_id)
    assert project is not None
    with deps.uow() as uow:
        card = risks.find(uow, project_id=made.project_id, number=1)
    fake_slack.fail("chat.postMessage", status=500, times=3)
    assert (
        flows.escalate(
            deps, make_web_client(deps.settings, sleep=deps.sleep), card, project, raised_by=MEMBER
        )
        is False
    )
    from bot.log import ContextExecutor

    ContextExecutor.wait_all_idle(timeout=10)  # the DM's background pass
    restarted_pass(deps, clock)  # whatever the DM's pass did not pick up
    assert restarted_pass(deps, clock) == 0
    alerts = [m for m in fake_slack.messages.get(CHANNEL, []) if "R-1" in m["text"]]
    assert len(alerts) == 1
    assert len(fake_slack.messages.get("D" + LEAD, [])) == 1
    assert statuses(deps, "risk_escalation") == ["sent"]
    assert statuses(deps, "risk_escalation_dm") == ["sent"]


def test_a_refused_message_is_recorded_and_never_retried(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    clock.frozen = OPENS
    made = make_project(deps)

    def queue() -> bool:
        with deps.uow() as uow:
            queued = outbox.enqueue(
                uow,
                project_id=made.project_id,
                kind="test",
                key="test:gone",
                recipient="C0GONE",
                text="hello",
                blocks=[],
            )
            uow.commit()
            return queued

    assert queue()
    fake_slack.channel("C0GONE", private=True, bot_member=False)
    assert outbox.deliver(deps, project_id=made.project_id) == 0
    assert statuses(deps, "test") == ["failed"]
    assert restarted_pass(deps, clock) == 0
    assert not queue()  # a second queueing of the same key is refused
