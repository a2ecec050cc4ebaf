"""One of the two installation modes is required, and the error says what to set."""

from __future__ import annotations

from typing import Any

from bot.settings import Settings


def _settings(**values: Any) -> Settings:
    return Settings(_env_file=None, slack_signing_secret="s", **values)  # type: ignore[call-arg]


def test_the_bot_token_is_single_workspace_mode_even_with_oauth_credentials() -> None:
    both = _settings(slack_bot_token="xoxb-1", slack_client_id="1.2", slack_client_secret="x")
    assert not both.oauth and both.missing_slack_credentials() == []


def test_client_id_and_secret_are_oauth_mode() -> None:
    oauth = _settings(slack_client_id="1.2", slack_client_secret="x")
    assert oauth.oauth and oauth.missing_slack_credentials() == []


def test_neither_mode_names_both_ways() -> None:
    assert _settings().missing_slack_credentials() == [
        "SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)"
    ]


def test_half_an_oauth_pair_names_the_missing_half() -> None:
    assert _settings(slack_client_id="1.2").missing_slack_credentials() == ["SLACK_CLIENT_SECRET"]
    assert _settings(slack_client_secret="x").missing_slack_credentials() == ["SLACK_CLIENT_ID"]
