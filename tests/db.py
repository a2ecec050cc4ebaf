"""Read the database in tests."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, func, select, text

from bot.app import Deps


def count(deps: Deps, model: Any, *where: Any) -> int:
    """How many rows `model`'s table holds (those matching every `where` clause, if any),
    read in a transaction of its own."""
    query = select(func.count()).select_from(model)
    if where:
        query = query.where(*where)
    with deps.uow() as uow:
        return int(uow.session.scalar(query) or 0)


def every_row(engine: Engine) -> list[tuple[str, dict[str, Any]]]:
    """(table name, row) for every row of every table, the tables as the database has them."""
    metadata = MetaData()
    metadata.reflect(bind=engine)
    with engine.connect() as connection:
        return [
            (table.name, dict(row))
            for table in metadata.sorted_tables
            for row in connection.execute(select(table)).mappings()
        ]


def every_row_as_json(engine: Engine) -> str:
    """Every row of every table, one JSON object a line (values that are not JSON as text)."""
    return "\n".join(json.dumps(row, default=str) for _table, row in every_row(engine))


def insert_old_project(db: Connection, at: dt.datetime) -> None:
    """Project 1 (HWY-1 of team T1) as a row of the `projects` table had it before migration
    0030 (and since 0012), for the migration tests that upgrade a database with data."""
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
        {"at": at},
    )
