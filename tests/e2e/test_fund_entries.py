"""Fund entries people can find and fix: `/funds list` with filters and paging, *Void*
from the list for those allowed, the duplicate-reference warning, and a confirmation that
never suggests a command the reader may not run."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import Deps
from bot.forms import Form
from bot.services import funds
from bot.services.fund_policy import Policy, set_policy
from bot.services.funds import FundField
from storage.models import BudgetLine, FundEntry
from tests.conftest import CHANNEL, LEAD, MEMBER, OTHER, PM, Clock
from tests.db import count
from tests.e2e.test_funds import good, open_modal
from tests.factories import Made, make_project, void_fund_use
from tests.fake_slack import TEAM_ID
from tests.slack_driver import SlackDriver

NOW = dt.datetime(2026, 11, 27, 4, 0, tzinfo=dt.UTC)
LINES = {"Construction works": Decimal("600000"), "Land acquisition": Decimal("900000")}


@pytest.fixture(autouse=True)
def _frozen(clock: Clock) -> None:
    clock.frozen = NOW


def record(deps: Deps, made: Made, line: str, amount: str, day: str, ref: str) -> int:
    form = Form.of(
        FundField,
        line=str(made.lines[line]),
        amount=amount,
        date=day,
        purpose=f"进度款 {ref}",
        reference=ref,
    )
    with deps.uow() as uow:
        return funds.record_entry(
            uow, team_id=TEAM_ID, project_id=made.project_id, user_id=MEMBER, form=form, now=NOW
        ).id


def answer(slack: SlackDriver, user: str, do: Any) -> dict[str, Any]:
    """Do something; the next answer `user` sees (on the ack, the response_url or an ephemeral) (text and blocks as JSON)."""
    before = len(slack.answers(user))
    do()
    args = slack.wait_answers(user, before + 1)[before].args
    blocks = args.get("blocks") or []
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    return {"text": args["text"], "blocks": blocks, "json": json.dumps(blocks, ensure_ascii=False)}


def funds_list(slack: SlackDriver, user: str, text: str = "") -> dict[str, Any]:
    return answer(
        slack,
        user,
        lambda: slack.command("/funds", f"list {text}".strip(), user=user, channel=CHANNEL),
    )


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = [b["accessory"] for b in blocks if b.get("accessory", {}).get("type") == "button"]
    found += [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    return found


@pytest.fixture
def made(deps: Deps) -> Made:
    made = make_project(deps, report_anchor="2026-10-01", budget=LINES)
    for n in range(12):  # 12 entries on Construction works, 2026-11-01 … 2026-11-12
        record(deps, made, "Construction works", "1000", f"2026-11-{n + 1:02d}", f"INV-{n:02d}")
    record(deps, made, "Land acquisition", "5万", "2026-11-20", "征地-07")
    return made


def test_list_is_newest_first_and_pages_with_more(slack: SlackDriver, made: Made) -> None:
    first = funds_list(slack, MEMBER)
    shown = [b for b in first["blocks"] if b["type"] == "section"]
    assert len(shown) == 10
    assert "征地-07" in json.dumps(shown[0], ensure_ascii=False) and "INV-11" in json.dumps(
        shown[1]
    )
    assert f"<@{MEMBER}>" in first["json"] and "¥50,000.00" in first["json"]
    [more] = [b for b in buttons(first["blocks"]) if b["action_id"] == "funds_list_more"]
    assert not [b for b in buttons(first["blocks"]) if b["action_id"] == "funds_void_open"]
    second = answer(
        slack,
        MEMBER,
        lambda: slack.action("funds_list_more", more["value"], user=MEMBER, channel=CHANNEL),
    )
    rest = [b for b in second["blocks"] if b["type"] == "section"]
    assert len(rest) == 3  # 13 entries: 10, then the three oldest
    assert ["INV-02" in json.dumps(s) for s in rest] == [True, False, False]
    assert ["INV-00" in json.dumps(s) for s in rest] == [False, False, True]
    assert "funds_list_more" not in second["json"]


def test_filters_by_line_and_dates(slack: SlackDriver, made: Made) -> None:
    land = funds_list(slack, MEMBER, "land")
    assert "征地-07" in land["json"] and "INV-" not in land["json"]
    ranged = funds_list(slack, MEMBER, "Construction works 2026-11-03 2026-11-04")
    assert "INV-02" in ranged["json"] and "INV-03" in ranged["json"]
    assert "INV-01" not in ranged["json"] and "INV-04" not in ranged["json"]
    since = funds_list(slack, MEMBER, "2026-11-12")
    assert (
        "INV-11" in since["json"] and "征地-07" in since["json"] and "INV-10" not in since["json"]
    )
    assert "none match" in funds_list(slack, MEMBER, "2026-12-01")["text"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2026-13-01", "is not a date"),
        ("2026-11-31", "is not a date"),
        ("2026-11-10 2026-11-01", "is after the second"),
        ("2026-11-01 2026-11-02 2026-11-03", "at most two dates"),
        ("bridge", "No budget line matches “bridge”"),
    ],
)
def test_bad_filters_get_a_clear_message(
    slack: SlackDriver, made: Made, text: str, fragment: str
) -> None:
    assert fragment in funds_list(slack, MEMBER, text)["text"]


def test_outsiders_cannot_list(slack: SlackDriver, made: Made) -> None:
    assert "Only members" in funds_list(slack, OTHER)["text"]


@pytest.mark.parametrize("user", [PM, LEAD])
def test_void_from_the_list(slack: SlackDriver, deps: Deps, made: Made, user: str) -> None:
    listing = funds_list(slack, user, "land")
    [void] = [b for b in buttons(listing["blocks"]) if b["action_id"] == "funds_void_open"]
    slack.action("funds_void_open", void["value"], user=user, channel=CHANNEL)
    modal = slack.opened_view()
    assert modal["callback_id"] == "funds_void" and "征地-07" in json.dumps(
        modal, ensure_ascii=False
    )
    empty = slack.submit(modal, {"reason": "  "}, user=user).json()
    assert empty["response_action"] == "errors" and "Say why" in empty["errors"]["reason"]
    assert slack.submit(modal, {"reason": "发票重复登记"}, user=user).text in ("", "null")
    note = slack.fake.wait_for("chat.postMessage", channel=CHANNEL)[-1].args["text"]
    assert "voided fund-use entry" in note and "发票重复登记" in note
    with deps.uow() as uow:
        entry = uow.session.scalars(select(FundEntry).where(FundEntry.reference == "征地-07")).one()
        assert (entry.voided_by, entry.void_reason) == (user, "发票重复登记")
        line = uow.session.get(BudgetLine, made.lines["Land acquisition"])
        assert line is not None and line.spent == 0
    again = slack.submit(modal, {"reason": "twice"}, user=user).json()
    assert "already voided" in again["errors"]["reason"]
    relisted = funds_list(slack, user, "land")
    assert "Voided by" in relisted["json"] and "funds_void_open" not in relisted["json"]


def test_a_member_cannot_void_through_a_forged_button(
    slack: SlackDriver, deps: Deps, made: Made
) -> None:
    listing = funds_list(slack, PM, "land")
    [void] = [b for b in buttons(listing["blocks"]) if b["action_id"] == "funds_void_open"]
    told = answer(
        slack,
        MEMBER,
        lambda: slack.action("funds_void_open", void["value"], user=MEMBER, channel=CHANNEL),
    )
    assert "Only the PMs and the finance lead" in told["text"]
    assert slack.fake.calls_to("views.open") == []
    slack.action("funds_void_open", void["value"], user=PM, channel=CHANNEL)
    modal = slack.opened_view()
    refused = slack.submit(modal, {"reason": "mine now"}, user=MEMBER).json()
    assert "Only the PMs" in refused["errors"]["reason"]
    with deps.uow() as uow:
        assert (
            uow.session.scalar(select(FundEntry.voided_at).where(FundEntry.reference == "征地-07"))
            is None
        )


def test_broken_button_values_say_what_to_do(slack: SlackDriver, made: Made) -> None:
    for action in ("funds_list_more", "funds_void_open"):
        told = answer(slack, PM, lambda a=action: slack.action(a, "{x", user=PM, channel=CHANNEL))
        assert "out of date" in told["text"]


def test_a_reference_already_recorded_asks_for_a_reason_first(
    slack: SlackDriver, deps: Deps, made: Made
) -> None:
    """The check at entry (`bot.services.fund_checks`, on by default; the factory's policy
    is off): a confirm step, then it is saved."""
    with deps.uow() as uow:
        set_policy(uow, made.project_id, Policy(None, None, None, None, None), now=NOW)
        uow.commit()
    view = open_modal(slack)
    before = count(deps, FundEntry)
    values = good(made, reference="INV-03", amount="2000")
    body = slack.submit(view, values, user=MEMBER).json()
    assert body["response_action"] == "update"
    assert "already on entry #" in json.dumps(body["view"], ensure_ascii=False)
    assert count(deps, FundEntry) == before
    ok = slack.submit(body["view"], {"reason": "second instalment"}, user=MEMBER)
    assert ok.text in ("", "null") and count(deps, FundEntry) == before + 1


def test_a_voided_references_is_free_again(slack: SlackDriver, deps: Deps, made: Made) -> None:
    with deps.uow() as uow:
        entry_id = uow.session.scalar(select(FundEntry.id).where(FundEntry.reference == "征地-07"))
        assert entry_id is not None
    void_fund_use(deps, made.project_id, entry_id, "typo", now=NOW)
    view = open_modal(slack)
    assert slack.submit(view, good(made, reference="征地-07"), user=MEMBER).text in ("", "null")


@pytest.mark.parametrize(("user", "hinted"), [(MEMBER, False), (LEAD, True), (PM, True)])
def test_the_void_hint_is_only_for_those_who_may_void(
    slack: SlackDriver, made: Made, user: str, hinted: bool
) -> None:
    view = open_modal(slack, user=user)
    told = answer(
        slack, user, lambda: slack.submit(view, good(made, reference=f"NEW-{user}"), user=user)
    )
    assert "Recorded entry #" in told["text"]
    assert ("/funds void" in told["text"]) is hinted
    if not hinted:
        assert "ask a PM or the finance lead" in told["text"]
    assert told["blocks"][0]["type"] == "section"  # mrkdwn: *line* shows bold


def test_the_confirmation_in_chinese(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps, locale="zh-Hans", report_anchor="2026-10-01")
    view = open_modal(slack)
    told = answer(slack, MEMBER, lambda: slack.submit(view, good(made), user=MEMBER))
    assert "已记录" in told["text"] and " *Construction works* " in told["text"]
    assert "/funds void" not in told["text"]
