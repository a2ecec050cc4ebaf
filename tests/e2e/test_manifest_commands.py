"""`app_manifest.yml` declares exactly the slash commands the built app registers (it builds the
app, so it is not a unit test; the manifest's own checks are in tests/unit/test_manifest.py)."""

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
