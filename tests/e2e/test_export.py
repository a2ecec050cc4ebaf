"""`/icrm export` end to end: the CSV that lands in the PM's DM equals the database."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import Deps
from bot.forms import Form
from bot.periods import Period
from bot.services import reports, risks
from bot.services.risks import RiskField
from storage.models import FundEntry, Report, Risk
from tests.conftest import CHANNEL, LEAD, MEMBER, PM, Clock
from tests.factories import Made, add_feedback, make_project, through_service
from tests.slack_driver import SlackDriver

NOW = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
VOIDED_AT = dt.datetime(2026, 11, 12, 3, 30, tzinfo=dt.UTC)
BOM = "\ufeff".encode()


@pytest.fixture
def made(deps: Deps, clock: Clock) -> Made:
    clock.frozen = NOW
    made = make_project(deps, report_anchor="2026-11-02")
    line = made.lines["Construction works"]

    def entry(amount: str, day: str, purpose: str, **extra: Any) -> None:
        uow.session.add(
            FundEntry(
                project_id=made.project_id,
                budget_line_id=line,
                amount=Decimal(amount),
                spent_on=dt.date.fromisoformat(day),
                purpose=purpose,
                reference="INV-7",
                reporter=LEAD,
                created_at=uow.now(),
                **extra,
            )
        )

    with deps.uow() as uow:
        entry("1234.50", "2026-10-30", "桥梁桩基 第一期")
        entry("0.10", "2026-11-03", "Survey stakes")
        entry(
            "99999999.99",
            "2026-11-05",
            "Duplicate of INV-7",
            voided_at=VOIDED_AT,
            voided_by=PM,
            void_reason="entered twice",
        )
        entry("250000", "2026-11-10", "=HYPERLINK(evil)")
        uow.commit()
        reports.open_period(uow, project_id=made.project_id, period=Period(made_anchor(), 0))
    risk = Form.of(
        RiskField,
        title="资金链断裂",
        category="funding_liquidity",
        likelihood="4",
        impact="5",
        owner=LEAD,
        review="2026-12-01",
    )
    through_service(deps, risks.create_risk, made.project_id, MEMBER, NOW, form=risk)
    return made


def made_anchor() -> dt.date:
    return dt.date(2026, 11, 2)


def export(slack: SlackDriver, text: str, user: str = PM) -> list[list[str]]:
    """Run `/icrm export <text>` and return the uploaded CSV's rows (BOM checked)."""
    before = len(slack.fake.calls_to("files.completeUploadExternal"))
    slack.command("/icrm", f"export {text}", user=user, channel=CHANNEL)
    call = slack.fake.wait_for("files.completeUploadExternal", count=before + 1)[before]
    assert call.args["channel_id"] == f"D{user}"
    files = call.args["files"]
    files = json.loads(files) if isinstance(files, str) else files
    raw = slack.fake.uploads[files[0]["id"]]
    assert raw.startswith(BOM)
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def said(slack: SlackDriver, user: str = PM) -> str:
    """The answer of the latest command (on its acknowledgement)."""
    call = slack.wait_answers(user)[-1]
    return str(call.args["text"])


def test_funds_export_equals_the_database(slack: SlackDriver, deps: Deps, made: Made) -> None:
    rows = export(slack, "funds")
    header, data = rows[0], rows[1:]
    assert header[:6] == ["Entry", "Date", "Budget line", "Category", "Department", "Amount"]
    with deps.uow() as uow:
        entries = uow.session.scalars(select(FundEntry).order_by(FundEntry.spent_on)).all()
        assert len(data) == len(entries) == 4
        for row, entry in zip(data, entries, strict=True):
            record = dict(zip(header, row, strict=True))
            assert record["Entry"] == str(entry.id)
            assert record["Date"] == entry.spent_on.isoformat()
            assert Decimal(record["Amount"]) == entry.amount
            assert record["Currency"] == "CNY"
            assert record["Reported by"] == LEAD
            assert record["Status"] == ("voided" if entry.voided_at else "valid")
    amounts = [dict(zip(header, r, strict=True))["Amount"] for r in data]
    assert amounts == ["1234.50", "0.10", "99999999.99", "250000.00"]
    voided = dict(zip(header, data[2], strict=True))
    assert voided["Voided by"] == PM and voided["Void reason"] == "entered twice"
    assert voided["Voided at"] == "2026-11-12T11:30:00+08:00"  # project time, with offset
    assert dict(zip(header, data[0], strict=True))["Purpose"] == "桥梁桩基 第一期"
    # A formula would run in Excel: it is kept as text.
    assert dict(zip(header, data[3], strict=True))["Purpose"] == "'=HYPERLINK(evil)"


def test_the_date_range_is_inclusive(slack: SlackDriver, made: Made) -> None:
    rows = export(slack, "funds 2026-11-03 2026-11-05")
    assert [r[1] for r in rows[1:]] == ["2026-11-03", "2026-11-05"]
    assert [r[1] for r in export(slack, "funds 2026-11-06")[1:]] == ["2026-11-10"]


def test_risks_and_reports_exports(slack: SlackDriver, deps: Deps, made: Made) -> None:
    header, *data = export(slack, "risks")
    with deps.uow() as uow:
        raised_at = uow.session.scalars(select(Risk.created_at)).one()
        status = uow.session.scalars(select(Report.status)).one()
    [row] = data
    record = dict(zip(header, row, strict=True))
    assert record["Risk"] == "R-1" and record["Title"] == "资金链断裂"
    assert (record["Score"], record["Level"], record["Owner"]) == ("20", "critical", LEAD)
    shanghai = dt.timezone(dt.timedelta(hours=8))
    assert record["Raised at"] == raised_at.astimezone(shanghai).isoformat()
    header, *data = export(slack, "reports")
    assert len(data) == 1
    record = dict(zip(header, data[0], strict=True))
    assert (record["Period start"], record["Period end"]) == ("2026-11-02", "2026-11-15")
    assert record["Status"] == status
    assert export(slack, "reports 2026-12-01")[1:] == []


def test_header_in_the_projects_language(slack: SlackDriver, deps: Deps, clock: Clock) -> None:
    clock.frozen = NOW
    make_project(deps, locale="zh-Hans")
    header = export(slack, "funds")[0]
    assert header[:2] == ["条目", "日期"]


def test_only_pms_export(slack: SlackDriver, made: Made) -> None:
    slack.command("/icrm", "export funds", user=LEAD, channel=CHANNEL)
    assert "Only this project's PMs" in said(slack, LEAD)
    assert slack.fake.calls_to("files.getUploadURLExternal") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("export", "Say what to export"),
        ("export bananas", "Say what to export"),
        ("export funds 2026-13-01", "YYYY-MM-DD"),
        ("export funds 1/11/2026", "YYYY-MM-DD"),
        ("export funds 2026-11-05 2026-11-01", "is after the end date"),
        ("export funds 2026-11-01 2026-11-05 extra", "Too many words"),
    ],
)
def test_bad_input_says_the_format(
    slack: SlackDriver, made: Made, text: str, expected: str
) -> None:
    slack.command("/icrm", text, user=PM, channel=CHANNEL)
    assert expected in said(slack)
    assert slack.fake.calls_to("files.getUploadURLExternal") == []


def test_feedback_export_keeps_anonymous_authors_out(
    slack: SlackDriver, deps: Deps, made: Made
) -> None:
    for anonymous, comment in ((False, "Payments on time, 谢谢"), (True, "=Slow approvals")):
        add_feedback(deps, made, 4, comment=comment, anonymous=anonymous, now=NOW)
    rows = export(slack, "feedback")
    raw = "\n".join(",".join(r) for r in rows)
    header = rows[0]
    records = {r[6]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert len(rows) == 3 and set(records) == {"yes", "no"}
    assert records["no"]["Author"] == MEMBER
    record = records["yes"]
    assert record["Author"] == ""
    assert record["Comment"] == "'=Slow approvals" and record["Date"] == "2026-11-20"
    assert raw.count(MEMBER) == 1  # only the named feedback names its author
    assert export(slack, "feedback 2026-11-21")[1:] == []


def test_an_enterprise_grid_pm_gets_the_export_in_their_dm(
    slack: SlackDriver, deps: Deps, clock: Clock
) -> None:
    """`W…` ids are users on Enterprise Grid: the file is shared into that user's DM."""
    clock.frozen = NOW
    make_project(deps, pm="W0GRIDPM")
    rows = export(slack, "risks", user="W0GRIDPM")
    assert rows[0][0] == "Risk"
