"""`Invocation` (handlers/routing.py): `required_project`, the project a `Sub` needs, which
the kit found before `run` (a `Sub(needs_project=False)` has none to ask for); `open_modal`,
on the command's trigger."""

from __future__ import annotations

from typing import Any, cast

import pytest

from bot.i18n import translator
from handlers.common import Caller
from handlers.routing import Invocation, ProjectRef

PROJECT = cast(ProjectRef, object())  # only passed through


class _Client:
    def __init__(self) -> None:
        self.opened: list[dict[str, Any]] = []

    def views_open(self, **kwargs: Any) -> None:
        self.opened.append(kwargs)


def _invocation(project: ProjectRef | None, client: Any = None) -> Invocation:
    caller = Caller("T1", "U1", "C1", "trig-9", None)
    return Invocation(cast(Any, None), client, caller, [], translator("en"), project, "/funds")


def test_required_project_is_the_project_found() -> None:
    assert _invocation(PROJECT).required_project is PROJECT


def test_required_project_of_a_sub_without_one_fails_loudly() -> None:
    with pytest.raises(AssertionError):
        _ = _invocation(None).required_project


def test_open_modal_uses_the_commands_trigger() -> None:
    client = _Client()
    _invocation(PROJECT, client).open_modal({"type": "modal"})
    assert client.opened == [{"trigger_id": "trig-9", "view": {"type": "modal"}}]
