"""Migration 0020 on a database with data: existing projects get the default policy and
existing entries and lines keep counting as before."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from bot.services.fund_policy import DEFAULTS
from storage.migrate import alembic_config
from tests.db import insert_old_project


def test_existing_projects_get_the_defaults(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    config = alembic_config(url)
    command.upgrade(config, "0012")
    engine = create_engine(url)
    stamp = dt.datetime(2026, 11, 1, 8, 0)
    with engine.begin() as db:
        insert_old_project(db, stamp)
        db.execute(
            text(
                "INSERT INTO budget_lines (id, project_id, name, category, allocated, spent,"
                " alerted_percent) VALUES (1, 1, 'Works', 'construction', 1000, 250, 0)"
            )
        )
        db.execute(
            text(
                "INSERT INTO fund_entries (project_id, budget_line_id, amount, spent_on, purpose,"
                " reference, reporter, created_at) VALUES (1, 1, 250, '2026-10-02', 'x', 'I-1',"
                " 'U1', :at)"
            ),
            {"at": stamp},
        )
    command.upgrade(config, "head")
    with engine.connect() as db:
        policy = db.execute(
            text(
                "SELECT finance_from, pm_from, warn_percent, approve_percent, block_percent,"
                " nudge_hours, split_days, duplicate_checks FROM fund_policies WHERE project_id = 1"
            )
        ).one()
        entry = db.execute(text("SELECT status, checks FROM fund_entries")).one()
        line = db.execute(
            text("SELECT spent, pending, changes, pending_changes, closed FROM budget_lines")
        ).one()
    assert [float(policy[0]), float(policy[1]), *policy[2:7], bool(policy[7])] == [
        float(DEFAULTS.finance_from or 0),
        float(DEFAULTS.pm_from or 0),
        DEFAULTS.warn_percent,
        DEFAULTS.approve_percent,
        DEFAULTS.block_percent,
        DEFAULTS.nudge_hours,
        DEFAULTS.split_days,
        DEFAULTS.duplicate_checks,
    ]
    assert tuple(entry) == ("posted", "")
    assert [float(v) for v in line[:4]] == [250, 0, 0, 0] and not line[4]
    engine.dispose()
