"""Migration 0030 on a database with data: projects become active, and nothing under them
is lost (a rebuild of `projects` on SQLite would cascade-delete their rows)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alembic import command
from sqlalchemy import text

from storage.db import make_engine
from storage.migrate import alembic_config


def test_existing_projects_are_active_and_keep_their_rows(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    config = alembic_config(url)
    command.upgrade(config, "0020")
    engine = make_engine(url)  # foreign keys on, as the bot runs
    with engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO projects (id, team_id, code, name, currency, total_budget, channel_id,"
                " timezone, locale, meeting_weekday, meeting_time, reminder_lead_minutes,"
                " report_anchor, report_due_days, nudge_hours, anonymity_min,"
                " comment_anonymity_min, runway_threshold_weeks, digest_weekday, digest_time,"
                " archived, created_at, created_by) VALUES (1, 'T1', 'HWY-1', 'Old', 'CNY', 1000,"
                " 'C1', 'Asia/Shanghai', 'en', 0, '10:00:00', 60, '2026-10-01', 2, 24, 3, 5, 8, 0,"
                " '09:00:00', 0, :at, 'U1')"
            ),
            {"at": dt.datetime(2026, 11, 1, 8, 0)},
        )
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
