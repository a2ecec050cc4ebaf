"""Migration 0030 on a database with data: projects become active, and nothing under them
is lost (a rebuild of `projects` on SQLite would cascade-delete their rows)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alembic import command
from sqlalchemy import text

from storage.db import make_engine
from storage.migrate import alembic_config
from tests.db import insert_old_project


def test_existing_projects_are_active_and_keep_their_rows(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    config = alembic_config(url)
    command.upgrade(config, "0020")
    engine = make_engine(url)  # foreign keys on, as the bot runs
    with engine.begin() as db:
        insert_old_project(db, dt.datetime(2026, 11, 1, 8, 0))
        db.execute(
            text(
                "INSERT INTO budget_lines (id, project_id, name, category, allocated, spent,"
                " alerted_percent, pending, changes, pending_changes, closed)"
                " VALUES (1, 1, 'Works', 'construction', 1000, 0, 0, 0, 0, 0, 0)"
            )
        )
    command.upgrade(config, "head")
    with engine.connect() as db:
        assert db.execute(text("SELECT active, enterprise_id FROM projects")).one() == (1, None)
        assert db.execute(text("SELECT count(*) FROM budget_lines")).scalar() == 1
    engine.dispose()
