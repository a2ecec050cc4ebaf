"""The curious admin: answers come in one by one from known people, and after each one the
admin copies the database files (main file and WAL on SQLite) and reads the logs, trying to
tell who answered what. They must learn nothing finer than "one of this group", where every
group has at least the survey's minimum."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, MetaData, select, text

from bot.app import Deps
from storage.models import Project, SurveyPendingAnswer, SurveyResponse
from tests.conftest import CHANNEL, PM, Clock
from tests.db import every_row_as_json
from tests.e2e import test_surveys as survey_tests
from tests.slack_driver import SlackDriver

MINIMUM = 3
START = dt.datetime(2026, 11, 24, 1, 0, 7, tzinfo=dt.UTC)  # a Tuesday, 09:00:07 in Shanghai


def comment_of(user: str) -> str:
    return f"secret-remark-of-{user.lower()}"


def file_bytes(engine: Engine) -> bytes:
    """What a copy of the SQLite files holds (main file, WAL, rollback journal).

    Copied by another process, as an admin would: opening and closing the files in this
    process would drop SQLite's POSIX locks on them and corrupt the test database."""
    path = Path(str(engine.url.database))
    parts = [str(p) for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal")) if p.exists()]
    return subprocess.run(["cat", *parts], capture_output=True, check=True).stdout


def visible_comments(deps: Deps, engine: Engine, people: list[str]) -> set[str]:
    """Whose comment can be read anywhere: in any table, and on SQLite in the raw files."""
    blob = every_row_as_json(engine).encode()
    if engine.dialect.name == "sqlite":
        blob += file_bytes(engine)
    return {u for u in people if comment_of(u).encode() in blob}


def times_finer_than_a_day(engine: Engine, zone: str) -> list[tuple[str, str, str]]:
    """Every timestamp in the survey's trail (audit, outbox, responses) that is not midnight
    in the project's timezone."""
    metadata = MetaData()
    metadata.reflect(bind=engine)
    found = []
    with engine.connect() as connection:
        audit = metadata.tables["audit_log"]
        for row in connection.execute(select(audit).where(audit.c.action == "answer")).mappings():
            at = (
                row["at"]
                if isinstance(row["at"], dt.datetime)
                else dt.datetime.fromisoformat(row["at"])
            )
            at = at.replace(tzinfo=at.tzinfo or dt.UTC)
            local = at.astimezone(ZoneInfo(zone))
            if local.time() != dt.time():
                found.append(("audit_log", "at", str(at)))
        outbox = metadata.tables["webhook_outbox"]
        for row in connection.execute(select(outbox)).mappings():
            if row["event_type"] == "survey.answer":
                for column in ("created_at", "next_attempt_at"):
                    value = str(row[column])
                    if not value.endswith(("16:00:00", "16:00:00+00:00", "16:00:00.000000")):
                        found.append(("webhook_outbox", column, value))
                if str(row["payload"]["occurred_at"])[11:19] != "16:00:00":
                    found.append(("webhook_outbox", "payload", row["payload"]["occurred_at"]))
    return found


@pytest.fixture
def survey_with_webhooks(deps: Deps) -> Any:
    """Outbound webhooks on, so the outbox is part of what the admin can read."""
    saved = deps.settings.icrm_webhook_url
    deps.settings.icrm_webhook_url = "http://127.0.0.1:9/hooks"  # never delivered in this test
    yield
    deps.settings.icrm_webhook_url = saved


@pytest.mark.usefixtures("debug_logs")
def test_the_curious_admin_cannot_tell_who_answered_what(
    slack: SlackDriver,
    deps: Deps,
    engine: Engine,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
    survey_with_webhooks: Any,
) -> None:
    clock.frozen = START
    made = survey_tests.staff(deps)
    with deps.uow() as uow:
        project = uow.session.get(Project, made.project_id)
        assert project is not None
        project.anonymity_min, project.comment_anonymity_min = MINIMUM, MINIMUM
        uow.commit()
    slack.submit(survey_tests.open_new(slack), survey_tests.good(made), user=PM)
    survey = survey_tests.the_survey(deps)
    people = [*survey_tests.ENGINEERS, *survey_tests.OPERATORS, survey_tests.LAWYER]
    for user in people:
        slack.fake.wait_for("chat.postMessage", channel=user)

    revealed_at: dict[str, int] = {}
    for n, user in enumerate(people, start=1):
        clock.frozen = START + dt.timedelta(minutes=7 * n, seconds=n)  # all on one day
        response = survey_tests.answer(slack, survey.id, user, str(1 + n % 5), comment_of(user))
        assert response.status_code == 200
        for seen in visible_comments(deps, engine, people):
            revealed_at.setdefault(seen, n)
        # Nothing is readable until a whole group is: then the group appears at once.
        assert set(revealed_at) == set(people[: (n // MINIMUM) * MINIMUM]), (n, revealed_at)

    # Each answer became readable together with at least MINIMUM - 1 others.
    groups: dict[int, list[str]] = {}
    for user, n in revealed_at.items():
        groups.setdefault(n, []).append(user)
    assert all(len(group) >= MINIMUM for group in groups.values()), groups

    with deps.uow() as uow:
        rows = uow.session.scalars(select(SurveyResponse)).all()
        # No time finer than the day, the same day for the whole group; no author.
        assert {r.answered_on for r in rows} == {dt.date(2026, 11, 24)}
        assert all(r.respondent is None for r in rows)
        waiting = uow.session.scalars(select(SurveyPendingAnswer)).all()
        assert len(waiting) == len(people) % MINIMUM
        # What waits is sealed and padded: every box has the same size, whatever the answer.
        assert len({len(w.sealed) for w in waiting}) <= 1
    with engine.connect() as connection:
        events = connection.execute(
            text("SELECT count(*) FROM webhook_outbox WHERE event_type = 'survey.answer'")
        ).scalar()
    assert events == len(people)
    assert times_finer_than_a_day(engine, "Asia/Shanghai") == []
    if engine.dialect.name == "postgresql":
        # Rows released together share one transaction id, so `xmin` cannot order them.
        with engine.connect() as connection:
            xmins = connection.execute(text("SELECT DISTINCT xmin::text FROM survey_responses"))
            assert len(list(xmins)) == len(groups)

    # The logs name no comment, and no line carries an answer.
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    assert any(r.name.startswith("sqlalchemy") for r in caplog.records)
    for user in people:
        assert comment_of(user) not in logged

    # At close the rest are released, and the results count everyone.
    slack.command("/survey", f"close {survey.id}", user=PM, channel=CHANNEL)
    survey_tests.posted(slack, "Results of", channel=CHANNEL)
    with deps.uow() as uow:
        assert len(uow.session.scalars(select(SurveyResponse)).all()) == len(people)
        assert uow.session.scalars(select(SurveyPendingAnswer)).all() == []
