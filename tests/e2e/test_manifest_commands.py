"""`app_manifest.yml` declares exactly the slash commands and custom steps the built app
registers (it builds the app, so it is not a unit test; the manifest's own checks are in
tests/unit/test_manifest.py)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from bot.app import Deps, create_bolt_app
from tests.unit.test_manifest import ROOT


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / "app_manifest.yml").read_text(encoding="utf-8")))


def _registered(deps: Deps) -> tuple[set[str], set[str]]:
    app = create_bolt_app(deps)
    commands, events = set(), set()
    for listener in app._listeners:
        for matcher in listener.matchers:
            source = getattr(matcher, "func", None)
            closure = getattr(source, "__closure__", None) or ()
            for cell in closure:
                value = cell.cell_contents
                if isinstance(value, str) and value.startswith("/"):
                    commands.add(value)
                if (
                    isinstance(value, str)
                    and "_" in value
                    and value.islower()
                    and not value.startswith("/")
                ):
                    events.add(value)
    return commands, events


def test_manifest_declares_exactly_the_commands_the_code_handles(
    manifest: dict[str, Any], deps: Deps
) -> None:
    declared = {c["command"] for c in manifest["features"]["slash_commands"]}
    commands, _ = _registered(deps)
    assert declared == commands


def _step_listeners(deps: Deps) -> set[str]:
    """The callback ids the app listens to with `app.function` (Bolt's function_executed
    matcher keeps its callback id in its closure)."""
    found: set[str] = set()
    for listener in create_bolt_app(deps)._listeners:
        for matcher in listener.matchers:
            source = getattr(matcher, "func", None)
            if "function_executed" not in getattr(source, "__qualname__", ""):
                continue
            for cell in getattr(source, "__closure__", None) or ():
                if isinstance(cell.cell_contents, str):
                    found.add(cell.cell_contents)
    return found


def test_every_custom_step_in_the_manifest_has_a_listener_and_every_listener_a_step(
    manifest: dict[str, Any], deps: Deps
) -> None:
    declared = set(manifest["functions"])
    assert declared == {"record_fund_use", "flag_risk", "send_feedback"}
    assert _step_listeners(deps) == declared
    settings = manifest["settings"]
    assert "function_executed" in settings["event_subscriptions"]["bot_events"]
    assert settings["org_deploy_enabled"] is True and settings["function_runtime"] == "remote"
