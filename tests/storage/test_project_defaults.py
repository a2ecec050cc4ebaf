"""What a new project starts with (moved from tests/e2e/test_thresholds.py: no Slack in it)."""

from __future__ import annotations

from bot.app import Deps
from storage.models import Project
from tests.factories import make_project


def test_new_projects_default_to_5_and_10(deps: Deps) -> None:
    made = make_project(deps)
    with deps.uow() as uow:
        project = uow.session.get(Project, made.project_id)
        assert project is not None
        assert (project.anonymity_min, project.comment_anonymity_min) == (5, 10)
