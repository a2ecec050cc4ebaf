"""Fortnightly fund-use reports end to end: /funds report, the modal, the prompt DM's buttons."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import Deps
from bot.i18n import translator
from bot.periods import Period
from bot.services import reports
from handlers.reports import views
from storage.models import AuditLog, BudgetLine, DepartmentKind, FundEntry, Report, ReportStatus
from tests.conftest import CHANNEL, LEAD, MEMBER, OTHER, PM, Clock
from tests.factories import Made, make_project, set_department
from tests.slack_driver import SlackDriver, assert_errors

ANCHOR = dt.date(2026, 11, 2)
PERIOD0 = Period(ANCHOR, 0)  # 2026-11-02 … 2026-11-15
# 2026-11-10 10:00 in Shanghai: inside period 0.
MID_PERIOD = dt.datetime(2026, 11, 10, 2, 0, tzinfo=dt.UTC)
# 2026-11-16 09:00 in Shanghai: period 0 has just closed, its report is due by 11-18 00:00.
AFTER_CLOSE = dt.datetime(2026, 11, 16, 1, 0, tzinfo=dt.UTC)
GOOD = {"summary": "Paid the first bridge milestone.", "next_plan": "Pay piling works."}


@pytest.fixture
def made(deps: Deps, clock: Clock) -> Made:
    clock.frozen = MID_PERIOD
    made = make_project(deps, report_anchor=ANCHOR.isoformat())
    with deps.uow() as uow:
        line_id = made.lines["Construction works"]
        other_line = BudgetLine(
            project_id=made.project_id,
            name="Piling",
            category="construction",
            department_id=made.departments[DepartmentKind.ENGINEERING],
            allocated=Decimal("100000"),
        )
        uow.session.add(other_line)
        uow.session.flush()

        def entry(line: int, amount: str, day: dt.date, purpose: str, **extra: Any) -> None:
            uow.session.add(
                FundEntry(
                    project_id=made.project_id,
                    budget_line_id=line,
                    amount=Decimal(amount),
                    spent_on=day,
                    purpose=purpose,
                    reference="INV-1",
                    reporter=LEAD,
                    created_at=uow.now(),
                    **extra,
                )
            )

        entry(line_id, "12000", dt.date(2026, 11, 3), "Bridge milestone 1")
        entry(line_id, "3500.50", dt.date(2026, 11, 15), "Survey fees")
        entry(line_id, "999", dt.date(2026, 11, 5), "Typo", voided_at=MID_PERIOD, voided_by=PM)
        entry(line_id, "777", dt.date(2026, 11, 1), "Previous period")
        entry(line_id, "888", dt.date(2026, 11, 16), "Next period")
        entry(other_line.id, "555", dt.date(2026, 11, 4), "Engineering's own")
        uow.commit()
    return made


def blocks_text(blocks: list[Any]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def open_modal(slack: SlackDriver, user: str = LEAD) -> dict[str, Any]:
    return slack.command_modal("/funds", "report", user=user, channel=CHANNEL)


def stored(deps: Deps) -> list[Report]:
    with deps.uow() as uow:
        found = list(uow.session.scalars(select(Report).order_by(Report.id)))
        uow.session.expunge_all()  # keep the loaded values past the rollback on exit
        return found


def audits(deps: Deps, entity: str = "report") -> list[AuditLog]:
    with deps.uow() as uow:
        found = list(
            uow.session.scalars(
                select(AuditLog).where(AuditLog.entity == entity).order_by(AuditLog.id)
            )
        )
        uow.session.expunge_all()
        return found


def test_lead_sees_the_periods_entries_and_total(slack: SlackDriver, made: Made) -> None:
    view = open_modal(slack)
    assert view["callback_id"] == "report_submit"
    text = blocks_text(view["blocks"])
    assert "Bridge milestone 1" in text and "Survey fees" in text
    assert "¥15,500.50" in text and "(entries: 2)" in text
    for other in ("Typo", "Previous period", "Next period", "Engineering's own"):
        assert other not in text
    meta = json.loads(view["private_metadata"])
    assert meta["period_key"] == "2026-11-02"
    assert {b["block_id"] for b in view["blocks"] if b["type"] == "input"} == {
        "summary",
        "next_plan",
        "issues",
    }


def test_submit_saves_the_report_with_an_audit_entry(
    slack: SlackDriver, deps: Deps, made: Made
) -> None:
    view = open_modal(slack)
    response = slack.submit(view, {**GOOD, "issues": "Land handover slips"}, user=LEAD)
    assert response.status_code == 200 and response.text in ("", "null")
    [report] = stored(deps)
    assert report.status == ReportStatus.SUBMITTED
    assert (report.period_start, report.period_end) == (PERIOD0.start, PERIOD0.end)
    assert report.department_id == made.departments[DepartmentKind.FINANCE]
    assert (report.summary, report.issues) == (GOOD["summary"], "Land handover slips")
    assert report.submitted_by == LEAD and report.on_time is True
    [entry] = audits(deps)
    assert entry.action == "submit" and entry.before is None
    assert entry.after is not None and entry.after["summary"] == GOOD["summary"]
    confirmation = slack.fake.wait_for("chat.postEphemeral", user=LEAD)[0]
    assert "saved" in confirmation.args["text"]


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"summary": ""}, "summary", "required"),
        ({"summary": "   "}, "summary", "required"),
        ({"next_plan": ""}, "next_plan", "required"),
        ({"summary": "x" * 3001}, "summary", "under 3000 characters"),
        ({"issues": "y" * 3001}, "issues", "under 3000 characters"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(
    slack: SlackDriver, deps: Deps, made: Made, changes: dict[str, str], field: str, fragment: str
) -> None:
    view = open_modal(slack)
    response = slack.submit(view, {**GOOD, **changes}, user=LEAD)
    assert fragment in assert_errors(response, field)[field]
    assert stored(deps) == [] and audits(deps) == []


def test_resubmitting_updates_the_report_and_audits_before_and_after(
    slack: SlackDriver, deps: Deps, made: Made
) -> None:
    slack.submit(open_modal(slack), GOOD, user=LEAD)
    slack.fake.reset()
    view = open_modal(slack)
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["summary"]["initial_value"] == GOOD["summary"]
    assert "Submitting again updates" in blocks_text(view["blocks"])
    slack.submit(view, {"summary": "Milestone 1 paid, milestone 2 invoiced."}, user=LEAD)
    [report] = stored(deps)
    assert report.summary == "Milestone 1 paid, milestone 2 invoiced."
    assert report.next_plan == GOOD["next_plan"]
    first, second = audits(deps)
    assert first.action == "submit"
    assert second.action == "resubmit"
    assert second.before is not None and second.before["summary"] == GOOD["summary"]
    assert second.after is not None and second.after["summary"].startswith("Milestone 1 paid")


def test_non_lead_is_told_who_the_lead_is(slack: SlackDriver, deps: Deps, made: Made) -> None:
    set_department(deps, made, DepartmentKind.ENGINEERING, lead="UENGLEAD")
    slack.command("/funds", "report", user=MEMBER, channel=CHANNEL)
    refusal = slack.wait_answers(MEMBER)[0].args["text"]
    assert "department leads" in refusal and "<@UENGLEAD>" in refusal
    assert "<@ULEAD>" not in refusal
    slack.command("/funds", "report", user=OTHER, channel=CHANNEL)
    refusal = slack.wait_answers(OTHER)[0].args["text"]
    assert "<@ULEAD>" in refusal and "<@UENGLEAD>" in refusal
    assert slack.fake.calls_to("views.open") == []


def test_stale_modal_from_a_former_lead_saves_nothing(
    slack: SlackDriver, deps: Deps, made: Made
) -> None:
    view = open_modal(slack)
    set_department(deps, made, "finance", lead="UNEWLEAD")
    body = slack.submit(view, GOOD, user=LEAD).json()
    assert body["response_action"] == "errors"
    assert "<@UNEWLEAD>" in body["errors"]["summary"]
    assert stored(deps) == []


def test_lead_of_several_departments_chooses_one(
    slack: SlackDriver, deps: Deps, made: Made
) -> None:
    legal_id = made.departments[DepartmentKind.LEGAL]
    set_department(deps, made, DepartmentKind.LEGAL, lead=LEAD)
    slack.command("/funds", "report", user=LEAD, channel=CHANNEL)
    picker = slack.wait_answers(LEAD)[0]
    buttons = [e for b in picker.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["text"]["text"] for b in buttons] == ["Finance", "Legal"]
    assert slack.fake.calls_to("views.open") == []
    slack.action(
        "report_pick_department", buttons[1]["value"], user=LEAD, channel=CHANNEL
    ).raise_for_status()
    view = slack.opened_view()
    assert "*Legal*" in blocks_text(view["blocks"])
    assert "No fund use was recorded for Legal" in blocks_text(view["blocks"])
    slack.submit(view, GOOD, user=LEAD)
    [report] = stored(deps)
    assert report.department_id == legal_id


# -- the prompt DM ---------------------------------------------------------------------------


def prompt(deps: Deps, clock: Clock, made: Made) -> tuple[reports.ReportCard, dict[str, str]]:
    """What the clock does at the period's end: create the reports, render the lead's DM."""
    clock.frozen = AFTER_CLOSE
    with deps.uow() as uow:
        [card] = reports.open_period(uow, project_id=made.project_id, period=PERIOD0)
    _text, blocks = views.prompt_message(card, translator("en"))
    rendered = [b.to_dict() for b in blocks]
    buttons = {
        e["action_id"]: e["value"] for b in rendered if "elements" in b for e in b["elements"]
    }
    return card, buttons


def dm_message() -> dict[str, Any]:
    return {"ts": "1700000001.000100", "text": "prompt"}


@pytest.mark.parametrize(("action", "hours"), [("report_snooze_2h", 2), ("report_snooze_1d", 24)])
def test_answer_later_snoozes_and_updates_the_dm(
    slack: SlackDriver, deps: Deps, clock: Clock, made: Made, action: str, hours: int
) -> None:
    card, buttons = prompt(deps, clock, made)
    slack.action(action, buttons[action], user=LEAD, channel="DULEAD", message=dm_message())
    update = slack.fake.wait_for("chat.update", channel="DULEAD")[0]
    assert update.args["ts"] == "1700000001.000100"
    until = AFTER_CLOSE + dt.timedelta(hours=hours)
    assert f"<!date^{int(until.timestamp())}^" in blocks_text(update.args["blocks"])
    assert "remind you after" in blocks_text(update.args["blocks"])
    [report] = stored(deps)
    assert report.status == ReportStatus.PENDING and report.snoozed_until == until
    with deps.uow() as uow:
        assert (
            reports.due_for_nudge(
                uow, project_id=made.project_id, period=PERIOD0, now=until - dt.timedelta(minutes=1)
            )
            == []
        )
        later = reports.due_for_nudge(uow, project_id=made.project_id, period=PERIOD0, now=until)
        assert [c.report_id for c in later] == [card.report_id]
    assert [a.action for a in audits(deps)] == ["snooze"]


def test_someone_else_pressing_answer_later_changes_nothing(
    slack: SlackDriver, deps: Deps, clock: Clock, made: Made
) -> None:
    _card, buttons = prompt(deps, clock, made)
    slack.action("report_snooze_2h", buttons["report_snooze_2h"], user=OTHER, channel="DOTHER")
    refusal = slack.wait_answers(OTHER)[0].args["text"]  # in a DM: through response_url
    assert "Only the lead of Finance" in refusal
    assert stored(deps)[0].snoozed_until is None
    assert slack.fake.calls_to("chat.update") == []


def test_excuse_with_a_reason_from_the_dm(
    slack: SlackDriver, deps: Deps, clock: Clock, made: Made
) -> None:
    _card, buttons = prompt(deps, clock, made)
    slack.action(
        "report_excuse_open",
        buttons["report_excuse_open"],
        user=LEAD,
        channel="DULEAD",
        message=dm_message(),
    )
    view = slack.opened_view()
    assert view["callback_id"] == "report_excuse"
    body = slack.submit(view, {"reason": "  "}, user=LEAD).json()
    assert body["response_action"] == "errors" and "Say why" in body["errors"]["reason"]
    assert stored(deps)[0].status == ReportStatus.PENDING
    assert slack.submit(view, {"reason": "Spring Festival shutdown"}, user=LEAD).text in (
        "",
        "null",
    )
    [report] = stored(deps)
    assert report.status == ReportStatus.EXCUSED
    assert (report.excuse_reason, report.excused_by) == ("Spring Festival shutdown", LEAD)
    update = slack.fake.wait_for("chat.update", channel="DULEAD")[0]
    text = blocks_text(update.args["blocks"])
    assert "Excused by <@ULEAD>: Spring Festival shutdown" in text
    assert "report_snooze_2h" not in text  # no buttons left
    assert [a.action for a in audits(deps)] == ["excuse"]


def test_submit_from_the_dm_reports_on_the_closed_period(
    slack: SlackDriver, deps: Deps, clock: Clock, made: Made
) -> None:
    _card, buttons = prompt(deps, clock, made)
    slack.action(
        "report_open", buttons["report_open"], user=LEAD, channel="DULEAD", message=dm_message()
    )
    view = slack.opened_view()
    assert json.loads(view["private_metadata"])["period_key"] == PERIOD0.key
    assert "¥15,500.50" in blocks_text(view["blocks"])
    slack.submit(view, GOOD, user=LEAD)
    [report] = stored(deps)
    assert report.status == ReportStatus.SUBMITTED and report.on_time is True
    update = slack.fake.wait_for("chat.update", channel="DULEAD")[0]
    assert "Submitted by <@ULEAD>" in blocks_text(update.args["blocks"])
    # Excusing a submitted report is refused in the modal.
    slack.fake.reset()
    slack.action("report_excuse_open", buttons["report_excuse_open"], user=LEAD, channel="DULEAD")
    excuse_view = slack.opened_view()
    body = slack.submit(excuse_view, {"reason": "oops"}, user=LEAD).json()
    assert "already submitted" in body["errors"]["reason"]


def test_funds_report_after_close_offers_the_owed_period_then_the_current_one(
    slack: SlackDriver, deps: Deps, clock: Clock, made: Made
) -> None:
    prompt(deps, clock, made)
    view = open_modal(slack)
    assert json.loads(view["private_metadata"])["period_key"] == PERIOD0.key
    slack.submit(view, GOOD, user=LEAD)
    slack.fake.reset()
    view = open_modal(slack)
    assert json.loads(view["private_metadata"])["period_key"] == PERIOD0.next().key
    assert "Next period" in blocks_text(view["blocks"])


def test_late_submission_is_not_on_time(
    slack: SlackDriver, deps: Deps, clock: Clock, made: Made
) -> None:
    _card, buttons = prompt(deps, clock, made)
    clock.frozen = dt.datetime(2026, 11, 18, 1, 0, tzinfo=dt.UTC)  # past 11-18 00:00 Shanghai
    with deps.uow() as uow:
        summary = reports.close_period(uow, project_id=made.project_id, period=PERIOD0, now=clock())
    assert [c.department_name for c in summary.missing] == ["Finance"]
    assert stored(deps)[0].status == ReportStatus.LATE
    slack.action("report_open", buttons["report_open"], user=LEAD, channel="DULEAD")
    slack.submit(slack.opened_view(), GOOD, user=LEAD)
    [report] = stored(deps)
    assert report.status == ReportStatus.SUBMITTED and report.on_time is False


def test_chinese_project_speaks_chinese(slack: SlackDriver, deps: Deps, clock: Clock) -> None:
    clock.frozen = MID_PERIOD
    make_project(deps, locale="zh-Hans", report_anchor=ANCHOR.isoformat())
    view = open_modal(slack)
    text = blocks_text(view["blocks"])
    assert "资金使用" in text
    body = slack.submit(view, {"summary": ""}, user=LEAD).json()
    assert body["errors"]["summary"] == "此项为必填。"
