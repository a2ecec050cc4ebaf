"""Two workspaces with the app installed (OAuth mode): each sets its project up through
Slack, the clock posts each one's digest with that workspace's own token, an uninstall stops
one without touching the other, and nothing of one is seen in the other."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.__main__ import main
from bot.app import Deps
from bot.log import ContextExecutor
from bot.settings import SLACK_REQUEST_PATH
from jobs.manual import run_now, schedule
from jobs.scheduler import Clock
from storage.models import AuditLog, Project, slack_installations
from tests.conftest import SIGNING_SECRET
from tests.conftest import Clock as FrozenClock
from tests.db import count
from tests.e2e.test_setup import GOOD
from tests.fake_slack import FakeSlack
from tests.slack_driver import SlackDriver
from tests.workspaces import install

CST = ZoneInfo("Asia/Shanghai")
A, B = "T0ALPHA1", "T0BETA22"
PM_A, PM_B = "UAPM0001", "UBPM0002"
CHAN_A, CHAN_B = "CALPHA01", "CBETA002"


def _bearer(headers: dict[str, str]) -> str:
    return headers.get("authorization", "").removeprefix("Bearer ")


def _set_up(slack: SlackDriver, user: str, channel: str, name: str, currency: str) -> None:
    before = len(slack.fake.calls_to("views.open"))
    assert slack.command("/icrm", "setup", user=user, channel=channel).status_code == 200
    view: Any = slack.fake.wait_for("views.open", count=before + 1)[-1].args["view"]
    answer = slack.submit(dict(view), {**GOOD, "name": name, "currency": currency}, user=user)
    assert answer.status_code == 200 and answer.text in ("", "null"), answer.text
    slack.fake.wait_for("chat.postMessage", channel=channel)  # "project created", after the ack


@pytest.fixture
def two(oauth_url: str, oauth_deps: Deps, fake_slack: FakeSlack, clock: FrozenClock) -> Any:
    fake_slack.oauth.workspace(A, name="Alpha Highways", users=[PM_A], channels=[CHAN_A])
    fake_slack.oauth.workspace(B, name="Beta Power", users=[PM_B], channels=[CHAN_B])
    install(oauth_url, fake_slack, A, user=PM_A)
    install(oauth_url, fake_slack, B, user=PM_B)
    url = oauth_url + SLACK_REQUEST_PATH
    drivers = {
        A: SlackDriver(url, SIGNING_SECRET, fake_slack, team_id=A),
        B: SlackDriver(url, SIGNING_SECRET, fake_slack, team_id=B),
    }
    clock.frozen = dt.datetime(2026, 12, 9, 15, 0, tzinfo=CST)  # a Wednesday
    # The same project code in both: codes are unique per workspace only.
    _set_up(drivers[A], PM_A, CHAN_A, "Alpha Coastal Expressway", "CNY")
    _set_up(drivers[B], PM_B, CHAN_B, "Beta Gas Plant", "EUR")
    return drivers


def _posts(fake: FakeSlack, channel: str) -> list[Any]:
    return [
        c
        for c in fake.calls_to("chat.postMessage")
        if c.args.get("channel") == channel and c.error is None
    ]


def test_each_workspace_gets_its_digest_with_its_own_token_and_an_uninstall_stops_one(
    two: dict[str, SlackDriver], oauth_deps: Deps, fake_slack: FakeSlack, clock: FrozenClock
) -> None:
    tokens = {t: oauth_deps.installations().bot_token(t) for t in (A, B)}
    assert tokens[A] != tokens[B]
    monday = dt.datetime(2026, 12, 14, 9, 1, tzinfo=CST)
    clock.frozen = monday
    set_up = {c: len(_posts(fake_slack, c)) for c in (CHAN_A, CHAN_B)}  # "project created"

    results = run_now(oauth_deps, "weekly_digest", at=monday)

    assert [r.outcome for r in results] == ["done", "done"]
    for team, channel, own, other in ((A, CHAN_A, "¥", "€"), (B, CHAN_B, "€", "¥")):
        [digest] = _posts(fake_slack, channel)[set_up[channel] :]
        assert _bearer(digest.headers) == tokens[team]
        assert own in str(digest.args) and other not in str(digest.args)
    assert not fake_slack.refusals
    # The stand-in, like Slack, does not find one workspace's channel with the other's token.
    with pytest.raises(SlackApiError, match="channel_not_found"):
        oauth_deps.client_for(A).chat_postMessage(channel=CHAN_B, text="hello")
    fake_slack.refusals.clear()

    # Workspace A uninstalls: Slack revokes its tokens and sends app_uninstalled.
    fake_slack.oauth.revoke(A)
    assert two[A].event({"type": "app_uninstalled"}).status_code == 200
    ContextExecutor.wait_all_idle(timeout=10)  # the listener runs after the ack

    with oauth_deps.uow() as uow:
        active = {p.team_id: p.active for p in uow.session.scalars(select(Project))}
        audited = uow.session.scalars(select(AuditLog.action).where(AuditLog.team_id == A))
        assert "deactivated" in list(audited)
    assert active == {A: False, B: True}  # A's data is kept, inactive
    assert not oauth_deps.installations().installed(A)
    assert oauth_deps.installations().installed(B)
    assert {row.project for row in schedule(oauth_deps)} == {"HWY-42"}  # B's only
    wanted = Clock(oauth_deps).wanted()
    assert wanted and all(project.team_id == B for _, project, _ in wanted.values())

    next_monday = monday + dt.timedelta(days=7)
    clock.frozen = next_monday
    [result] = run_now(oauth_deps, "weekly_digest", at=next_monday)
    assert result.outcome == "done"
    assert len(_posts(fake_slack, CHAN_A)) == set_up[CHAN_A] + 1
    assert len(_posts(fake_slack, CHAN_B)) == set_up[CHAN_B] + 2

    # A's users are now refused by Bolt's authorization; B's still work.
    two[A].command("/icrm", "help", user=PM_A, channel=CHAN_A)
    refused = fake_slack.wait_for("response_url")
    assert "not installed in this workspace" in refused[-1].args["text"]


def test_reinstalling_brings_the_projects_back(
    two: dict[str, SlackDriver], oauth_url: str, oauth_deps: Deps, fake_slack: FakeSlack
) -> None:
    fake_slack.oauth.revoke(A)
    two[A].event({"type": "tokens_revoked", "tokens": {"bot": ["UBOTT0ALPHA1"]}})
    ContextExecutor.wait_all_idle(timeout=10)  # the listener runs after the ack
    with oauth_deps.uow() as uow:
        assert uow.workspaces.set_active(A, None, False) == 0  # already inactive

    install(oauth_url, fake_slack, A, user=PM_A)

    with oauth_deps.uow() as uow:
        assert all(p.active for p in uow.session.scalars(select(Project)))


def test_purge_team_deletes_one_workspace_after_a_typed_confirmation(
    two: dict[str, SlackDriver],
    oauth_deps: Deps,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("T0WRONG\n"))
    with pytest.raises(SystemExit) as refused:
        main(["purge-team", A])
    assert refused.value.code == 1
    assert count(oauth_deps, Project) == 2

    monkeypatch.setattr("sys.stdin", io.StringIO(f"{A}\n"))
    main(["purge-team", A])

    assert "workspace T0ALPHA1 purged" in capsys.readouterr().out
    with oauth_deps.uow() as uow:
        assert [p.team_id for p in uow.session.scalars(select(Project))] == [B]
        teams = uow.session.execute(select(slack_installations.c.team_id)).scalars().all()
        assert list(teams) == [B]
        assert not uow.session.scalars(select(AuditLog).where(AuditLog.team_id == A)).all()
    main(["purge-team", B, "--yes"])  # for scripts: no question
    assert count(oauth_deps, Project) == 0
