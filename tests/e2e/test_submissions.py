"""One record per submission: the same view (Slack's view id and hash) submitted twice saves
once; a write that would wait on a database lock answers "busy" inside the ack budget and
saves nothing, and the retry is safe."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, text

from bot.app import Deps
from storage.models import AgendaItem, ClaimedView, Feedback, FundEntry, Risk, Survey
from tests.conftest import MEMBER, PM, Clock
from tests.db import count
from tests.e2e import test_feedback as feedback_tests
from tests.e2e import test_funds as funds_tests
from tests.e2e import test_meetings as meeting_tests
from tests.e2e import test_risks as risk_tests
from tests.e2e import test_surveys as survey_tests
from tests.factories import make_project
from tests.fake_slack import FakeSlack
from tests.slack_driver import SlackDriver


def same_view(view: dict[str, Any], n: str) -> dict[str, Any]:
    return {**view, "id": f"VSAME{n}", "hash": f"{n}.abc"}


def _twice(slack: SlackDriver, view: dict[str, Any], values: dict[str, Any], user: str) -> None:
    first = slack.submit(view, values, user=user)
    second = slack.submit(view, values, user=user)
    assert first.status_code == 200 and second.status_code == 200
    assert second.text in ("", "null"), second.text  # the repeat just closes the modal


def test_fund_use_submitted_twice_is_one_entry(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps, report_anchor="2026-10-01")
    view = same_view(funds_tests.open_modal(slack), "1")
    _twice(slack, view, funds_tests.good(made), MEMBER)
    assert count(deps, FundEntry) == 1
    assert count(deps, ClaimedView) == 1


def test_risk_submitted_twice_is_one_risk(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    view = same_view(risk_tests.open_modal(slack), "2")
    values = {
        **risk_tests.HIGH,
        "likelihood": "4",
        "impact": "4",
        "department": str(made.departments["finance"]),
    }
    _twice(slack, view, values, MEMBER)
    assert count(deps, Risk) == 1


def test_feedback_submitted_twice_is_one_feedback(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps)
    view = same_view(feedback_tests.open_modal(slack), "3")
    slack.submit(view, feedback_tests.good(made), user=MEMBER)
    slack.submit(view, feedback_tests.good(made), user=MEMBER)
    assert count(deps, Feedback) == 1


def test_survey_created_and_answered_twice_is_one_of_each(slack: SlackDriver, deps: Deps) -> None:
    made = survey_tests.staff(deps)
    view = same_view(survey_tests.open_new(slack), "4")
    slack.submit(view, survey_tests.good(made), user=PM)
    slack.submit(view, survey_tests.good(made), user=PM)
    assert count(deps, Survey) == 1


def test_agenda_item_submitted_twice_is_one_item(
    slack: SlackDriver, deps: Deps, clock: Clock, fake_slack: FakeSlack
) -> None:
    message = meeting_tests.post_reminder(deps, clock, fake_slack)
    meeting_tests.open_add_item(slack, message)
    view = same_view(slack.opened_view(), "7")
    _twice(slack, view, {"agenda_item": "Bridge pier inspection"}, PM)
    assert count(deps, AgendaItem) == 1


def test_a_new_hash_is_a_new_submission(slack: SlackDriver, deps: Deps) -> None:
    """Slack gives an updated view a new hash: that submission is not a repeat."""
    made = make_project(deps, report_anchor="2026-10-01")
    view = funds_tests.open_modal(slack)
    slack.submit({**view, "id": "VUPD", "hash": "1.a"}, funds_tests.good(made), user=MEMBER)
    slack.submit({**view, "id": "VUPD", "hash": "2.b"}, funds_tests.good(made), user=MEMBER)
    assert count(deps, FundEntry) == 2


def test_field_errors_claim_nothing(slack: SlackDriver, deps: Deps) -> None:
    made = make_project(deps, report_anchor="2026-10-01")
    view = same_view(funds_tests.open_modal(slack), "5")
    bad = slack.submit(view, funds_tests.good(made, amount="-1"), user=MEMBER).json()
    assert bad["response_action"] == "errors"
    fixed = slack.submit(view, funds_tests.good(made), user=MEMBER)
    assert fixed.status_code == 200
    assert count(deps, FundEntry) == 1


@contextmanager
def write_lock_held(engine: Engine, seconds: float) -> Iterator[None]:
    """Another writer holds the lock fund entries need, for `seconds`."""
    holding = threading.Event()

    def hold() -> None:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                connection.execute(text("DELETE FROM claimed_views WHERE 0"))
            else:
                connection.execute(text("LOCK TABLE fund_entries IN EXCLUSIVE MODE"))
            holding.set()
            time.sleep(seconds)
            connection.rollback()

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(5)
    try:
        yield
    finally:
        thread.join()


def timed(do: Callable[[], Any]) -> tuple[Any, float]:
    start = time.monotonic()
    result = do()
    return result, time.monotonic() - start


def test_a_locked_database_answers_busy_in_time_and_the_retry_saves_once(
    slack: SlackDriver, deps: Deps
) -> None:
    made = make_project(deps, report_anchor="2026-10-01")
    view = same_view(funds_tests.open_modal(slack), "6")
    values = funds_tests.good(made)
    with write_lock_held(deps.engine, 3.5):
        response, took = timed(lambda: slack.submit(view, values, user=MEMBER))
    assert took < 2.9
    body = response.json()
    assert body["response_action"] == "errors"
    assert "busy" in " ".join(body["errors"].values())
    assert count(deps, FundEntry) == 0
    assert slack.submit(view, values, user=MEMBER).status_code == 200
    assert slack.submit(view, values, user=MEMBER).text in ("", "null")
    assert count(deps, FundEntry) == 1


@pytest.fixture(autouse=True)
def _frozen(clock: Clock) -> None:
    clock.frozen = funds_tests.NOW
