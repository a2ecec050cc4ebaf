"""Peak memory of `/icrm export funds` at 10k, 100k and 1M fund-use entries.

    python bench/export_memory.py                         # SQLite, 10k / 100k / 1M
    python bench/export_memory.py --sizes 10000,100000 --url postgresql://…/scratch

For each size a scratch database gets one project and N entries (1 % voided, Chinese
purposes), inserted with Core in batches. The export then runs in a fresh child process,
which reports its peak RSS before the export (imports, engine) and after it: the difference
is what the export itself needed. Flat memory means that difference does not grow with N.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from bench.seed import save_bench_project
from bot.i18n import translator
from bot.services import export
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import BudgetLine, FundEntry
from storage.uow import UnitOfWork

TEAM, PM, BATCH = "T0BENCH", "UPM", 20_000
VOIDED_AT = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)


def _now() -> dt.datetime:
    """The benchmark's clock (the units of work stamp their audit rows with it)."""
    return VOIDED_AT


def _peak_mb() -> float:
    """This process's peak RSS. VmHWM, not `ru_maxrss`: the latter keeps the parent's peak
    across fork + exec, which would hide the child's own."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def seed(url: str, size: int) -> int:
    """A project with `size` fund-use entries; its id."""
    upgrade(url)
    factory = make_session_factory(make_engine(url))
    with UnitOfWork(factory, now=_now) as uow:
        project_id = save_bench_project(uow, team_id=TEAM, pm=PM)
    with UnitOfWork(factory, now=_now) as uow:
        line = BudgetLine(project_id=project_id, name="土建工程", category="construction",
                          allocated=Decimal("100000000000"))  # fmt: skip
        uow.session.add(line)
        uow.commit()
        line_id = line.id
    start = dt.date(2024, 1, 1)
    with factory() as session:
        for offset in range(0, size, BATCH):
            rows = []
            for i in range(offset, min(size, offset + BATCH)):
                void = i % 100 == 0
                rows.append(
                    {
                        "project_id": project_id,
                        "budget_line_id": line_id,
                        "amount": Decimal(i % 100_000) / 100 + Decimal("0.01"),
                        "spent_on": start + dt.timedelta(days=i % 900),
                        "purpose": f"桥梁桩基 第{i}期 payment",
                        "reference": f"INV-{i:07d}",
                        "reporter": "ULEAD",
                        "created_at": VOIDED_AT,
                        "voided_at": VOIDED_AT if void else None,
                        "voided_by": PM if void else None,
                        "void_reason": "entered twice" if void else None,
                    }
                )
            session.execute(insert(FundEntry), rows)
            session.commit()
    return project_id


def run_export(url: str, project_id: int) -> dict[str, float]:
    """In this (fresh) process: export and measure."""
    factory = make_session_factory(make_engine(url))
    with UnitOfWork(factory, now=_now) as uow:  # warm up: connection, mappers, translations
        uow.projects.get(TEAM, project_id)
    translator("zh-Hans")("Date")
    before = _peak_mb()
    path = Path(tempfile.mkstemp(suffix=".csv")[1])
    began = time.perf_counter()
    with UnitOfWork(factory, now=_now) as uow:
        rows = export.write_export(
            uow,
            team_id=TEAM,
            project_id=project_id,
            user_id=PM,
            request=export.ExportRequest(export.ExportKind.FUNDS),
            tr=translator("zh-Hans"),
            path=path,
        )
    seconds = time.perf_counter() - began
    size = path.stat().st_size
    path.unlink()
    return {
        "rows": rows,
        "before": before,
        "peak": _peak_mb(),
        "seconds": seconds,
        "mb": size / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--url", help="an empty scratch database (default: a SQLite file per size)")
    parser.add_argument("--child", nargs=2, metavar=("URL", "PROJECT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_export(args.child[0], int(args.child[1]))))
        return
    print(
        f"{'entries':>10} {'file MB':>8} {'seconds':>8} {'RSS before':>11} {'RSS peak':>9} {'export Δ':>9}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        folder = tempfile.mkdtemp(prefix="icrm-bench-")
        url = args.url or f"sqlite:///{folder}/bench.db"
        project_id = seed(url, size)
        out = subprocess.run(
            [sys.executable, __file__, "--child", url, str(project_id)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        m = json.loads(out.stdout.strip().splitlines()[-1])
        assert m["rows"] == size
        print(
            f"{size:>10,} {m['mb']:>8.1f} {m['seconds']:>8.1f} {m['before']:>9.1f}MB"
            f" {m['peak']:>7.1f}MB {m['peak'] - m['before']:>7.1f}MB"
        )


if __name__ == "__main__":
    main()
