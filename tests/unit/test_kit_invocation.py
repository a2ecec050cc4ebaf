"""`Invocation.required_project` (handlers/routing.py): the project a `Sub` needs, which the
kit found before `run`; a `Sub(needs_project=False)` has none to ask for."""

from __future__ import annotations

from typing import Any, cast

import pytest

from bot.i18n import translator
from handlers.common import Caller
from handlers.routing import Invocation, ProjectRef

PROJECT = ProjectRef(
    id=7,
    team_id="T1",
    code="ALPHA",
    name="Alpha",
    channel_id="C1",
    locale="en",
    currency="CNY",
    timezone="Asia/Shanghai",
    pm_ids=("U1",),
)


def _invocation(project: ProjectRef | None) -> Invocation:
    caller = Caller("T1", "U1", "C1", None, None)
    nothing = cast(Any, None)
    return Invocation(nothing, nothing, caller, [], translator("en"), project, "/funds")


def test_required_project_is_the_project_found() -> None:
    assert _invocation(PROJECT).required_project is PROJECT


def test_required_project_of_a_sub_without_one_fails_loudly() -> None:
    with pytest.raises(AssertionError):
        _ = _invocation(None).required_project
