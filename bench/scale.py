"""How `/funds summary` and the liquidity computation scale with the number of entries.

    python bench/scale.py                      # SQLite and a throwaway PostgreSQL
    python bench/scale.py --db sqlite --sizes 10000,100000

One project with 20 budget lines and two funding sources is filled, in steps, up to each
size with Core bulk inserts spread over three years (2 % of them void, 1 % pending
approval, 0.5 % rejected) and a change order per 1,000 entries (approved or pending); the
running totals (`budget_lines.spent`, `.pending`, `.changes`, `.pending_changes`,
`funding_sources.drawn`, `fund_days`) are kept consistent with the rows, exactly as the
services keep them, and checked against SQL sums at the end. Each timing is the median of `--runs` calls of the
service function on a fresh unit of work. Goal: ≤ 0.1 s at 1M entries, and 1M within 2× of 10k.

Other domains add their own timings to `HOOKS` (e.g. the risks register when it exists).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, update

from bench.seed import save_bench_project
from bot.app import Deps
from bot.services import funds
from bot.settings import Settings
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import (
    BudgetLine,
    ChangeOrder,
    FundDay,
    FundEntry,
    FundingSource,
    Project,
)

TEAM = "TBENCH"
TODAY = dt.date(2026, 11, 27)
NOW = dt.datetime(2026, 11, 27, 4, 0, tzinfo=dt.UTC)
DAYS = 3 * 365
BATCH = 10_000

# name → function(deps, project_id, today) timed like the funds ones; other domains append.
HOOKS: list[tuple[str, Callable[[Deps, int, dt.date], object]]] = []


def time_summary(deps: Deps, project_id: int, today: dt.date) -> object:
    with deps.uow() as uow:
        return funds.summary(uow, team_id=TEAM, project_id=project_id, today=today)


def time_liquidity(deps: Deps, project_id: int, today: dt.date) -> object:
    with deps.uow() as uow:
        project = uow.session.get(Project, project_id)
        assert project is not None
        return funds.liquidity(uow, project, today)


def time_checks(deps: Deps, project_id: int, today: dt.date) -> object:
    """The checks at entry's queries for one new entry (duplicate reference, same amount /
    line / day, the reporter's recent entries on the line)."""
    with deps.uow() as uow:
        line = uow.funds.lines(project_id)[0]
        start = today - dt.timedelta(days=6)
        return (
            uow.control.same_reference(project_id, "INV-NEW"),
            uow.control.same_amount_day(line.id, today, Decimal("1234.56")),
            uow.control.recent_by_reporter(line.id, "UBENCH", start, today),
        )


TIMED: list[tuple[str, Callable[[Deps, int, dt.date], object]]] = [
    ("summary", time_summary),
    ("liquidity", time_liquidity),
    ("checks at entry", time_checks),
]


def make_deps(url: str) -> Deps:
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    engine = make_engine(url)
    return Deps(settings, engine, make_session_factory(engine), lambda: NOW)


def set_up(deps: Deps) -> tuple[int, list[int]]:
    anchor = (TODAY - dt.timedelta(days=DAYS)).isoformat()
    with deps.uow() as uow:
        project_id = save_bench_project(
            uow,
            team_id=TEAM,
            pm="UPM",
            name="Bench",
            total_budget="100亿",
            locale="en",
            report_anchor=anchor,
        )
    with deps.uow() as uow:
        lines = [
            BudgetLine(
                project_id=project_id,
                name=f"Line {i:02d}",
                category="construction",
                allocated=Decimal("500000000"),
            )
            for i in range(20)
        ]
        uow.session.add_all(lines)
        uow.session.add_all(
            [
                FundingSource(
                    project_id=project_id,
                    name=name,
                    kind=kind,
                    committed=Decimal("5000000000"),
                    drawn=Decimal("3000000000"),
                    created_at=NOW,
                )
                for name, kind in (("资本金", "equity"), ("银团贷款", "senior_debt"))
            ]
        )
        uow.commit()
        return project_id, [line.id for line in lines]


def load(deps: Deps, project_id: int, line_ids: list[int], count: int, rng: random.Random) -> None:
    """Insert `count` entries (and change orders) in Core batches and add them to the
    running totals."""
    per_line: dict[int, Decimal] = defaultdict(Decimal)
    per_day: dict[dt.date, Decimal] = defaultdict(Decimal)
    pending: dict[int, Decimal] = defaultdict(Decimal)
    changes: dict[int, Decimal] = defaultdict(Decimal)
    pending_changes: dict[int, Decimal] = defaultdict(Decimal)
    start = TODAY - dt.timedelta(days=DAYS)
    with deps.engine.begin() as connection:
        for offset in range(0, count, BATCH):
            rows = []
            for _ in range(min(BATCH, count - offset)):
                line = rng.choice(line_ids)
                amount = Decimal(rng.randint(100, 5_000_000)) / 100
                day = start + dt.timedelta(days=rng.randrange(DAYS + 1))
                void = rng.random() < 0.02
                draw = rng.random()
                status = "pending" if draw < 0.01 else "rejected" if draw < 0.015 else "posted"
                rows.append(
                    {
                        "project_id": project_id,
                        "budget_line_id": line,
                        "amount": amount,
                        "spent_on": day,
                        "purpose": "bench",
                        "reference": "INV",
                        "reporter": "UBENCH",
                        "created_at": NOW,
                        "voided_at": NOW if void else None,
                        "voided_by": "UPM" if void else None,
                        "void_reason": "bench" if void else None,
                        "status": status,
                        "checks": "",
                    }
                )
                if not void and status == "posted":
                    per_line[line] += amount
                    per_day[day] += amount
                elif not void and status == "pending":
                    pending[line] += amount
            connection.execute(insert(FundEntry), rows)
            orders = []
            for _ in range(max(1, len(rows) // 1000)):
                source, target = rng.sample(line_ids, 2)
                amount = Decimal(rng.randint(1, 10_000)) * 100
                status = rng.choice(["posted", "pending"])
                kind = rng.choice(["increase", "transfer"])
                orders.append(
                    {
                        "project_id": project_id,
                        "kind": kind,
                        "line_id": source,
                        "to_line_id": target if kind == "transfer" else None,
                        "amount": amount,
                        "reason": "bench",
                        "reference": "VO",
                        "requested_by": "UBENCH",
                        "created_at": NOW,
                        "status": status,
                        "approval_role": "finance",
                    }
                )
                totals = changes if status == "posted" else pending_changes
                if kind == "increase":
                    totals[source] += amount
                else:
                    totals[source] -= amount
                    totals[target] += amount
            connection.execute(insert(ChangeOrder), orders)
        for line in line_ids:
            connection.execute(
                update(BudgetLine)
                .where(BudgetLine.id == line)
                .values(
                    spent=BudgetLine.spent + per_line[line],
                    pending=BudgetLine.pending + pending[line],
                    changes=BudgetLine.changes + changes[line],
                    pending_changes=BudgetLine.pending_changes + pending_changes[line],
                )
            )
        existing = {
            day: amount
            for day, amount in connection.execute(
                select(FundDay.spent_on, FundDay.amount).where(FundDay.project_id == project_id)
            )
        }
        new = [
            {"project_id": project_id, "spent_on": d, "amount": a}
            for d, a in per_day.items()
            if d not in existing
        ]
        if new:
            connection.execute(insert(FundDay), new)
        for day, total in per_day.items():
            if day in existing:
                connection.execute(
                    update(FundDay)
                    .where(FundDay.project_id == project_id, FundDay.spent_on == day)
                    .values(amount=FundDay.amount + total)
                )


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm the caches and the connection pool
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def bench(label: str, url: str, sizes: list[int], runs: int) -> list[tuple[str, int, str, float]]:
    upgrade(url)
    deps = make_deps(url)
    project_id, line_ids = set_up(deps)
    rng = random.Random(42)
    results = []
    loaded = 0
    for size in sizes:
        began = time.perf_counter()
        load(deps, project_id, line_ids, size - loaded, rng)
        loaded = size
        print(
            f"  {label}: {size:>9,} entries loaded in {time.perf_counter() - began:6.1f} s",
            file=sys.stderr,
        )
        if deps.engine.dialect.name == "postgresql":
            with deps.engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
        for name, fn in [*TIMED, *HOOKS]:
            seconds = median_seconds(functools.partial(fn, deps, project_id, TODAY), runs)
            results.append((label, size, name, seconds))
    check(deps, project_id)
    deps.engine.dispose()
    return results


def check(deps: Deps, project_id: int) -> None:
    """The running totals equal the rows (the bulk load kept them consistent)."""
    from sqlalchemy import func

    with deps.uow() as uow:
        live = (FundEntry.project_id == project_id, FundEntry.voided_at.is_(None))
        rows = uow.session.scalar(
            select(func.sum(FundEntry.amount)).where(*live, FundEntry.status == "posted")
        )
        waiting = uow.session.scalar(
            select(func.sum(FundEntry.amount)).where(*live, FundEntry.status == "pending")
        )
        increases = uow.session.scalar(
            select(func.coalesce(func.sum(ChangeOrder.amount), 0)).where(
                ChangeOrder.project_id == project_id,
                ChangeOrder.status == "posted",
                ChangeOrder.kind == "increase",
            )
        )
        summary = funds.summary(uow, team_id=TEAM, project_id=project_id, today=TODAY)
    assert summary.pending == Decimal(str(waiting)).quantize(Decimal("0.01")), "pending drifted"
    assert summary.changes == Decimal(str(increases)).quantize(Decimal("0.01")), "changes"
    with deps.uow() as uow:
        lines = uow.session.scalar(
            select(func.sum(BudgetLine.spent)).where(BudgetLine.project_id == project_id)
        )
        days = uow.session.scalar(
            select(func.sum(FundDay.amount)).where(FundDay.project_id == project_id)
        )
    as_cents = [Decimal(str(v)).quantize(Decimal("0.01")) for v in (rows, lines, days)]
    assert len(set(as_cents)) == 1, f"running totals drifted: {as_cents}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--postgres-url", help="an empty database (default: a throwaway server)")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    results = []
    if args.db in ("sqlite", "both"):
        folder = tempfile.mkdtemp(prefix="icrm-bench-")
        results += bench("SQLite", f"sqlite:///{folder}/bench.db", sizes, args.runs)
    if args.db in ("postgres", "both"):
        server = None
        url = args.postgres_url
        if not url:
            from tests import pg

            server = pg.start()
            url = server.url
        try:
            results += bench("PostgreSQL", url, sizes, args.runs)
        finally:
            if server is not None:
                server.stop()
    print_table(results, sizes)


def print_table(results: list[tuple[str, int, str, float]], sizes: list[int]) -> None:
    header = ["database", "measure", *[f"{s:,}" for s in sizes], "growth", "goal"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    keys = list(dict.fromkeys((db, name) for db, _s, name, _t in results))
    for db, name in keys:
        times = {s: t for d, s, n, t in results if (d, n) == (db, name)}
        row = [f"{times[s] * 1000:.2f} ms" for s in sizes]
        growth = times[sizes[-1]] / times[sizes[0]]
        ok = times[sizes[-1]] <= 0.1 and growth <= 2
        print(
            f"| {db} | {name} | "
            + " | ".join(row)
            + f" | {growth:.2f}× | {'ok' if ok else 'MISSED'} |"
        )


if __name__ == "__main__":
    main()
