"""`ProjectHeader.of`: a stored project's header, field by field."""

from __future__ import annotations

from dataclasses import asdict

from bot.services.project_header import ProjectHeader
from storage.models import Project
from tests.headers import header


def test_the_header_of_a_project_copies_its_columns() -> None:
    made = header(id=3, locale="zh-Hans", currency="USD")
    assert ProjectHeader.of(Project(team_id="T1", **asdict(made))) == made
