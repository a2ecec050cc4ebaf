"""The curious admin, for anonymous feedback: three known people give anonymous feedback one
by one during a day, each between named actions of their own (named feedback, which writes
their id, an audit entry and an outbox row). After each step the admin copies the database
files (main file and WAL on SQLite) and reads the logs; after the day's release they look at
every table. They must learn nothing finer than "one of these three wrote each one"."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select, text

from bot.app import Deps
from bot.services import digest as digest_service
from jobs.manual import run_now
from storage.models import (
    AuditLog,
    DepartmentMember,
    Feedback,
    FeedbackPending,
    OutboxMessage,
    WebhookOutbox,
)
from tests.conftest import CHANNEL, LEAD, Clock
from tests.db import every_row_as_json
from tests.e2e.test_curious_admin import file_bytes
from tests.e2e.test_home import open_home, text_of
from tests.factories import Made, make_project
from tests.slack_driver import SlackDriver

ZONE = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 12, 1, 9, 3, 11, tzinfo=ZONE)  # a Tuesday morning
RELEASE = dt.datetime(2026, 12, 1, 18, 0, tzinfo=ZONE)
MIDNIGHT = dt.datetime(2026, 12, 1, tzinfo=ZONE).astimezone(dt.UTC)
AUTHORS = ("UAUTHORA1", "UAUTHORB2", "UAUTHORC3")


def secret(user: str) -> str:
    return f"secret-remark-of-{user.lower()}"


def named(user: str) -> str:
    return f"signed-remark-of-{user.lower()}"


@pytest.fixture
def webhooks(deps: Deps) -> Iterator[None]:
    """Outbound webhooks on, so the webhook outbox is part of what the admin can read."""
    saved = deps.settings.icrm_webhook_url
    deps.settings.icrm_webhook_url = "http://127.0.0.1:9/hooks"  # never delivered here
    yield
    deps.settings.icrm_webhook_url = saved


def everything(engine: Engine) -> str:
    """Every row of every table as text, and on SQLite the raw files too."""
    blob = every_row_as_json(engine)
    if engine.dialect.name == "sqlite":
        blob += file_bytes(engine).decode("utf-8", "replace")
    return blob


def give(
    slack: SlackDriver, made: Made, user: str, comment: str, rating: str, anonymous: bool
) -> dict[str, Any]:
    slack.command("/feedback", "", user=user, channel=CHANNEL)
    view = slack.opened_view()
    values = {
        "to_department": str(made.departments["finance"]),
        "from_department": str(made.departments["engineering"]),
        "rating": rating,
        "comment": comment,
        **({"anonymous": ["yes"]} if anonymous else {}),
    }
    body: dict[str, Any] = slack.submit(view, values, user=user).json()
    assert body["response_action"] == "update", body
    return body


@pytest.mark.usefixtures("debug_logs")
def test_the_curious_admin_cannot_tell_who_gave_which_anonymous_feedback(
    slack: SlackDriver,
    deps: Deps,
    engine: Engine,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
    webhooks: None,
) -> None:
    clock.frozen = START.astimezone(dt.UTC)
    made = make_project(deps, anonymity=(3, 3))
    with deps.uow() as uow:
        engineering = uow.projects.departments(made.project_id)
        [eng] = [d for d in engineering if d.id == made.departments["engineering"]]
        eng.members = [DepartmentMember(user_id=u) for u in AUTHORS]
        uow.commit()

    # Each author: a named feedback, then an anonymous one; the next author's named feedback
    # follows at once. Rows named by the author sit right before and after each anonymous one.
    during: dict[str, list[str]] = {}
    steps = [(u, False) for u in AUTHORS[:1]]
    for a, b in zip(AUTHORS, [*AUTHORS[1:], None], strict=True):
        steps.append((a, True))
        if b is not None:
            steps.append((b, False))
    steps.append((AUTHORS[0], False))  # and one more named action after the last
    told = 0
    for n, (user, anonymous) in enumerate(steps, start=1):
        clock.frozen = (START + dt.timedelta(minutes=13 * n, seconds=n)).astimezone(dt.UTC)
        caplog.clear()
        comment = secret(user) if anonymous else f"{named(user)}-{n}"
        body = give(slack, made, user, comment, str(1 + n % 5), anonymous)
        if not anonymous:  # its DM is out before the next step
            told += 1
            slack.fake.wait_for("chat.postMessage", count=told)
        if anonymous:
            # The giver is told when the lead will see it.
            assert "today at 18:00 (project time)" in json.dumps(body)
            during[user] = [r.getMessage() for r in caplog.records]
        # Until the release nothing anonymous can be read anywhere, files included.
        seen = everything(engine)
        assert not any(secret(u) in seen for u in AUTHORS), n
    assert told == len(steps) - len(AUTHORS)  # named DMs only

    with deps.uow() as uow:
        assert uow.session.scalars(select(Feedback).where(Feedback.anonymous)).all() == []
        boxes = uow.session.scalars(select(FeedbackPending)).all()
        # Sealed and padded: one size whatever the comment; only the release day in clear.
        assert len(boxes) == len(AUTHORS) and len({len(b.sealed) for b in boxes}) == 1
        assert {b.release_on for b in boxes} == {dt.date(2026, 12, 1)}
        assert (
            uow.session.scalars(select(AuditLog).where(AuditLog.actor == "anonymous")).all() == []
        )
    # While the anonymous ones were given, no log line carried anything of theirs.
    for user, lines in during.items():
        assert secret(user) not in "\n".join(lines)

    # The lead's Home shows none of it yet.
    assert not any(secret(u) in text_of(open_home(slack, LEAD)) for u in AUTHORS)

    # 18:00: the day's anonymous feedback is released, all three at once.
    clock.frozen = RELEASE.astimezone(dt.UTC)
    caplog.clear()
    [result] = run_now(deps, "feedback_release", at=clock.frozen)
    assert (result.outcome, result.sent) == ("done", len(AUTHORS))
    released_log = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    assert not any(u in released_log for u in AUTHORS)  # the release names nobody
    seen = everything(engine)
    assert all(secret(u) in seen for u in AUTHORS)

    with deps.uow() as uow:
        assert uow.session.scalars(select(FeedbackPending)).all() == []
        rows = uow.session.scalars(select(Feedback).order_by(Feedback.id)).all()
        anonymous = [f for f in rows if f.anonymous]
        signed = [f for f in rows if not f.anonymous]
        assert len(anonymous) == len(AUTHORS)
        # Ids: one block after every named row of the day, not between the authors' rows.
        ids = [f.id for f in anonymous]
        assert ids == list(range(min(ids), min(ids) + len(ids)))
        assert min(ids) > max(f.id for f in signed)
        # Nothing but the content differs: no author, the same day, the same department.
        assert {(f.author_user_id, f.created_at, f.from_department_id) for f in anonymous} == {
            (None, MIDNIGHT, made.departments["engineering"])
        }
        # Audit: by "anonymous", at the day's start, in one block after every named entry.
        audit = uow.session.scalars(
            select(AuditLog).where(AuditLog.entity == "feedback").order_by(AuditLog.id)
        ).all()
        mine = [a for a in audit if a.entity_id in {str(i) for i in ids}]
        assert {(a.actor, a.action, a.at) for a in mine} == {("anonymous", "create", MIDNIGHT)}
        assert not any(u in json.dumps([a.before, a.after]) for a in mine for u in AUTHORS)
        assert min(a.id for a in mine) > max(a.id for a in audit if a not in mine)
        # The leads' DMs: queued together at the release, in one block of the outbox.
        queued = uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        leads = [q for q in queued if any(q.key == f"feedback:{i}:lead:{LEAD}" for i in ids)]
        assert len(leads) == len(AUTHORS)
        assert {q.created_at for q in leads} == {RELEASE.astimezone(dt.UTC)}
        assert min(q.id for q in leads) > max(q.id for q in queued if q not in leads)
        # Webhook events of the anonymous ones: the day only, nobody named.
        events = [
            w
            for w in uow.session.scalars(select(WebhookOutbox)).all()
            if w.payload["entity_id"] in {str(i) for i in ids}
        ]
        assert len(events) == len(AUTHORS)
        assert {(w.created_at, w.payload["actor"]) for w in events} == {(MIDNIGHT, "anonymous")}
    # No log line of an anonymous submission names what the release made of it.
    for lines in during.values():
        logged = "\n".join(lines)
        assert not any(f"feedback:{i}:" in logged or f"feedback #{i}" in logged for i in ids)
    if engine.dialect.name == "postgresql":
        # Released together in one transaction, so `xmin` cannot order them.
        with engine.connect() as connection:
            xmins = connection.execute(
                text("SELECT DISTINCT xmin::text FROM feedback WHERE anonymous")
            ).all()
            assert len(xmins) == 1

    # The lead got each one by DM, and sees them on the Home.
    dms = slack.fake.wait_for("chat.postMessage", count=len(steps))
    told = json.dumps([c.args for c in dms if c.args["channel"] == LEAD], ensure_ascii=False)
    assert all(secret(u) in told for u in AUTHORS)
    home = text_of(open_home(slack, LEAD))
    assert all(secret(u) in home for u in AUTHORS) and not any(u in home for u in AUTHORS)

    # A second run, or a run of the next day, releases nothing twice.
    [again] = run_now(deps, "feedback_release", at=clock.frozen)
    assert again.sent == 0 and "No anonymous feedback" in again.explain()
    [tomorrow] = run_now(deps, "feedback_release", at=clock.frozen + dt.timedelta(days=1))
    assert tomorrow.sent == 0 and "No anonymous feedback" in tomorrow.explain()
    with deps.uow() as uow:
        assert len(uow.session.scalars(select(Feedback).where(Feedback.anonymous)).all()) == 3
    assert len(slack.fake.calls_to("chat.postMessage")) == len(steps)

    # The weekly digest counts them: three anonymous ratings reach the minimum of three.
    with deps.uow() as uow:
        week = digest_service.weekly(
            uow, project_id=made.project_id, at=dt.datetime(2026, 12, 7, 9, tzinfo=ZONE)
        )
    assert week.feedback_count == len(steps)
