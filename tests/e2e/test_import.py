"""`/icrm import` end to end: a file picked in the modal, fetched from the stand-in with the
bot token, previewed, applied in one transaction, and idempotent."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from bot.app import Deps
from handlers.imports.ids import ImportBlock
from storage.models import AuditLog, BudgetLine, Department, Drawdown, FundEntry, FundingSource
from tests.blockkit import assert_valid_view
from tests.conftest import BOT_TOKEN, CHANNEL, LEAD, MEMBER, PM, Clock, Sleeps
from tests.db import count
from tests.factories import Made, make_project
from tests.fake_slack import FakeSlack
from tests.slack_driver import SlackDriver

NOW = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)


def workbook(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CHINESE = {
    "部门": [
        ["部门", "类型", "负责人", "成员", "职责"],
        ["投融资部", "finance", f"<@{LEAD}>", f"{LEAD}, {MEMBER}", "融资计划"],
        ["造价合约部", "其他", "", "", ""],
    ],
    "预算": [
        ["预算明细表"],  # a title above the header
        [],
        ["预算科目", "类别", "部门", "分配金额（元）"],
        ["桥梁桩基", "construction", "造价合约部", "3500万"],
        ["征地拆迁", "征地", "投融资部", 120000000],
        [None, None, None, None],
        ["不可预见费", "contingency", "", "¥1,000,000.50"],
    ],
    "资金来源": [
        ["资金来源", "类型", "承诺金额"],
        ["资本金", "资本金", "2亿"],
        ["国开行贷款", "senior_debt", "8亿"],
    ],
}


@pytest.fixture
def fake(fake_slack: FakeSlack) -> FakeSlack:
    fake_slack.bot_token = BOT_TOKEN
    return fake_slack


@pytest.fixture
def zh(deps: Deps, clock: Clock, fake: FakeSlack) -> Made:
    clock.frozen = NOW
    return make_project(deps, locale="zh-Hans", budget={})


@pytest.fixture
def en(deps: Deps, clock: Clock, fake: FakeSlack) -> Made:
    clock.frozen = NOW
    return make_project(deps)


def _update(slack: SlackDriver, before: int) -> dict[str, Any]:
    call = slack.fake.wait_for("views.update", count=before + 1, timeout=15)[before]
    view = call.args["view"]
    view = json.loads(view) if isinstance(view, str) else dict(view)
    assert_valid_view(view)
    return view


def preview(
    slack: SlackDriver, name: str, content: bytes, *, choice: str = "all", user: str = PM
) -> dict[str, Any]:
    """Open the modal, pick the file, submit: the preview view (or the message view)."""
    slack.command("/icrm", "import", user=user, channel=CHANNEL)
    modal = slack.opened_view()
    assert_valid_view(modal)
    file = slack.fake.add_file(name, content)
    before = len(slack.fake.calls_to("views.update"))
    answer = slack.submit(modal, {ImportBlock.FILE: [file], ImportBlock.CHOICE: choice}, user=user)
    assert answer.status_code == 200
    assert answer.json()["response_action"] == "update", answer.text
    return _update(slack, before)


def apply(slack: SlackDriver, view: dict[str, Any], user: str = PM) -> dict[str, Any]:
    assert view.get("submit"), text_of(view)
    before = len(slack.fake.calls_to("views.update"))
    answer = slack.submit(view, {}, user=user)
    assert answer.json()["response_action"] == "update"
    return _update(slack, before)


def text_of(view: dict[str, Any]) -> str:
    return "\n".join(
        str(block.get("text", {}).get("text", "")) for block in view["blocks"] if "text" in block
    )


def counts(deps: Deps) -> tuple[int, ...]:
    return tuple(count(deps, m) for m in (Department, BudgetLine, FundingSource, AuditLog))


def test_a_chinese_workbook_goes_from_upload_to_preview_to_applied(
    slack: SlackDriver, deps: Deps, zh: Made
) -> None:
    before = counts(deps)
    view = preview(slack, "导入.xlsx", workbook(CHINESE))
    shown = text_of(view)
    assert "部门" in shown and "2 项新建" in shown, shown
    assert "预算科目" in shown and "3 项新建" in shown
    assert counts(deps) == before  # the preview saved nothing
    # The file was fetched with the bot token from its private URL.
    [download] = slack.fake.calls_to("file_download")
    assert download.headers["authorization"] == f"Bearer {BOT_TOKEN}"

    done = apply(slack, view)
    assert "已导入" in text_of(done)
    with deps.uow() as uow:
        lines = {x.name: x for x in uow.session.scalars(select(BudgetLine))}
        departments = {d.name: d for d in uow.projects.departments(zh.project_id)}
        assert lines["桥梁桩基"].allocated == Decimal("35000000.00")
        assert lines["桥梁桩基"].department_id == departments["造价合约部"].id
        assert lines["征地拆迁"].category == "land"
        assert lines["不可预见费"].allocated == Decimal("1000000.50")
        assert lines["不可预见费"].department_id is None
        assert departments["投融资部"].lead_user_id == LEAD
        assert sorted(departments["投融资部"].member_ids) == sorted([LEAD, MEMBER])
        sources = {s.name: s for s in uow.session.scalars(select(FundingSource))}
        assert sources["资本金"].kind == "equity" and sources["资本金"].committed == Decimal("2e8")
        [event] = uow.session.scalars(select(AuditLog).where(AuditLog.entity == "import")).all()
        assert event.after is not None and event.after["budget"]["create"] == 3
        audits = uow.session.scalar(select(func.count()).select_from(AuditLog))

    # The same file again changes nothing, and records nothing.
    again = preview(slack, "导入.xlsx", workbook(CHINESE))
    assert "无需更改" in text_of(again) and not again.get("submit")
    with deps.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(AuditLog)) == audits


def test_apply_submitted_twice_imports_once(slack: SlackDriver, deps: Deps, en: Made) -> None:
    content = workbook(
        {
            "Sources": [["Funding source", "Kind", "Committed"], ["Equity", "equity", "5000万"]],
            "Drawdowns": [
                ["Funding source", "Drawdown amount", "Drawdown date", "Notice no."],
                ["Equity", 1000000, dt.date(2026, 3, 1), "DN-1"],
                ["Equity", 1000000, dt.date(2026, 3, 1), "DN-1"],  # two equal drawdowns
            ],
        }
    )
    view = preview(slack, "sources.xlsx", content)
    apply(slack, view)
    second = apply(slack, view)
    assert "Nothing to change" in text_of(second)
    with deps.uow() as uow:
        [source] = uow.session.scalars(select(FundingSource)).all()
        assert source.drawn == Decimal("2000000.00")
        assert uow.session.scalar(select(func.count()).select_from(Drawdown)) == 2


def test_history_import_keeps_running_totals(slack: SlackDriver, deps: Deps, en: Made) -> None:
    content = workbook(
        {
            "History": [
                ["Budget line", "Amount", "Date paid", "Purpose", "Reference"],
                ["Construction works", "1,234.50", "2026/02/10", "Piles", "INV-1"],
                ["Construction works", 100, 46000, "Serial date", "INV-2"],
            ]
        }
    )
    apply(slack, preview(slack, "history.xlsx", content, choice="history"))
    with deps.uow() as uow:
        line = uow.session.get(BudgetLine, en.lines["Construction works"])
        assert line is not None and line.spent == Decimal("1334.50")
        days = sorted(e.spent_on for e in uow.session.scalars(select(FundEntry)))
        assert days == [dt.date(2025, 12, 9), dt.date(2026, 2, 10)]
        assert {e.reporter for e in uow.session.scalars(select(FundEntry))} == {PM}


def test_only_pms_and_the_finance_lead_import(slack: SlackDriver, en: Made) -> None:
    slack.command("/icrm", "import", user=MEMBER, channel=CHANNEL)
    call = slack.wait_answers(MEMBER)[-1]
    assert "finance lead" in str(call.args["text"])
    assert not slack.fake.calls_to("views.open")


def test_a_download_without_the_token_is_refused(fake: FakeSlack) -> None:
    import httpx

    file = fake.add_file("a.csv", b"x")
    assert httpx.get(file["url_private_download"]).status_code == 401
    wrong = {"Authorization": "Bearer xoxb-someone-else"}
    assert httpx.get(file["url_private_download"], headers=wrong).status_code == 403
    right = {"Authorization": f"Bearer {BOT_TOKEN}"}
    assert httpx.get(file["url_private_download"], headers=right).content == b"x"


# -- bad files: each says what to fix, and nothing is saved -----------------------------------


def _field_error(slack: SlackDriver, name: str, content: bytes, size: int | None = None) -> str:
    slack.command("/icrm", "import", user=PM, channel=CHANNEL)
    modal = slack.opened_view()
    file = slack.fake.add_file(name, content)
    if size is not None:
        file["size"] = size
    answer = slack.submit(modal, {ImportBlock.FILE: [file]}, user=PM)
    body = answer.json()
    assert body["response_action"] == "errors"
    return str(body["errors"][ImportBlock.FILE])


def test_not_a_spreadsheet_and_too_large_are_field_errors(slack: SlackDriver, en: Made) -> None:
    assert "not a spreadsheet" in _field_error(slack, "photo.png", b"\x89PNG")
    assert "5 MB" in _field_error(slack, "big.xlsx", b"PK", size=6 * 1024 * 1024)


def test_no_file_is_a_field_error(slack: SlackDriver, en: Made) -> None:
    slack.command("/icrm", "import", user=PM, channel=CHANNEL)
    modal = slack.opened_view()
    body = slack.submit(modal, {}, user=PM).json()
    assert body["response_action"] == "errors" and ImportBlock.FILE in body["errors"]


BAD_FILES = [
    ("protected.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password-protected"),
    ("corrupt.xlsx", b"PK\x03\x04garbage", "damaged"),
    ("empty.xlsx", workbook({"Sheet1": []}), "every sheet is empty"),
    (
        "unknown.xlsx",
        workbook(
            {"S": [["Budget line", "Category", "Allocated", "Colour"], ["A", "land", 5, "red"]]}
        ),
        "Unknown column “Colour”",
    ),
    ("noheader.csv", b"foo,bar\n1,2\n", "No header row found"),
    ("dupes.csv", b"Budget line,Category,Allocated\nA,land,5\nA,land,6\n", "appears twice"),
    ("bad.csv", b"Budget line,Category,Allocated\nA,land,abc\n", "row 2, Allocated"),
]


@pytest.mark.parametrize(("name", "content", "expected"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_say_what_to_fix(
    slack: SlackDriver, deps: Deps, en: Made, name: str, content: bytes, expected: str
) -> None:
    before = counts(deps)
    view = preview(slack, name, content)
    assert expected in text_of(view), text_of(view)
    assert not view.get("submit")
    assert counts(deps) == before


def test_a_lead_not_in_the_workspace_is_a_problem(slack: SlackDriver, deps: Deps, en: Made) -> None:
    slack.fake.users["UKNOWN"] = {"id": "UKNOWN", "profile": {"email": "known@example.com"}}
    content = workbook(
        {
            "D": [
                ["Department", "Kind", "Lead"],
                ["Treasury", "finance", "known@example.com"],
                ["Audit", "other", "ghost@example.com"],
            ]
        }
    )
    view = preview(slack, "d.xlsx", content)
    assert "ghost@example.com is not a member of this Slack workspace" in text_of(view)
    assert not view.get("submit")


def test_a_formula_without_a_cached_value_is_a_problem(slack: SlackDriver, en: Made) -> None:
    content = workbook(
        {"B": [["Budget line", "Category", "Allocated"], ["A", "land", "=SUM(1,2)"]]}
    )
    view = preview(slack, "f.xlsx", content)
    assert "formula without a saved value" in text_of(view), text_of(view)


def test_problems_in_chinese_name_sheet_row_and_column(slack: SlackDriver, zh: Made) -> None:
    rows = [["科目", "类别", "金额"]] + [[f"A{i}", "land", 1] for i in range(12)]
    content = workbook({"明细": [*rows, ["B", "land", "abc"]]})
    view = preview(slack, "zh.xlsx", content)
    assert "明细 第 14 行 预算：“abc”" in text_of(view), text_of(view)


# -- templates and the xlsx export ---------------------------------------------------------


def _uploaded(slack: SlackDriver, before: int) -> bytes:
    call = slack.fake.wait_for("files.completeUploadExternal", count=before + 1, timeout=10)[before]
    files = call.args["files"]
    files = json.loads(files) if isinstance(files, str) else files
    return slack.fake.uploads[files[0]["id"]]


def test_the_template_imports_its_own_examples(slack: SlackDriver, deps: Deps, zh: Made) -> None:
    for n, email in enumerate(("lead@example.com", "a@example.com", "b@example.com")):
        slack.fake.users[f"UT{n}"] = {"id": f"UT{n}", "profile": {"email": email}}
    slack.command("/icrm", "import template all", user=PM, channel=CHANNEL)
    content = _uploaded(slack, 0)
    book = load_workbook(io.BytesIO(content))
    budget = book["预算科目"]
    assert [c.value for c in budget[1]][:4] == ["预算科目", "类别", "部门", "预算"]
    assert str(budget["A2"].value).startswith("#")
    view = preview(slack, "template.xlsx", content)
    assert not any("⚠️" in t for t in text_of(view).splitlines()), text_of(view)


def test_export_budget_xlsx_round_trip_changes_exactly_two_lines(
    slack: SlackDriver, deps: Deps, clock: Clock, fake: FakeSlack
) -> None:
    clock.frozen = NOW
    made = make_project(
        deps,
        budget={f"Line {i}": Decimal(1000 * i) for i in range(1, 6)},
    )
    slack.command("/icrm", "export budget xlsx", user=PM, channel=CHANNEL)
    content = _uploaded(slack, 0)
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header == [
        "Budget line", "Category", "Department", "Allocated", "Currency", "Spent",
        "Approved changes", "Revised", "Pending approval", "Pending changes",
    ]  # fmt: skip
    assert isinstance(sheet["D2"].value, int | float) and "¥" in sheet["D2"].number_format
    sheet["D2"] = 999
    sheet["B3"] = "land"
    out = io.BytesIO()
    book.save(out)
    with deps.uow() as uow:
        before = {x.name: (x.category, x.allocated) for x in uow.funds.lines(made.project_id)}
    view = preview(slack, "back.xlsx", out.getvalue(), choice="budget")
    assert "0 to create · 2 to update · 3 unchanged" in text_of(view), text_of(view)
    apply(slack, view)
    with deps.uow() as uow:
        after = {x.name: (x.category, x.allocated) for x in uow.funds.lines(made.project_id)}
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"Line 1", "Line 2"}
    assert after["Line 1"][1] == Decimal("999.00") and after["Line 2"][0] == "land"


def test_export_funds_xlsx_has_typed_cells(slack: SlackDriver, deps: Deps, en: Made) -> None:
    with deps.uow() as uow:
        uow.session.add(
            FundEntry(
                project_id=en.project_id,
                budget_line_id=en.lines["Construction works"],
                amount=Decimal("1234.50"),
                spent_on=dt.date(2026, 11, 3),
                purpose="=HYPERLINK(evil)",
                reference="INV-7",
                reporter=LEAD,
                created_at=uow.now(),
            )
        )
        uow.commit()
    slack.command("/icrm", "export funds xlsx", user=PM, channel=CHANNEL)
    sheet = load_workbook(io.BytesIO(_uploaded(slack, 0))).active
    row = {h.value: c for h, c in zip(sheet[1], sheet[2], strict=True)}
    assert row["Amount"].value == 1234.5 and row["Amount"].data_type == "n"
    assert row["Date"].value == dt.datetime(2026, 11, 3) and row["Date"].is_date
    assert row["Purpose"].value == "=HYPERLINK(evil)" and row["Purpose"].data_type == "s"
    assert isinstance(row["Entry"].value, int)


def test_thousands_of_problems_fit_in_one_modal(slack: SlackDriver, en: Made) -> None:
    rows = "".join(f"L{i},moon,<@U{i}> & more\n" for i in range(3000))
    view = preview(slack, "bad.csv", f"Budget line,Category,Allocated\n{rows}".encode())
    shown = text_of(view)
    assert "6000 problems" in shown and "…and 5940 more." in json.dumps(view, ensure_ascii=False)
    assert "&lt;@U0&gt; &amp; more" in shown  # user text escaped, no live mention
    assert len(view["private_metadata"]) < 300


def test_xlsx_export_headers_in_chinese(
    slack: SlackDriver, deps: Deps, clock: Clock, fake: FakeSlack
) -> None:
    clock.frozen = NOW
    make_project(deps, locale="zh-Hans")
    slack.command("/icrm", "export budget xlsx", user=PM, channel=CHANNEL)
    book = load_workbook(io.BytesIO(_uploaded(slack, 0)))
    sheet = book.active
    assert sheet.title == "预算科目"
    assert [c.value for c in sheet[1]] == [
        "预算科目", "类别", "部门", "预算", "币种", "已支出",
        "已批变更", "调整后预算", "待审批", "待审批变更",
    ]  # fmt: skip
    assert sheet["D2"].value == 600000 and sheet.column_dimensions["A"].width >= 8


def test_slack_failing_leaves_a_message_not_a_stuck_modal(
    slack: SlackDriver, deps: Deps, en: Made, sleeps: Sleeps
) -> None:
    before = counts(deps)
    slack.fake.fail("files.info", status=500, retry_after=None, times=20)
    view = preview(slack, "b.csv", b"Budget line,Category,Allocated\nA,land,5\n")
    assert "Nothing was imported" in text_of(view) and not view.get("submit")
    assert counts(deps) == before
    assert len(sleeps) == 3  # files.info retried three times, the back-offs recorded, not slept


def test_xlsx_export_is_for_pms_only(slack: SlackDriver, en: Made) -> None:
    slack.command("/icrm", "export budget xlsx", user=MEMBER, channel=CHANNEL)
    call = slack.wait_answers(MEMBER)[-1]  # only MEMBER sees it
    assert "PM" in str(call.args["text"])
    assert not slack.fake.calls_to("files.completeUploadExternal")
