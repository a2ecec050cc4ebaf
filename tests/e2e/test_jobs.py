"""Every job kind on a frozen clock against the fake Slack: what it posts, to whom, once."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, text

from bot.app import Deps
from bot.i18n import translator
from bot.services import digest as digest_service
from bot.services.risks import close_risk
from bot.slack import make_web_client
from handlers.chart_blocks import chart_values
from jobs import kind as job_kind
from jobs import load_all
from jobs.delivery import Delivery
from jobs.manual import run_now, schedule
from jobs.registry import REGISTRY
from jobs.runner import Runner
from jobs.scheduler import make_pacer
from storage.models import (
    Department,
    OutboxMessage,
    Report,
    Risk,
)
from tests.conftest import CHANNEL, LEAD, MEMBER, OTHER, PM
from tests.conftest import Clock as FrozenClock
from tests.factories import (
    Made,
    add_feedback,
    add_risk,
    add_source,
    add_survey,
    make_project,
    spend,
    void_fund_use,
)
from tests.fake_slack import TEAM_ID, FakeSlack
from tests.slack_driver import SlackDriver

CST = dt.timezone(dt.timedelta(hours=8))
KINDS = {
    "meeting_reminder",
    "report_prompt",
    "report_nudge",
    "report_summary",
    "weekly_digest",
    "survey_open",
    "survey_reminder",
    "survey_close",
    "risk_review",
    "runway_check",
}


class Killed(BaseException):
    """The process dies here."""


def dms(fake: FakeSlack, user: str) -> list[dict[str, Any]]:
    return fake.messages.get("D" + user, [])


def channel(fake: FakeSlack, name: str = CHANNEL) -> list[dict[str, Any]]:
    return fake.messages.get(name, [])


def run_twice(deps: Deps, name: str, at: dt.datetime) -> None:
    first = run_now(deps, name, project_code="HWY-42", at=at)
    second = run_now(deps, name, project_code="HWY-42", at=at)
    assert [r.outcome for r in first] == ["done"], first
    assert [r.outcome for r in second] == ["already done"]
    assert second[0].sent == 0


def test_jobs_list_shows_every_kind(deps: Deps, clock: FrozenClock) -> None:
    made = make_project(deps)
    clock.frozen = dt.datetime(2026, 11, 10, tzinfo=dt.UTC)
    load_all()
    assert set(REGISTRY) >= KINDS  # and the kinds of other branches (the scorecard)
    planned = {p.job: p.next_run for p in schedule(deps)}
    assert set(planned) >= KINDS
    # The first period (anchored 2 Nov) closes at local midnight after 15 November.
    assert planned["report_prompt"] == dt.datetime(2026, 11, 16, tzinfo=CST)
    assert planned["report_nudge"] == dt.datetime(2026, 11, 17, tzinfo=CST)
    assert planned["report_summary"] == dt.datetime(2026, 11, 18, tzinfo=CST)
    assert planned["weekly_digest"] == dt.datetime(2026, 11, 16, 9, 0, tzinfo=CST)
    assert planned["risk_review"] == dt.datetime(2026, 11, 10, 9, 0, tzinfo=CST)
    # Survey jobs fire at a survey's own times, not on a poll: without a survey, never.
    assert planned["survey_open"] is None
    opens = dt.datetime(2026, 11, 12, 8, 30, tzinfo=CST)
    _survey(deps, made, opens, opens + dt.timedelta(days=3))
    planned = {p.job: p.next_run for p in schedule(deps)}
    assert planned["survey_open"] == opens
    assert planned["survey_reminder"] == opens + dt.timedelta(days=2)
    assert planned["survey_close"] == opens + dt.timedelta(days=3)


# -- reports --------------------------------------------------------------------------------


def test_report_prompt_nudge_and_summary_each_go_out_once(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    made = make_project(deps)
    with deps.uow() as uow:  # the finance lead also leads engineering: two prompts
        engineering = uow.session.get(Department, made.departments["engineering"])
        assert engineering is not None
        engineering.lead_user_id = LEAD
        uow.commit()
    closed = dt.datetime(2026, 11, 16, 0, 0, tzinfo=CST)
    clock.frozen = closed + dt.timedelta(minutes=1)
    run_twice(deps, "report_prompt", clock.frozen)
    prompts = dms(fake_slack, LEAD)
    assert len(prompts) == 2
    assert all("Time for the fortnightly fund-use report" in m["text"] for m in prompts)
    assert {"Finance" in m["text"] or "Engineering" in m["text"] for m in prompts} == {True}
    assert prompts[0]["metadata"]["event_payload"]["key"].startswith("report_prompt:")
    with deps.uow() as uow:
        reports = uow.session.scalars(select(Report)).all()
        assert len(reports) == 2
        assert {r.period_start for r in reports} == {dt.date(2026, 11, 2)}

    clock.frozen = closed + dt.timedelta(hours=24, minutes=1)
    run_twice(deps, "report_nudge", clock.frozen)
    nudges = dms(fake_slack, LEAD)[2:]
    assert len(nudges) == 2 and all("Reminder:" in m["text"] for m in nudges)

    clock.frozen = closed + dt.timedelta(days=2, minutes=1)
    run_twice(deps, "report_summary", clock.frozen)
    [summary] = channel(fake_slack)
    assert "0 submitted, 2 missing, 0 excused" in summary["text"]
    with deps.uow() as uow:
        assert {r.status for r in uow.session.scalars(select(Report)).all()} == {"late"}


def test_a_nudge_skips_snoozed_reports(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    make_project(deps)
    closed = dt.datetime(2026, 11, 16, 0, 0, tzinfo=CST)
    clock.frozen = closed
    run_now(deps, "report_prompt", at=closed)
    with deps.uow() as uow:
        [report] = uow.session.scalars(select(Report)).all()
        report.snoozed_until = closed + dt.timedelta(hours=30)
        uow.commit()
    clock.frozen = closed + dt.timedelta(hours=24)
    [result] = run_now(deps, "report_nudge", at=clock.frozen)
    assert result.outcome == "done" and result.sent == 0
    assert len(dms(fake_slack, LEAD)) == 1


# -- the weekly digest ----------------------------------------------------------------------

DIGEST = dt.datetime(2026, 12, 7, 9, 0, tzinfo=CST)  # Monday 09:00 Shanghai


def _week(deps: Deps, made: Made, clock: FrozenClock) -> None:
    """Fund use, risks and feedback around the week 30 Nov – 6 Dec 2026."""
    clock.frozen = dt.datetime(2026, 11, 29, 12, 0, tzinfo=CST)
    spend(deps, made, "1000.50", "2026-11-29", now=clock.frozen)  # the week before
    add_risk(deps, made, "Old risk", 2, 2)
    clock.frozen = dt.datetime(2026, 12, 6, 20, 0, tzinfo=CST)
    spend(deps, made, "2500.25", "2026-11-30", now=clock.frozen)
    spend(deps, made, "300", "2026-12-06", now=clock.frozen)
    wrong = spend(deps, made, "999", "2026-12-03", now=clock.frozen)
    void_fund_use(deps, made.project_id, wrong, "typo", now=clock.frozen)
    high = add_risk(deps, made, "Bridge pier settlement", 4, 4)
    closing = add_risk(deps, made, "Permit delay", 2, 3)
    with deps.uow() as uow:
        close_risk(
            uow, team_id=TEAM_ID, risk_id=closing, user_id=PM, note="granted", now=clock.frozen
        )
    for rating, anonymous in ((5, True), (2, False)):
        add_feedback(deps, made, rating, anonymous=anonymous, now=clock.frozen)
    assert high


# 21 lines: more than Slack's chart block holds, so the digest shares its PNG.
TOO_MANY_FOR_A_NATIVE_CHART = {"Construction works": Decimal("600000")} | {
    f"Line {i:02d}": Decimal("1000") for i in range(20)
}


def _sql_sum(deps: Deps, project_id: int, first: str, last: str | None = None) -> Decimal:
    where = "spent_on >= :first" + (" AND spent_on <= :last" if last else "")
    with deps.engine.connect() as conn:
        value = conn.execute(
            text(
                "SELECT COALESCE(SUM(amount), 0) FROM fund_entries WHERE project_id = :p"
                f" AND voided_at IS NULL AND {where}"
            ),
            {"p": project_id, "first": first, "last": last},
        ).scalar_one()
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_the_digest_figures_equal_the_database(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    made = make_project(deps)
    _week(deps, made, clock)
    clock.frozen = DIGEST + dt.timedelta(minutes=1)
    run_twice(deps, "weekly_digest", DIGEST)

    week = _sql_sum(deps, made.project_id, "2026-11-30", "2026-12-06")
    to_date = _sql_sum(deps, made.project_id, "1900-01-01")
    assert week == Decimal("2800.25") and to_date == Decimal("3800.75")
    with deps.uow() as uow:
        data = digest_service.weekly(uow, project_id=made.project_id, at=DIGEST)
        start = dt.datetime(2026, 11, 30, tzinfo=CST)
        end = dt.datetime(2026, 12, 7, tzinfo=CST)
        opened = uow.session.scalar(
            select(func.count()).where(Risk.created_at >= start, Risk.created_at < end)
        )
        closed = uow.session.scalar(
            select(func.count()).where(Risk.closed_at >= start, Risk.closed_at < end)
        )
    assert (data.first, data.last) == (dt.date(2026, 11, 30), dt.date(2026, 12, 6))
    assert data.use.this_week == week and data.use.to_date == to_date
    assert (len(data.opened), len(data.closed)) == (opened, closed) == (2, 1)
    # One anonymous rating is fewer than the anonymity minimum: it stays out (the scorecard's
    # rule), so the figure is the named rating alone.
    assert data.feedback_count == 1 and data.feedback_mean == Decimal("2.00")

    [message] = channel(fake_slack)
    body = json.dumps(message["blocks"], ensure_ascii=False)
    tr = translator("en")
    assert tr.money(week, "CNY") in message["text"]
    assert tr.money(to_date, "CNY") in message["text"]
    assert "Bridge pier settlement" in body and "Permit delay" in body
    assert "Risks opened (2)" in body and "Risks closed (1)" in body
    assert "1 received this week, mean rating 2.00 / 5" in body
    assert "Used: " in body and " of the total budget, " in body and " of allocated" in body
    assert MEMBER not in body  # nobody's feedback is signed in the digest
    # The chart is Slack's own, in the message, with the database's figures; no PNG
    # (one line fits the native block: the PNG is for more than 20, see below).
    [chart] = [b for b in message["blocks"] if b["type"] == "data_visualization"]
    assert chart_values(chart) == {
        "Budget": {"Construction works": 600000},
        "Spent": {"Construction works": float(to_date)},
    }
    assert fake_slack.calls_to("files.completeUploadExternal") == []


def test_the_digest_in_chinese(deps: Deps, clock: FrozenClock, fake_slack: FakeSlack) -> None:
    made = make_project(deps, locale="zh-Hans")
    _week(deps, made, clock)
    clock.frozen = DIGEST
    with deps.uow() as uow:
        data = digest_service.weekly(uow, project_id=made.project_id, at=DIGEST)
    from handlers.digest.views import digest_message

    text_, blocks = digest_message(data, translator("zh-Hans"))
    body = json.dumps([b.to_dict() for b in blocks], ensure_ascii=False)
    assert "周报" in text_ and "风险" in body and "反馈" in body


@pytest.mark.parametrize("where", ["message", "chart"])
def test_a_digest_run_killed_mid_way_posts_and_shares_once(
    where: str, deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    made = make_project(deps, budget=TOO_MANY_FOR_A_NATIVE_CHART)  # so the PNG is shared
    _week(deps, made, clock)
    clock.frozen = DIGEST + dt.timedelta(minutes=1)
    kind = job_kind("weekly_digest")
    key = kind.period_key
    dying = Runner(deps, Delivery(make_web_client(deps.settings), make_pacer(deps)), holder="a")

    def die(outbox_key: str) -> None:
        if (where == "chart") == outbox_key.endswith(".png"):
            raise Killed

    dying.after_send = die  # the send reached Slack; the process died before recording it
    with deps.uow() as uow:
        from storage.models import Project

        project = uow.session.get(Project, made.project_id)
        assert project is not None
        period = key(project, DIGEST)
    with pytest.raises(Killed):
        dying.run(kind, made.project_id, DIGEST, period)
    clock.frozen += dt.timedelta(minutes=20)  # silent long enough to be taken over
    again = Runner(deps, Delivery(make_web_client(deps.settings), make_pacer(deps)), holder="b")
    result = again.run(kind, made.project_id, DIGEST, period)
    assert result.outcome == "done"
    assert len(channel(fake_slack)) == 1
    shares = fake_slack.calls_to("files.completeUploadExternal")
    assert len(shares) == 1  # in doubt, a file is never shared twice
    with deps.uow() as uow:
        rows = uow.session.scalars(select(OutboxMessage)).all()
        assert len(rows) == 2


def said(slack: SlackDriver, user: str, count: int) -> str:
    """The `count`-th answer only `user` saw (on the ack, or through the response_url)."""
    call = slack.wait_answers(user, count=count)[count - 1]
    return str(call.args["text"])


def test_icrm_digest_posts_this_weeks_digest_once(
    slack: SlackDriver, deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    make_project(deps)
    clock.frozen = dt.datetime(2026, 12, 9, 15, 0, tzinfo=CST)  # Wednesday
    slack.command("/icrm", "digest", user=LEAD, channel=CHANNEL)
    assert "Only the PMs" in said(slack, LEAD, 1)
    slack.command("/icrm", "digest", user=PM, channel=CHANNEL)
    assert "Posted this week's digest (2026-W50)" in said(slack, PM, 1)
    slack.command("/icrm", "digest", user=PM, channel=CHANNEL)
    assert "was already posted" in said(slack, PM, 2)
    assert len(channel(fake_slack)) == 1
    # The scheduled digest of the next Monday is another week's; this week's is done.
    [result] = run_now(deps, "weekly_digest", at=dt.datetime(2026, 12, 14, 9, 1, tzinfo=CST))
    assert result.period_key == "2026-W51" and result.outcome == "done"
    assert len(channel(fake_slack)) == 2


# -- risks and runway -----------------------------------------------------------------------


def test_risk_review_dms_each_person_once_listing_their_risks(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    made = make_project(deps)
    clock.frozen = dt.datetime(2026, 12, 1, 10, 0, tzinfo=CST)
    mine = [add_risk(deps, made, f"Owned {i}", 2, 2, owner=OTHER) for i in (1, 2)]
    leads = add_risk(deps, made, "Unowned", 3, 3, department=str(made.departments["finance"]))
    later = add_risk(deps, made, "Not yet", 3, 3, owner=OTHER)
    with deps.uow() as uow:
        for risk_id in [*mine, leads]:
            risk = uow.session.get(Risk, risk_id)
            assert risk is not None
            risk.review_on = dt.date(2026, 12, 5)
        risk = uow.session.get(Risk, later)
        assert risk is not None
        risk.review_on = dt.date(2026, 12, 20)
        uow.commit()
    at = dt.datetime(2026, 12, 8, 9, 0, tzinfo=CST)
    clock.frozen = at
    run_twice(deps, "risk_review", at)
    [owner] = dms(fake_slack, OTHER)
    assert "2 risk(s)" in owner["text"]
    body = json.dumps(owner["blocks"])
    assert "Owned 1" in body and "Owned 2" in body and "Not yet" not in body
    [lead] = dms(fake_slack, LEAD)
    assert "Unowned" in json.dumps(lead["blocks"])


def _runway_below_threshold(deps: Deps, clock: FrozenClock) -> tuple[Made, dt.datetime]:
    """A project whose runway check is due to alert (6 weeks < 8): it spent before it had a
    source, then got a source whose cash lasts a few weeks at that burn; and the check's time
    (the clock is set to it)."""
    made = make_project(deps)
    clock.frozen = dt.datetime(2026, 12, 1, 10, 0, tzinfo=CST)
    spend(deps, made, "10000", "2026-11-30", now=clock.frozen)
    add_source(deps, made)
    clock.frozen = dt.datetime(2026, 12, 2, 9, 0, tzinfo=CST)
    return made, clock.frozen


def test_runway_check_alerts_once_per_crossing_even_when_nothing_was_recorded(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    _made, day = _runway_below_threshold(deps, clock)
    assert channel(fake_slack) == []  # no source when it spent: no alert then
    run_twice(deps, "runway_check", day)
    [alert] = channel(fake_slack)
    assert "funding runway is 6.0 weeks" in alert["text"]
    assert "under the 8-week threshold" in alert["text"]
    clock.frozen = day + dt.timedelta(days=1)
    [result] = run_now(deps, "runway_check", at=clock.frozen)
    assert result.outcome == "done" and result.sent == 0  # still below: alerted already
    assert len(channel(fake_slack)) == 1


def test_a_runway_alert_lost_in_a_crash_is_sent_by_the_resumed_run(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    made, _check = _runway_below_threshold(deps, clock)
    day = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
    clock.frozen = day
    kind = job_kind("runway_check")
    dying = Runner(deps, Delivery(make_web_client(deps.settings), make_pacer(deps)), holder="a")

    def die(_key: str) -> None:
        raise Killed

    dying.before_send = die  # the state flipped and committed; the alert never left
    with pytest.raises(Killed):
        dying.run(kind, made.project_id, day, "2026-12-02")
    assert channel(fake_slack) == []
    clock.frozen += dt.timedelta(minutes=20)
    again = Runner(deps, Delivery(make_web_client(deps.settings), make_pacer(deps)), holder="b")
    assert again.run(kind, made.project_id, day, "2026-12-02").outcome == "done"
    assert len(channel(fake_slack)) == 1


def test_a_post_answered_503_after_it_was_posted_is_not_posted_again(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    _made, day = _runway_below_threshold(deps, clock)
    fake_slack.fail_after("chat.postMessage", status=503)  # posted, then "Service Unavailable"
    [result] = run_now(deps, "runway_check", at=day)
    assert result.outcome == "done" and result.sent == 1
    [alert] = channel(fake_slack)
    assert "funding runway is 6.0 weeks" in alert["text"]
    assert len(fake_slack.calls_to("chat.postMessage")) == 1  # no blind retry
    assert fake_slack.calls_to("conversations.history")  # it looked for the key instead
    with deps.uow() as uow:
        [row] = uow.session.scalars(select(OutboxMessage)).all()
        assert row.status == "sent" and row.ts == alert["ts"]


def test_a_post_answered_503_that_never_arrived_is_sent_once_more(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    _made, day = _runway_below_threshold(deps, clock)
    fake_slack.fail("chat.postMessage", status=503, retry_after=None)  # refused, not posted
    [result] = run_now(deps, "runway_check", at=day)
    assert result.outcome == "done" and result.sent == 1
    assert len(channel(fake_slack)) == 1


# -- surveys --------------------------------------------------------------------------------


def _survey(deps: Deps, made: Made, opens: dt.datetime, closes: dt.datetime) -> int:
    return add_survey(deps, made, opens, closes, {LEAD: True, MEMBER: False, OTHER: False})


def test_survey_open_fires_at_the_opening_and_invites_once(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    opens = dt.datetime(2026, 12, 1, 10, 2, tzinfo=CST)
    _survey(deps, make_project(deps), opens, opens + dt.timedelta(days=3))
    at = dt.datetime(2026, 12, 1, 10, 6, tzinfo=CST)
    clock.frozen = at
    first = run_now(deps, "survey_open", at=at)
    assert [(r.period_key, r.sent) for r in first] == [("2026-12-01T10:02", 2)]
    assert run_now(deps, "survey_open", at=at)[0].outcome == "already done"
    later = run_now(deps, "survey_open", at=at + dt.timedelta(minutes=5))
    assert later[0].outcome == "already done" and later[0].sent == 0  # no poll: one run
    assert len(dms(fake_slack, MEMBER)) == 1 and len(dms(fake_slack, OTHER)) == 1


def test_a_survey_shorter_than_a_day_is_reminded_halfway_once(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    opens = dt.datetime(2026, 12, 1, 10, 0, tzinfo=CST)
    _survey(deps, make_project(deps), opens, opens + dt.timedelta(hours=6))
    clock.frozen = opens
    assert {p.job: p.next_run for p in schedule(deps)}["survey_reminder"] == opens + dt.timedelta(
        hours=3
    )
    run_now(deps, "survey_open", at=opens)
    assert len(dms(fake_slack, MEMBER)) == 1  # the invitation, and no reminder with it
    halfway = opens + dt.timedelta(hours=3, minutes=1)
    clock.frozen = halfway
    assert [r.sent for r in run_now(deps, "survey_reminder", at=halfway)] == [2]
    assert run_now(deps, "survey_reminder", at=halfway)[0].outcome == "already done"
    assert len(dms(fake_slack, MEMBER)) == 2 and len(dms(fake_slack, OTHER)) == 2


# -- the meeting agenda ---------------------------------------------------------------------


def test_the_meeting_agenda_lists_every_domain(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    made = make_project(deps)
    _week(deps, made, clock)  # a high risk, new feedback (one anonymous)
    with deps.uow() as uow:  # an overdue medium risk
        risk = uow.session.scalars(select(Risk).where(Risk.title == "Old risk")).one()
        risk.due_on = dt.date(2026, 12, 1)
        uow.commit()
    clock.frozen = dt.datetime(2026, 12, 2, 13, 0, tzinfo=CST)
    run_now(deps, "report_prompt", at=clock.frozen)  # period of 16–29 Nov: still pending
    _survey(deps, made, clock.frozen, clock.frozen + dt.timedelta(days=9))
    at = dt.datetime(2026, 12, 7, 9, 0, tzinfo=CST)  # the reminder of Monday's 10:00 meeting
    clock.frozen = at
    run_now(deps, "meeting_reminder", at=at)
    [reminder] = channel(fake_slack)
    agenda = json.dumps(reminder["blocks"], ensure_ascii=False)
    order = [
        "Critical risk *R-2* Bridge pier settlement (score 16",
        "Risk *R-1* Old risk is past its due date (2026-12-01)",
        "Fund-use reports missing for 2026-11-16 – 2026-11-29: Finance",
        "Finance: 2 feedback item(s) not yet acknowledged",
        "Survey *Site services* is open: 1 of 3 answered (33%)",
    ]
    positions = [agenda.find(line) for line in order]
    assert -1 not in positions, agenda
    assert positions == sorted(positions)
    assert MEMBER not in agenda


def test_the_clock_runs_every_kind_due_at_one_instant_once(
    deps: Deps, clock: FrozenClock, fake_slack: FakeSlack
) -> None:
    from jobs.scheduler import Clock

    made = make_project(deps)
    with deps.uow() as uow:
        from storage.models import Project

        project = uow.session.get(Project, made.project_id)
        assert project is not None
        project.created_at = dt.datetime(2026, 11, 15, 23, 50, tzinfo=CST)
        uow.commit()
    clock.frozen = dt.datetime(2026, 11, 16, 0, 0, 20, tzinfo=CST)  # a period closes
    opens = dt.datetime(2026, 11, 16, 0, 0, tzinfo=CST)  # and a survey opens
    _survey(deps, made, opens, opens + dt.timedelta(days=30))
    c = Clock(deps, workers=2)
    c.active = True
    try:
        results = c.catch_up()
        assert {r.job for r in results} >= {"report_prompt", "survey_open"}
        assert {r.outcome for r in results} == {"done"}
        assert c.catch_up() == []
        clock.frozen = DIGEST + dt.timedelta(seconds=20)  # reminder, digest, daily jobs
        done = {(r.job, r.period_key) for r in c.catch_up() if r.outcome == "done"}
        assert done >= {
            ("meeting_reminder", "2026-12-07"),
            ("weekly_digest", "2026-W50"),
            ("risk_review", "2026-12-07"),
            ("runway_check", "2026-12-07"),
        }
        assert c.catch_up() == []
        assert len(channel(fake_slack)) == 2  # the reminder and the digest
    finally:
        c.active = False
