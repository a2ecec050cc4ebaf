"""OAuth mode: "Add to Slack" through Bolt's OAuth flow into slack_sdk's SQLAlchemy stores on
our database, Bolt's authorization per workspace, and token rotation."""

from __future__ import annotations

import json

from bot.app import Deps
from bot.settings import SLACK_REQUEST_PATH
from tests.conftest import SIGNING_SECRET
from tests.fake_slack import FakeSlack
from tests.slack_driver import SlackDriver
from tests.workspaces import install

TEAM_A, TEAM_B = "T0AAAAAA", "T0BBBBBB"


def _driver(oauth_url: str, fake: FakeSlack, team: str) -> SlackDriver:
    return SlackDriver(oauth_url + SLACK_REQUEST_PATH, SIGNING_SECRET, fake, team_id=team)


def _bearer(call_headers: dict[str, str]) -> str:
    return call_headers.get("authorization", "").removeprefix("Bearer ")


def test_add_to_slack_stores_the_installation_and_requests_use_its_token(
    oauth_url: str, oauth_deps: Deps, fake_slack: FakeSlack
) -> None:
    fake_slack.oauth.workspace(TEAM_A, name="Highway Co", users=["UAPM"], channels=["CAAA"])

    page = install(oauth_url, fake_slack, TEAM_A, user="UAPM")

    assert page.status_code == 200 and "Thank you!" in page.text
    exchange = fake_slack.calls_to("oauth.v2.access")
    assert len(exchange) == 1 and exchange[0].args.get("code")
    token = oauth_deps.installations().bot_token(TEAM_A)
    assert fake_slack.oauth.tokens[token].team_id == TEAM_A

    slack = _driver(oauth_url, fake_slack, TEAM_A)
    assert slack.command("/icrm", "setup", user="UAPM", channel="CAAA").status_code == 200
    opened = fake_slack.wait_for("views.open")
    assert _bearer(opened[0].headers) == token


def test_a_state_not_issued_by_the_app_is_refused(
    oauth_url: str, oauth_deps: Deps, fake_slack: FakeSlack
) -> None:
    import httpx

    fake_slack.oauth.workspace(TEAM_A)
    answer = httpx.get(oauth_url + "/slack/oauth_redirect?code=forged&state=forged")
    assert answer.status_code == 400
    assert not fake_slack.calls_to("oauth.v2.access")
    assert not oauth_deps.installations().installed(TEAM_A)


def test_a_workspace_without_the_app_is_refused(oauth_url: str, fake_slack: FakeSlack) -> None:
    fake_slack.oauth.workspace(TEAM_A, channels=["CAAA"])
    fake_slack.oauth.workspace(TEAM_B, channels=["CBBB"])
    install(oauth_url, fake_slack, TEAM_A)

    answer = _driver(oauth_url, fake_slack, TEAM_B).command(
        "/icrm", "setup", user="UBPM", channel="CBBB"
    )

    assert answer.status_code == 200
    said = fake_slack.wait_for("response_url")  # Bolt's authorization answers the user
    assert "not installed in this workspace" in said[0].args["text"]
    assert not fake_slack.calls_to("views.open")


def test_rotated_tokens_are_refreshed_and_stored(
    oauth_url: str, oauth_deps: Deps, fake_slack: FakeSlack
) -> None:
    fake_slack.oauth.rotation_seconds = 60  # within the refresh margin: refreshed at first use
    fake_slack.oauth.workspace(TEAM_A, channels=["CAAA"])
    install(oauth_url, fake_slack, TEAM_A)
    first = oauth_deps.installations().store.find_installation(  # type: ignore[union-attr]
        enterprise_id=None, team_id=TEAM_A
    )
    assert first is not None and first.bot_refresh_token and first.bot_token_expires_at

    _driver(oauth_url, fake_slack, TEAM_A).command("/icrm", "setup", user="UAPM", channel="CAAA")
    opened = fake_slack.wait_for("views.open")

    refreshed = [c for c in fake_slack.calls_to("oauth.v2.access") if c.args.get("grant_type")]
    assert refreshed and refreshed[0].args["refresh_token"] == first.bot_refresh_token
    stored = oauth_deps.installations().store.find_installation(  # type: ignore[union-attr]
        enterprise_id=None, team_id=TEAM_A
    )
    assert stored is not None and stored.bot_token != first.bot_token
    assert _bearer(opened[0].headers) == stored.bot_token
    # The clock's side (deps.client_for) refreshes through the same store.
    client = oauth_deps.client_for(TEAM_A)
    assert client.auth_test()["team_id"] == TEAM_A
    assert json.dumps(client.token) != json.dumps(first.bot_token)


def test_an_org_wide_install_serves_every_workspace_of_the_organisation(
    oauth_url: str, oauth_deps: Deps, fake_slack: FakeSlack
) -> None:
    grid, team, pm = "E0GRID01", "T0GRIDA1", "W0GRIDPM"  # Enterprise Grid user ids start with W
    fake_slack.oauth.workspace(team, enterprise_id=grid, users=[pm], channels=["CGRID001"])
    page = install(oauth_url, fake_slack, team, user=pm, org=True)
    assert page.status_code == 200 and "Thank you!" in page.text
    store = oauth_deps.installations().store
    assert store is not None
    org = store.find_installation(enterprise_id=grid, team_id=None, is_enterprise_install=True)
    assert org is not None and org.is_enterprise_install and org.team_id is None

    slack = _driver(oauth_url, fake_slack, team)
    fields = {
        "team_id": team,
        "enterprise_id": grid,
        "is_enterprise_install": "true",
        "channel_id": "CGRID001",
        "user_id": pm,
        "command": "/icrm",
        "text": "setup",
        "api_app_id": "ATEST",
        "response_url": fake_slack.response_url("cmd"),
        "trigger_id": "trigger-grid",
    }
    assert slack.form(fields).status_code == 200
    opened = fake_slack.wait_for("views.open")
    assert _bearer(opened[0].headers) == org.bot_token
    # The clock finds the organisation's token for a project of any of its workspaces.
    assert oauth_deps.client_for(team, grid).token == org.bot_token
