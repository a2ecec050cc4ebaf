"""Type-ahead selects: more than 100 budget lines, departments or funding sources become an
`external_select`, answered through signed `block_suggestion` requests."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import Deps
from storage.models import Department, Feedback, FundEntry, FundingSource
from tests.conftest import CHANNEL, MEMBER, OTHER, PM, Clock
from tests.db import count
from tests.e2e.test_funds import open_modal
from tests.factories import Made, make_project
from tests.slack_driver import SlackDriver, assert_errors

NOW = dt.datetime(2026, 11, 27, 4, 0, tzinfo=dt.UTC)
LINES = 300


@pytest.fixture(autouse=True)
def _frozen(clock: Clock) -> None:
    clock.frozen = NOW


def budget() -> dict[str, Decimal]:
    lines = {f"Line {i:03d}": Decimal("1000") for i in range(1, LINES + 1)}
    lines["土地征收补偿 Land compensation"] = Decimal("5000")
    return lines


def another_project(deps: Deps, **extra: Any) -> Made:
    """A second project, PWR-7, none of whose people are in the first one."""
    return make_project(
        deps,
        code="PWR-7",
        channel="COTHER",
        pm=OTHER,
        finance_lead="ULEAD2",
        engineering_member="UMEMBER2",
        **extra,
    )


def element(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return dict(next(b["element"] for b in view["blocks"] if b.get("block_id") == block_id))


def entry(line: int, **changes: str) -> dict[str, Any]:
    return {
        "line": str(line),
        "amount": "120.00",
        "date": "2026-11-26",
        "purpose": "进度款",
        "reference": "INV-250",
        **changes,
    }


def test_three_hundred_lines_record_against_line_250_through_type_ahead(
    slack: SlackDriver, deps: Deps
) -> None:
    made = make_project(deps, report_anchor="2026-10-01", budget=budget())
    view = open_modal(slack)
    select_ = element(view, "line")
    assert select_["type"] == "external_select" and "options" not in select_
    assert select_["min_query_length"] == 1

    found = slack.suggest(view, "line", "line 25", user=MEMBER)  # case does not matter
    labels = [o["text"]["text"] for o in found]
    assert labels == [f"Line {n}" for n in range(250, 260)]
    wanted = next(o["value"] for o in found if o["text"]["text"] == "Line 250")
    assert wanted == str(made.lines["Line 250"])
    assert len(slack.suggest(view, "line", "Line", user=MEMBER)) == 100  # Slack's limit
    assert len(slack.suggest(view, "line", "#2", user=MEMBER)) <= 100

    response = slack.submit(view, entry(int(wanted)), user=MEMBER)
    assert response.status_code == 200 and response.text in ("", "null")
    slack.fake.wait_for("chat.postEphemeral", user=MEMBER)
    with deps.uow() as uow:
        saved = uow.session.scalars(select(FundEntry)).one()
        assert saved.budget_line_id == made.lines["Line 250"]


def test_type_ahead_finds_chinese_and_the_category(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps, report_anchor="2026-10-01", budget=budget())
    view = open_modal(slack)
    compensation = str(made.lines["土地征收补偿 Land compensation"])
    assert [o["value"] for o in slack.suggest(view, "line", "土", user=MEMBER)] == [compensation]
    assert [o["value"] for o in slack.suggest(view, "line", "征收", user=MEMBER)] == [compensation]
    assert [o["value"] for o in slack.suggest(view, "line", "ＬＡＮＤ", user=MEMBER)] == [
        compensation
    ]
    # every line here is a construction line: the category finds them too (first 100)
    assert len(slack.suggest(view, "line", "constr", user=MEMBER)) == 100
    assert slack.suggest(view, "line", "nothing like it", user=MEMBER) == []


def test_strangers_and_tampered_views_get_no_options(slack: SlackDriver, deps: Deps) -> None:
    make_project(deps, report_anchor="2026-10-01", budget=budget())
    other = another_project(deps, budget=budget())
    view = open_modal(slack)
    assert slack.suggest(view, "line", "Line 2", user=OTHER) == []  # not one of its people
    elsewhere = {**view, "private_metadata": json.dumps({"project_id": other.project_id})}
    assert slack.suggest(elsewhere, "line", "Line 2", user=MEMBER) == []  # not MEMBER's project
    for metadata in ("", "not json", "[]", '{"project_id": "1"}', '{"project_id": true}'):
        assert slack.suggest({**view, "private_metadata": metadata}, "line", "L", user=MEMBER) == []
    assert not slack.fake.malformed()


@pytest.mark.parametrize("tampered", ["other project", "999999", "abc", "-1"])
def test_a_tampered_line_is_a_field_error(slack: SlackDriver, deps: Deps, tampered: str) -> None:
    make_project(deps, report_anchor="2026-10-01", budget=budget())
    other = make_project(deps, code="PWR-7", channel="COTHER", pm=OTHER)
    value = str(other.lines["Construction works"]) if tampered == "other project" else tampered
    view = open_modal(slack)
    assert_errors(slack.submit(view, {**entry(0), "line": value}, user=MEMBER), "line")
    assert count(deps, FundEntry) == 0


def test_many_departments_and_sources_become_type_ahead(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps, report_anchor="2026-10-01")
    with deps.uow() as uow:
        for i in range(120):
            uow.session.add(
                Department(project_id=made.project_id, name=f"标段 {i:03d}", kind="construction")
            )
            uow.session.add(
                FundingSource(
                    project_id=made.project_id,
                    name=f"Tranche {i:03d}",
                    kind="senior_debt",
                    committed=Decimal("100000"),
                    created_at=NOW,
                )
            )
        uow.commit()
        tranche = uow.session.scalars(
            select(FundingSource.id).where(FundingSource.name == "Tranche 117")
        ).one()
    view = open_modal(slack, "drawdown", user=PM)
    assert element(view, "source")["type"] == "external_select"
    found = slack.suggest(view, "source", "tranche 117", user=PM)
    assert [o["value"] for o in found] == [str(tranche)]
    assert len(slack.suggest(view, "source", "senior", user=PM)) == 100  # by kind

    opened = len(slack.fake.calls_to("views.open"))
    slack.command("/feedback", "", user=MEMBER, channel=CHANNEL)
    raw = slack.fake.wait_for("views.open", count=opened + 1)[-1].args["view"]
    feedback = json.loads(raw) if isinstance(raw, str) else dict(raw)
    to_department = next(
        b for b in feedback["blocks"] if b.get("element", {}).get("type") == "external_select"
    )
    names = [
        o["text"]["text"]
        for o in slack.suggest(feedback, to_department["block_id"], "11", user=MEMBER)
    ]
    assert names == ["标段 011"] + [f"标段 11{i}" for i in range(10)]
    assert count(deps, FundEntry) == 0


def test_a_department_of_another_project_is_a_field_error(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps, report_anchor="2026-10-01")
    other = another_project(deps)
    opened = len(slack.fake.calls_to("views.open"))
    slack.command("/feedback", "", user=MEMBER, channel=CHANNEL)
    raw = slack.fake.wait_for("views.open", count=opened + 1)[-1].args["view"]
    view = json.loads(raw) if isinstance(raw, str) else dict(raw)
    values = {
        "to_department": str(other.departments["finance"]),
        "from_department": str(made.departments["engineering"]),
        "rating": "4",
        "comment": "付款及时",
    }
    assert_errors(slack.submit(view, values, user=MEMBER), "to_department")
    assert count(deps, Feedback) == 0
