"""`app_manifest.yml` is valid for Slack and matches what the code registers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import jsonschema
import pytest
import yaml

from bot.settings import SLACK_REQUEST_PATH

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT.parent / "shared" / "slack" / "manifest.schema.1.0.0.json"


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / "app_manifest.yml").read_text(encoding="utf-8")))


@pytest.mark.skipif(
    not SCHEMA.exists(), reason="Slack's manifest schema is not beside the repository"
)
def test_manifest_validates_against_slacks_schema(manifest: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(manifest), key=str)
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors)


def test_every_url_uses_the_request_path(manifest: dict[str, Any]) -> None:
    settings = manifest["settings"]
    urls = [c["url"] for c in manifest["features"]["slash_commands"]]
    urls += [
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
    ]
    assert {urlparse(u).path for u in urls} == {SLACK_REQUEST_PATH}


def test_an_install_asks_for_the_manifests_bot_scopes(manifest: dict[str, Any]) -> None:
    from bot.settings import MANIFEST_BOT_SCOPES, Settings

    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(MANIFEST_BOT_SCOPES)
    assert Settings(_env_file=None).scopes == list(MANIFEST_BOT_SCOPES)  # type: ignore[call-arg]


def test_the_redirect_url_is_the_oauth_flows_path(manifest: dict[str, Any]) -> None:
    from bot.settings import SLACK_REDIRECT_PATH

    urls = manifest["oauth_config"]["redirect_urls"]
    assert {urlparse(u).path for u in urls} == {SLACK_REDIRECT_PATH}


@pytest.mark.skipif(
    not SCHEMA.exists(), reason="Slack's manifest schema is not beside the repository"
)
def test_each_step_parameter_has_a_type_slack_knows_and_its_own_name(
    manifest: dict[str, Any],
) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    types = set(schema["definitions"]["slack-functions.parameter"]["properties"]["type"]["enum"])
    for callback_id, function in manifest["functions"].items():
        for kind in ("input_parameters", "output_parameters"):
            for name, parameter in function[kind].items():
                where = f"{callback_id}.{kind}.{name}"
                assert parameter["type"] in types, where
                assert parameter.get("name") == name, where
                assert isinstance(parameter.get("is_required"), bool), where
        # The person who ran the workflow, as a user context a workflow cannot fake.
        assert function["input_parameters"]["user"]["type"] == "slack#/types/user_context"
        assert function["input_parameters"]["user"]["is_required"] is True
