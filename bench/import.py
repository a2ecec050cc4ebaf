"""`/icrm import` at scale: parse + validate + preview, then apply, with peak memory.

    python bench/import.py                                  # SQLite: 1k/10k lines, 10k/100k history
    python bench/import.py --lines 10000 --history 100000 --url postgresql+psycopg://…/scratch

Each case writes a workbook (openpyxl write-only) with N rows: budget lines (name, category,
allocation in 万) or fund-use history (line, amount, date, purpose, reference) against 50
lines. Then, on a scratch database with one project, it measures what the bot does between
upload and preview — read the workbook (streamed, cached values), parse and validate every
cell, plan against the project (what to create / update / leave) — its time and its peak
Python memory (tracemalloc, the workbook bytes excluded), and the apply (one transaction).
A second apply of the same file checks it changes nothing. The Slack download is not timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook
from sqlalchemy import text

from bench.seed import save_bench_project
from bot.imports.parse import parse_file
from bot.imports.schema import Table
from bot.services import imports
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import BudgetLine
from storage.uow import UnitOfWork

TEAM, PM = "T0BENCH", "UPM"
TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC)
LINES_FOR_HISTORY = 50


def budget_workbook(n: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("预算")
    sheet.append(["预算科目", "类别", "部门", "预算"])
    for i in range(n):
        sheet.append([f"科目 {i:05d}", "construction", None, f"{(i % 900) + 1}万"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def history_workbook(n: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("资金使用")
    sheet.append(["预算科目", "金额", "支付日期", "用途", "凭证编号"])
    start = dt.date(2024, 1, 1)
    for i in range(n):
        sheet.append(
            [
                f"History line {i % LINES_FOR_HISTORY}",
                (i % 100_000) / 100 + 0.01,
                start + dt.timedelta(days=i % 1000),
                f"桥梁桩基 第{i}期",
                f"INV-{i:07d}",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def fresh_project(url: str) -> tuple[UnitOfWork, int]:
    engine = make_engine(url)
    upgrade(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as c:
            c.execute(text("TRUNCATE projects RESTART IDENTITY CASCADE"))
    factory = make_session_factory(engine)
    with UnitOfWork(factory, now=lambda: NOW) as uow:
        project_id = save_bench_project(uow, team_id=TEAM, pm=PM)
    with UnitOfWork(factory, now=lambda: NOW) as uow:
        for i in range(LINES_FOR_HISTORY):
            line = BudgetLine(project_id=project_id, name=f"History line {i}", category="other",
                              allocated=Decimal("1e10"), spent=Decimal(0), alerted_percent=0)  # fmt: skip
            uow.session.add(line)
        uow.commit()
    return UnitOfWork(factory, now=lambda: NOW), project_id


def preview(uow: UnitOfWork, project_id: int, table: Table, content: bytes) -> imports.Plan:
    """What happens between the upload and the preview (the download aside)."""
    parsed = parse_file(
        "bench.xlsx", content, tables=(table,), currency="CNY", today=TODAY, max_bytes=10**9
    )
    with uow:
        plan = imports.plan_import(
            uow, team_id=TEAM, project_id=project_id, user_id=PM, parsed=parsed, users={}, now=NOW
        )
    plan.parsed = parsed  # type: ignore[attr-defined]
    return plan


def run(url: str, table: Table, rows: int) -> None:
    content = budget_workbook(rows) if table is Table.BUDGET else history_workbook(rows)
    uow, project_id = fresh_project(url)
    started = time.perf_counter()
    plan = preview(uow, project_id, table, content)
    preview_s = time.perf_counter() - started
    assert not plan.problems, plan.problems[:3]
    del plan
    # Memory in a second run: tracemalloc slows Python down, so it is not timed.
    tracemalloc.start()
    plan = preview(uow, project_id, table, content)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    parsed = plan.parsed  # type: ignore[attr-defined]
    started = time.perf_counter()
    with uow:
        applied = imports.apply_import(
            uow, team_id=TEAM, project_id=project_id, user_id=PM, parsed=parsed, users={},
            now=NOW, file_ref="bench",
        )  # fmt: skip
    apply_s = time.perf_counter() - started
    with uow:
        again = imports.apply_import(
            uow, team_id=TEAM, project_id=project_id, user_id=PM, parsed=parsed, users={},
            now=NOW, file_ref="bench",
        )  # fmt: skip
    created = applied.counts[table].create
    print(
        f"{table.value:8} {rows:>8,} rows  file {len(content) / 1e6:5.2f} MB  "
        f"preview {preview_s:6.2f} s  peak {peak / 1e6:7.1f} MB ({peak / rows:6.0f} B/row)  "
        f"apply {apply_s:6.2f} s  created {created:,}  second apply changes {again.changes}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="database URL (default: a scratch SQLite file)")
    parser.add_argument("--lines", default="1000,10000", help="budget-line row counts")
    parser.add_argument("--history", default="10000,100000", help="fund-use history row counts")
    args = parser.parse_args()
    print(f"database: {'PostgreSQL' if args.url and 'postgres' in args.url else 'SQLite'}")
    for table, sizes in ((Table.BUDGET, args.lines), (Table.HISTORY, args.history)):
        for size in (int(s) for s in sizes.split(",") if s):
            with tempfile.TemporaryDirectory() as folder:
                url = args.url or f"sqlite:///{folder}/bench.db"
                run(url, table, size)


if __name__ == "__main__":
    main()
