"""What each scheduled post says, on a real calendar with a frozen clock: a project created
mid-period, a run on the wrong weekday, a catch-up after missed weeks, a DST week; and why a
run that sends nothing sent nothing."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import Deps
from bot.i18n import translator
from handlers.meetings.ids import Action
from jobs import load_all
from jobs.manual import run_now
from jobs.registry import REGISTRY
from jobs.runner import RunResult
from jobs.scheduler import Clock
from storage.models import AgendaItem, JobRun, Meeting, Project, Report
from tests.conftest import CHANNEL, LEAD, MEMBER, PM
from tests.conftest import Clock as FrozenClock
from tests.e2e.test_jobs import channel, dms
from tests.e2e.test_meetings import meeting_id
from tests.factories import Made, add_risk, add_source, add_survey, make_project, spend
from tests.fake_slack import FakeSlack
from tests.slack_driver import SlackDriver

CST = dt.timezone(dt.timedelta(hours=8))
NEW_YORK = "America/New_York"
EN = translator("en")


def created(deps: Deps, made: Made, at: dt.datetime) -> None:
    """The project was set up at `at` (the clock catches up nothing from before it)."""
    with deps.uow() as uow:
        project = uow.session.get(Project, made.project_id)
        assert project is not None
        project.created_at = at
        uow.commit()


def said(result: RunResult) -> str:
    assert result.reason is not None, result
    return result.explain()


def token(instant: dt.datetime) -> str:
    return f"<!date^{int(instant.timestamp())}^"


@pytest.fixture
def clock_of(deps: Deps) -> Iterator[Any]:
    """A clock running only the named kinds (as if it held the lock)."""
    made: list[Clock] = []

    def make(*names: str) -> Clock:
        load_all()
        c = Clock(deps, workers=1, kinds={n: REGISTRY[n] for n in names})
        c.active = True
        made.append(c)
        return c

    yield make
    for c in made:
        c.active = False


def by_job(results: list[RunResult]) -> dict[str, RunResult]:
    return {r.job: r for r in results}


# -- report_summary / prompt / nudge --------------------------------------------------------


def test_a_summary_of_a_period_nobody_was_prompted_for_posts_nothing_and_says_why(
    deps: Deps,
    clock: FrozenClock,
    fake_slack: FakeSlack,
    cli: Callable[..., str],
) -> None:
    # The PM's demo: reports anchored on 1 December, "Run now" on its evening.
    make_project(deps, report_anchor="2026-12-01", locale="zh-Hans")
    clock.frozen = dt.datetime(2026, 12, 1, 22, 14, tzinfo=CST)
    [summary] = run_now(deps, "report_summary")
    assert (summary.period_key, summary.outcome, summary.sent) == ("2026-11-03", "done", 0)
    assert "2026-11-03 – 2026-11-16 没有应交的资金使用报告" in said(summary)
    [prompt] = run_now(deps, "report_prompt")  # the period of 17–30 Nov: before the anchor
    assert (prompt.period_key, prompt.sent) == ("2026-11-17", 0)
    assert "早于项目的首个报告周期（自 2026-12-01 起）" in said(prompt)
    [nudge] = run_now(deps, "report_nudge")
    assert nudge.sent == 0 and "从未发出填报提醒" in said(nudge)
    assert channel(fake_slack) == [] and dms(fake_slack, LEAD) == []
    with deps.uow() as uow:
        assert uow.session.scalars(select(Report)).all() == []  # nobody was marked late
        run = uow.jobs.run("report_summary", summary.project_id, "2026-11-03")
        assert run is not None and run.reason is not None
        assert run.reason["msgid"].startswith("No reports were due for {start} – {end}")

    # `jobs run` says the same, in the project's language; a second run says it again.
    out = cli("jobs", "run", "report_summary", "--at", "2026-12-01T22:14+08:00")
    assert "period 2026-11-03: already done, 0 message(s) sent: " in out
    assert "没有应交的资金使用报告" in out

    from bot.sandbox import jobs as sandbox_jobs

    # The sandbox's job log: the job by its name and the reason, in the page's language.
    line = sandbox_jobs.run(deps, "report_summary", "HWY-42")
    shown = line.show(translator("zh-Hans"))
    assert "资金使用报告汇总：本期已运行，已发送 0 条（" in shown and "没有应交" in shown
    english = line.show(translator("en"))
    assert english.startswith("Report summary: already done, 0 sent (No reports were due for")
    assert "report_summary" not in shown + english


def test_a_project_created_mid_period_is_prompted_nudged_and_summarised_for_it(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack, clock_of: Any
) -> None:
    early = make_project(deps, code="P-1")
    created(deps, early, dt.datetime(2026, 11, 10, 12, 0, tzinfo=CST))
    # Set up just after the first period closed: nobody was asked for that period.
    late = make_project(deps, code="P-2", channel="CLATE", finance_lead="ULATE")
    created(deps, late, dt.datetime(2026, 11, 16, 12, 0, tzinfo=CST))
    c = clock_of("report_prompt", "report_nudge", "report_summary")
    closed = dt.datetime(2026, 11, 16, 0, 0, tzinfo=CST)

    clock.frozen = closed + dt.timedelta(seconds=20)
    [prompt] = c.catch_up()
    assert (prompt.project_id, prompt.period_key, prompt.sent) == (
        early.project_id,
        "2026-11-02",
        1,
    )
    assert prompt.reason is None  # it sent something: nothing to explain
    [dm] = dms(fake_slack, LEAD)
    assert "Time for the fortnightly fund-use report of *Finance* (P-1)" in dm["text"]
    due = dt.datetime(2026, 11, 18, 0, 0, tzinfo=CST)
    assert token(due) in json.dumps(dm["blocks"])

    clock.frozen = closed + dt.timedelta(days=1, seconds=20)
    nudges = {r.project_id: r for r in c.catch_up()}
    assert nudges[early.project_id].sent == 1
    assert nudges[late.project_id].sent == 0
    assert "nobody was asked for them" in said(nudges[late.project_id])
    assert dms(fake_slack, "ULATE") == []

    clock.frozen = closed + dt.timedelta(days=2, seconds=20)
    summaries = {r.project_id: r for r in c.catch_up()}
    [posted] = channel(fake_slack)
    assert "Fund-use reports of P-1 for Nov 2, 2026 – Nov 15, 2026:" in posted["text"]
    assert "0 submitted, 1 missing, 0 excused" in posted["text"]
    assert f"<@{LEAD}>" in json.dumps(posted["blocks"])
    assert summaries[late.project_id].sent == 0
    assert said(summaries[late.project_id]).startswith(
        "No reports were due for 2026-11-02 – 2026-11-15"
    )
    assert channel(fake_slack, "CLATE") == []
    with deps.uow() as uow:
        rows = uow.session.scalars(select(Report)).all()
        assert [(r.project_id, r.status) for r in rows] == [(early.project_id, "late")]


def test_the_report_jobs_across_the_november_dst_change(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack, clock_of: Any
) -> None:
    # New York: the period 19 Oct – 1 Nov 2026 ends on the day DST ends (1 November).
    made = make_project(deps, timezone=NEW_YORK, report_anchor="2026-10-19")
    created(deps, made, dt.datetime(2026, 10, 21, 12, 0, tzinfo=dt.UTC))
    c = clock_of("report_prompt", "report_nudge", "report_summary")
    clock.frozen = dt.datetime(2026, 11, 2, 4, 0, 20, tzinfo=dt.UTC)  # 00:00 EDT: not yet
    assert c.catch_up() == []
    clock.frozen = dt.datetime(2026, 11, 2, 5, 0, 20, tzinfo=dt.UTC)  # 00:00 EST
    [prompt] = c.catch_up()
    assert (prompt.job, prompt.period_key, prompt.sent) == ("report_prompt", "2026-10-19", 1)
    [dm] = dms(fake_slack, LEAD)
    due = dt.datetime(2026, 11, 4, 5, 0, tzinfo=dt.UTC)  # 4 Nov 00:00 EST
    assert token(due) in json.dumps(dm["blocks"]) and "2026-11-04 00:00 EST" in json.dumps(
        dm["blocks"]
    )
    clock.frozen = dt.datetime(2026, 11, 3, 5, 0, 20, tzinfo=dt.UTC)  # 24 h after the prompt
    [nudge] = c.catch_up()
    assert (nudge.job, nudge.sent) == ("report_nudge", 1)
    clock.frozen = due + dt.timedelta(seconds=20)
    [summary] = c.catch_up()
    assert summary.job == "report_summary" and summary.sent == 1
    assert (
        "for Oct 19, 2026 – Nov 1, 2026: 0 submitted, 1 missing" in channel(fake_slack)[0]["text"]
    )


# -- meeting_reminder -------------------------------------------------------------------------


def test_a_reminder_run_on_the_wrong_weekday_announces_no_past_meeting(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack, clock_of: Any
) -> None:
    made = make_project(deps)  # meets on Mondays at 10:00 Shanghai, reminded at 09:00
    clock.frozen = dt.datetime(2026, 12, 2, 22, 14, tzinfo=CST)  # Wednesday
    [result] = run_now(deps, "meeting_reminder")
    assert (result.period_key, result.outcome, result.sent) == ("2026-11-30", "done", 0)
    assert said(result) == (
        "The meeting of 2026-11-30 10:00 CST has already started, so it is not announced; "
        "the next one is on 2026-12-07 10:00 CST (its reminder goes out 60 minutes before)."
    )
    [again] = run_now(deps, "meeting_reminder")  # the sandbox's second press says the same
    assert again.outcome == "already done" and "has already started" in said(again)
    assert channel(fake_slack) == []
    with deps.uow() as uow:
        assert uow.session.scalars(select(Meeting)).all() == []

    created(deps, made, dt.datetime(2026, 12, 1, tzinfo=CST))
    clock.frozen = dt.datetime(2026, 12, 7, 9, 0, 20, tzinfo=CST)
    [monday] = clock_of("meeting_reminder").catch_up()
    assert (monday.period_key, monday.sent) == ("2026-12-07", 1)
    [reminder] = channel(fake_slack)
    assert token(dt.datetime(2026, 12, 7, 10, 0, tzinfo=CST)) in reminder["text"]
    assert "2026-12-07 10:00 CST" in reminder["text"]


def test_a_catch_up_after_the_meeting_started_is_skipped_and_logged(
    deps: Deps,
    clock: FrozenClock,
    fake_slack: FakeSlack,
    clock_of: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    made = make_project(deps)
    created(deps, made, dt.datetime(2026, 11, 1, tzinfo=CST))
    c = clock_of("meeting_reminder")
    clock.frozen = dt.datetime(2026, 11, 30, 9, 0, 20, tzinfo=CST)
    assert [r.sent for r in c.catch_up()] == [1]
    # The clock is down for two weeks: the reminders of 7 and 14 December are missed. Back
    # at 12:00 on the 14th, within the 6 h grace of that day's 09:00 reminder: the meeting
    # began at 10:00, so nothing is announced (the 7th is past the grace and not looked at).
    clock.frozen = dt.datetime(2026, 12, 14, 12, 0, tzinfo=CST)
    with caplog.at_level(logging.WARNING, logger="icrm.clock"):
        [late] = c.catch_up()
    assert (late.period_key, late.outcome, late.sent) == ("2026-12-14", "done", 0)
    assert "The meeting of 2026-12-14 10:00 CST has already started" in said(late)
    assert "meeting_reminder for HWY-42 (2026-12-14) skipped" in caplog.text
    assert c.catch_up() == []  # settled
    clock.frozen = dt.datetime(2026, 12, 21, 9, 0, 20, tzinfo=CST)
    [next_week] = c.catch_up()
    assert next_week.sent == 1
    assert len(channel(fake_slack)) == 2
    assert "2026-12-21 10:00 CST" in channel(fake_slack)[1]["text"]


def test_a_missed_week_past_the_grace_is_skipped_with_its_reason(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack, clock_of: Any
) -> None:
    made = make_project(deps)
    created(deps, made, dt.datetime(2026, 11, 1, tzinfo=CST))
    clock.frozen = dt.datetime(2026, 12, 14, 8, 0, tzinfo=CST)  # a week after the 7th's
    [skipped] = clock_of("meeting_reminder", "weekly_digest").catch_up()[:1]
    assert skipped.outcome == "skipped"
    assert said(skipped) == "Missed by 6 days, 23:00:00, past the 6:00:00 catch-up window: skipped."
    with deps.uow() as uow:
        runs = uow.session.scalars(select(JobRun)).all()
        assert {(r.job, r.status) for r in runs} == {
            ("meeting_reminder", "skipped"),
            ("weekly_digest", "skipped"),
        }
        assert all(r.reason and r.reason["msgid"].startswith("Missed by") for r in runs)
    assert channel(fake_slack) == []


# -- items added with *Add agenda item* ---------------------------------------------------------


def _reminder(deps: Deps, clock: FrozenClock, fake: FakeSlack, at: dt.datetime) -> dict[str, Any]:
    clock.frozen = at
    [result] = run_now(deps, "meeting_reminder")
    assert result.sent == 1, result
    return dict(fake.messages[CHANNEL][-1])


def _add(slack: SlackDriver, message: dict[str, Any], text: str, user: str = MEMBER) -> str:
    before = len(slack.fake.calls_to("chat.postEphemeral"))
    slack.action(Action.ADD_ITEM, meeting_id(message), user=user, channel=CHANNEL, message=message)
    view = slack.opened_view()
    answer = slack.submit(view, {"agenda_item": text}, user=user)
    assert answer.status_code == 200 and not answer.content
    told = slack.fake.wait_for("chat.postEphemeral", count=before + 1)[before]
    assert told.args["user"] == user and told.args["channel"] == CHANNEL
    return str(told.args["text"])


def test_an_item_added_after_the_meeting_goes_to_the_next_one_and_says_when(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack, slack: SlackDriver
) -> None:
    make_project(deps)
    monday = _reminder(deps, clock, fake_slack, dt.datetime(2026, 12, 7, 9, 0, tzinfo=CST))
    clock.frozen = dt.datetime(2026, 12, 7, 9, 30, tzinfo=CST)  # before it starts: this one
    first = _add(slack, monday, "Pier inspection")
    this_meeting = dt.datetime(2026, 12, 7, 10, 0, tzinfo=CST)
    assert first == (
        f"Added to the agenda of the weekly meeting on {token(this_meeting)}"
        "{date_short_pretty} {time}|2026-12-07 10:00 CST>."
    )
    [update] = fake_slack.wait_for("chat.update")
    assert "Pier inspection" in json.dumps(update.args["blocks"])

    clock.frozen = dt.datetime(2026, 12, 9, 15, 0, tzinfo=CST)  # Wednesday, from Monday's
    moved = _add(slack, monday, "Land handover")
    next_meeting = dt.datetime(2026, 12, 14, 10, 0, tzinfo=CST)
    assert moved.startswith("That meeting has already started, so your item is on the agenda")
    assert f"{token(next_meeting)}{{date_short_pretty}} {{time}}|2026-12-14 10:00 CST>" in moved
    assert len(fake_slack.calls_to("chat.update")) == 1  # Monday's message stays as it was
    with deps.uow() as uow:  # an item the old code filed under the past meeting, on Thursday
        past = uow.session.scalars(select(Meeting).where(Meeting.date == this_meeting.date())).one()
        uow.session.add(
            AgendaItem(
                meeting_id=past.id,
                text="Toll plaza design",
                added_by=PM,
                added_at=dt.datetime(2026, 12, 10, 11, 0, tzinfo=CST),
            )
        )
        uow.commit()

    following = _reminder(deps, clock, fake_slack, dt.datetime(2026, 12, 14, 9, 0, tzinfo=CST))
    agenda = json.dumps(following["blocks"])
    assert f"Land handover (added by <@{MEMBER}>)" in agenda
    assert f"Toll plaza design (added by <@{PM}>)" in agenda
    assert "Pier inspection" not in agenda  # discussed on the 7th


def test_the_item_confirmation_in_chinese(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack, slack: SlackDriver
) -> None:
    make_project(deps, locale="zh-Hans")
    monday = _reminder(deps, clock, fake_slack, dt.datetime(2026, 12, 7, 9, 0, tzinfo=CST))
    clock.frozen = dt.datetime(2026, 12, 8, 9, 0, tzinfo=CST)
    told = _add(slack, monday, "征地移交")
    assert told.startswith("该次会议已经开始，你的议题已加入下一次周例会（<!date^")
    assert "|2026-12-14 10:00 CST>）的议程。" in told


# -- meeting_reminder and weekly_digest across the DST change -----------------------------------


def test_the_reminder_and_the_digest_of_the_dst_week(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack, clock_of: Any
) -> None:
    made = make_project(deps, timezone=NEW_YORK, report_anchor="2026-10-19")
    created(deps, made, dt.datetime(2026, 10, 27, 12, 0, tzinfo=dt.UTC))
    # The digest's week is 26 Oct – 1 Nov, local days; DST ends at 02:00 on 1 November.
    for at, title in [
        (dt.datetime(2026, 10, 26, 3, 30, tzinfo=dt.UTC), "Sunday night EDT"),  # 25 Oct 23:30
        (dt.datetime(2026, 10, 26, 4, 30, tzinfo=dt.UTC), "Monday 00:30 EDT"),
        (dt.datetime(2026, 11, 2, 4, 30, tzinfo=dt.UTC), "Sunday 23:30 EST"),
        (dt.datetime(2026, 11, 2, 5, 30, tzinfo=dt.UTC), "Monday 00:30 EST"),
    ]:
        clock.frozen = at
        add_risk(deps, made, title)
    clock.frozen = dt.datetime(2026, 11, 2, 6, 0, tzinfo=dt.UTC)
    spend(deps, made, "100", "2026-10-25")
    spend(deps, made, "250", "2026-11-01")
    spend(deps, made, "400", "2026-11-02")

    c = clock_of("meeting_reminder", "weekly_digest")
    clock.frozen = dt.datetime(2026, 11, 2, 13, 0, 20, tzinfo=dt.UTC)  # 08:00 EST: not yet
    assert c.catch_up() == []
    clock.frozen = dt.datetime(2026, 11, 2, 14, 0, 20, tzinfo=dt.UTC)  # 09:00 EST
    done = by_job(c.catch_up())
    assert (done["meeting_reminder"].period_key, done["meeting_reminder"].sent) == ("2026-11-02", 1)
    # The digest alone: its chart is in the message (one budget line fits Slack's chart).
    assert (done["weekly_digest"].period_key, done["weekly_digest"].sent) == ("2026-W45", 1)
    reminder, digest = channel(fake_slack)
    meeting = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)  # 10:00 EST
    assert token(meeting) in reminder["text"] and "2026-11-02 10:00 EST" in reminder["text"]
    body = json.dumps(digest["blocks"])
    assert "Risks opened (2)" in body
    assert "Monday 00:30 EDT" in body and "Sunday 23:30 EST" in body
    assert "Sunday night EDT" not in body and "Monday 00:30 EST" not in body
    assert EN.money(Decimal("250"), "CNY") in digest["text"]  # this week: only 1 Nov's
    assert EN.money(Decimal("750"), "CNY") in digest["text"]  # to date

    # Run again on Wednesday: the same week's digest is not posted twice, and it says so.
    clock.frozen = dt.datetime(2026, 11, 4, 15, 0, tzinfo=dt.UTC)
    [again] = run_now(deps, "weekly_digest")
    assert (again.period_key, again.outcome) == ("2026-W45", "already done")
    assert said(again) == "Already posted this week (2026-W45)."
    assert translator("zh-Hans")(again.reason) == "本周（2026-W45）已经发送过。"
    assert len(channel(fake_slack)) == 2


# -- runway_check --------------------------------------------------------------------------


def test_a_project_that_starts_below_the_runway_threshold_is_warned_once_across_dst(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack, clock_of: Any
) -> None:
    made = make_project(deps, timezone=NEW_YORK, report_anchor="2026-10-19")
    created(deps, made, dt.datetime(2026, 10, 29, 12, 0, tzinfo=dt.UTC))
    c = clock_of("runway_check")
    clock.frozen = dt.datetime(2026, 10, 30, 13, 0, 20, tzinfo=dt.UTC)  # Fri 09:00 EDT
    [nothing] = c.catch_up()
    assert said(nothing) == "No funding source is set up, so there is no runway to check."
    clock.frozen = dt.datetime(2026, 10, 30, 15, 0, tzinfo=dt.UTC)
    spend(deps, made, "10000", "2026-10-30")  # no source yet: nothing to alert
    add_source(deps, made)  # then the loan, whose cash lasts 6 weeks at that burn
    clock.frozen = dt.datetime(2026, 10, 31, 13, 0, 20, tzinfo=dt.UTC)  # Sat 09:00 EDT
    [first] = c.catch_up()
    assert (first.period_key, first.sent) == ("2026-10-31", 1)
    [alert] = channel(fake_slack)
    assert "funding runway is 6.0 weeks" in alert["text"] and "under the 8-week" in alert["text"]
    clock.frozen = dt.datetime(2026, 11, 1, 13, 0, 20, tzinfo=dt.UTC)  # 08:00 EST: not yet
    assert c.catch_up() == []
    clock.frozen = dt.datetime(2026, 11, 1, 14, 0, 20, tzinfo=dt.UTC)  # Sun 09:00 EST
    [second] = c.catch_up()
    assert (second.period_key, second.sent) == ("2026-11-01", 0)
    assert said(second) == (
        "The runway (6.0 weeks) is still under the 8-week threshold; that was alerted on "
        "2026-10-31."
    )
    assert len(channel(fake_slack)) == 1


def test_the_demo_posts_the_right_things_when_its_jobs_are_run(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    from bot.demo import DEMO_CODE, load_demo
    from bot.demo.project import DEMO_CHANNEL

    clock.frozen = dt.datetime(2026, 12, 1, 22, 14, tzinfo=CST)  # a Tuesday evening
    load_demo(deps)
    [runway] = run_now(deps, "runway_check", project_code=DEMO_CODE)
    assert runway.sent == 1  # below its threshold from the start: warned once
    [alert] = channel(fake_slack, DEMO_CHANNEL)
    assert alert["text"].startswith("🚨 HWY-42：资金可支撑周数仅为")
    [summary] = run_now(deps, "report_summary", project_code=DEMO_CODE)
    assert (summary.period_key, summary.sent) == ("2026-11-15", 1)  # the seeded period
    posted = channel(fake_slack, DEMO_CHANNEL)[1]["text"]
    assert "已提交 5 份" in posted and "缺交 1 份" in posted and "免报 1 份" in posted
    [meeting] = run_now(deps, "meeting_reminder", project_code=DEMO_CODE)
    assert meeting.sent == 0 and "周例会已经开始，不再发送提醒" in said(meeting)

    clock.frozen += dt.timedelta(days=1)
    [next_day] = run_now(deps, "runway_check", project_code=DEMO_CODE)
    assert next_day.sent == 0 and "仍低于 8 周的预警线" in said(next_day)
    assert len(channel(fake_slack, DEMO_CHANNEL)) == 2


def test_a_survey_job_with_nothing_due_says_so_and_one_that_sent_says_nothing(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:

    made = make_project(deps)
    at = dt.datetime(2026, 12, 1, 10, 6, tzinfo=CST)
    clock.frozen = at
    [quiet] = run_now(deps, "survey_open")
    assert said(quiet) == "No survey of this project has opened with someone still to invite."
    add_survey(deps, made, at - dt.timedelta(minutes=3), at + dt.timedelta(days=3), {MEMBER: False})
    clock.frozen = at + dt.timedelta(minutes=5)
    [invited] = run_now(deps, "survey_open")
    assert invited.sent == 1 and invited.reason is None
