"""Seed a database at scale for benchmarks: bulk inserts through SQLAlchemy Core.

`seed(engine, projects=5000)` gives each project its channel, PM, the default departments
(with a lead and members), the default responsibility matrix and budget lines, exactly the
shape `bot.services.projects.save_project` would leave (plus `tests/factories.py`'s extras),
but thousands of rows per statement instead of one ORM flush per project.

Later benchmarks extend it: call `seed()` for the projects, then add their own
`seed_<domain>(engine, seeded)` that bulk-inserts rows referring to `seeded.projects`
(ids are assigned here, so no row needs a round trip to learn its key).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Engine, Table, func, insert, select, text

from bot.forms import Form
from bot.i18n import translator
from bot.labels import DEPARTMENT_KIND
from bot.services.project_defaults import DEFAULT_DEPARTMENTS, DEFAULT_MATRIX
from bot.services.projects import ProjectField, save_project
from storage.models import (
    Base,
    BudgetCategory,
    BudgetLine,
    Department,
    DepartmentKind,
    DepartmentMember,
    Project,
    ProjectPM,
    Responsibility,
)
from storage.uow import UnitOfWork

TEAM_ID = "T0TEST"  # tests/fake_slack.py's workspace
CHUNK = 5_000  # rows per INSERT batch

# Budget lines every seeded project gets: name → (category, share of the total budget).
BUDGET_LINES: dict[str, tuple[BudgetCategory, Decimal]] = {
    "Land acquisition": (BudgetCategory.LAND, Decimal("0.15")),
    "Construction works": (BudgetCategory.CONSTRUCTION, Decimal("0.55")),
    "Equipment": (BudgetCategory.EQUIPMENT, Decimal("0.10")),
    "Design and survey": (BudgetCategory.DESIGN, Decimal("0.05")),
    "Financing costs": (BudgetCategory.FINANCING_COSTS, Decimal("0.08")),
    "Contingency": (BudgetCategory.CONTINGENCY, Decimal("0.07")),
}


@dataclass(frozen=True)
class SeededProject:
    id: int
    code: str
    channel_id: str
    pm: str
    locale: str
    departments: dict[str, int]  # kind → department id
    lines: dict[str, int]  # budget line name → id
    members: tuple[str, ...]  # every department lead and member


@dataclass
class Seeded:
    team_id: str
    projects: list[SeededProject] = field(default_factory=list)


def seed(engine: Engine, *, projects: int = 5_000, team_id: str = TEAM_ID) -> Seeded:
    """Add `projects` complete projects to a migrated database; what was made."""
    seeded = Seeded(team_id)
    with engine.begin() as connection:
        ids = _Ids(connection)
        rows: dict[str, list[dict[str, Any]]] = {
            "projects": [],
            "pms": [],
            "departments": [],
            "members": [],
            "matrix": [],
            "lines": [],
        }
        first = ids.next(_table(Project), projects)
        department_id = ids.next(_table(Department), projects * len(DEFAULT_DEPARTMENTS))
        responsibility_id = ids.next(
            _table(Responsibility), projects * sum(len(r) for r in DEFAULT_MATRIX.values())
        )
        line_id = ids.next(_table(BudgetLine), projects * len(BUDGET_LINES))
        for n in range(projects):
            project = _project_rows(
                rows, team_id, first + n, department_id, responsibility_id, line_id
            )
            department_id += len(project.departments)
            responsibility_id += sum(len(r) for r in DEFAULT_MATRIX.values())
            line_id += len(project.lines)
            seeded.projects.append(project)
        for table, batch in (
            (_table(Project), rows["projects"]),
            (_table(ProjectPM), rows["pms"]),
            (_table(Department), rows["departments"]),
            (_table(DepartmentMember), rows["members"]),
            (_table(Responsibility), rows["matrix"]),
            (_table(BudgetLine), rows["lines"]),
        ):
            bulk_insert(connection, table, batch)
        ids.sync_sequences()
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    return seeded


def save_bench_project(uow: UnitOfWork, *, team_id: str, pm: str, **changes: str) -> int:
    """`BENCH-1` (高速公路 Bench, ¥1000亿, Chinese) with its `changes` (set-up form fields),
    saved by `pm` as the setup modal would, in channel `CBENCH`; its id. For a benchmark
    that wants one real project, not thousands."""
    values = {
        "code": "BENCH-1",
        "name": "高速公路 Bench",
        "currency": "CNY",
        "total_budget": "100000000000",
        "timezone": "Asia/Shanghai",
        "locale": "zh-Hans",
        "meeting_weekday": "0",
        "meeting_time": "10:00",
        "report_anchor": "2024-01-01",
    }
    form = Form.of(ProjectField, **values | changes, pms=[pm])
    return save_project(uow, team_id=team_id, channel_id="CBENCH", user_id=pm, form=form).project_id


def bulk_insert(connection: Any, table: Table, rows: Iterable[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) into `table`, in this transaction.

    SQLite: Core `insert()` executemany in batches of `CHUNK` (in-process, fast).
    PostgreSQL: `COPY … FROM STDIN` on the same connection; psycopg would otherwise pipeline
    an executemany one statement per row, about ten times slower at this scale.
    """
    if connection.dialect.name != "postgresql":
        for batch in _chunks(rows, CHUNK):
            connection.execute(insert(table), batch)
        return
    # COPY does not apply the models' Python-side defaults (`default=True`, `default=0`):
    # fill them in, so a column added with one does not break the seed.
    defaults = {
        c.name: c.default.arg
        for c in table.columns
        if c.default is not None and getattr(c.default, "is_scalar", False)
    }
    rows = [{**{k: v for k, v in defaults.items() if k not in row}, **row} for row in rows]
    if not rows:
        return
    columns = list(rows[0])
    cursor = connection.connection.driver_connection.cursor()
    names = ", ".join(f'"{c}"' for c in columns)
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


class _Ids:
    """Hands out primary keys above the current maximum, and moves PostgreSQL's sequences past
    them afterwards so the app's own inserts do not collide."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.tables: list[Table] = []

    def next(self, table: Table, count: int) -> int:
        self.tables.append(table)
        current = self.connection.scalar(select(func.max(table.c.id))) or 0
        return int(current) + 1

    def sync_sequences(self) -> None:
        if self.connection.dialect.name != "postgresql":
            return  # SQLite's INTEGER PRIMARY KEY continues from the largest id by itself
        for table in self.tables:
            self.connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
                )
            )


def project_identity(n: int) -> tuple[str, str, str]:
    """Code, channel id and PM of the `n`-th seeded project (stable across runs)."""
    return f"BENCH-{n}", f"CB{n:08d}", f"UPM{n % 997:04d}"


def _project_rows(
    rows: dict[str, list[dict[str, Any]]],
    team_id: str,
    project_id: int,
    department_id: int,
    responsibility_id: int,
    line_id: int,
) -> SeededProject:
    code, channel, pm = project_identity(project_id)
    locale = "zh-Hans" if project_id % 2 else "en"
    tr = translator(locale)
    total = Decimal(10_000_000 + (project_id % 1000) * 1_000_000)
    now = dt.datetime.now(dt.UTC)
    rows["projects"].append(
        {
            "id": project_id,
            "team_id": team_id,
            "code": code,
            "name": f"Benchmark project {project_id}",
            "currency": "CNY",
            "total_budget": total,
            "channel_id": channel,
            "timezone": "Asia/Shanghai",
            "locale": locale,
            "meeting_weekday": project_id % 5,
            "meeting_time": dt.time(10, 0),
            "reminder_lead_minutes": 60,
            "report_anchor": dt.date(2026, 1, 5),
            "report_due_days": 2,
            "nudge_hours": 24,
            "anonymity_min": 3,
            "comment_anonymity_min": 5,
            "runway_threshold_weeks": 8,
            "digest_weekday": 0,
            "digest_time": dt.time(9, 0),
            "archived": False,
            "active": True,
            "created_by": pm,
            "created_at": now,
        }
    )
    rows["pms"].append({"project_id": project_id, "user_id": pm})
    departments: dict[str, int] = {}
    members: list[str] = []
    for offset, kind in enumerate(DEFAULT_DEPARTMENTS):
        lead = f"UL{project_id:06d}{offset}"
        departments[kind] = department_id + offset
        rows["departments"].append(
            {
                "id": department_id + offset,
                "project_id": project_id,
                "name": tr(DEPARTMENT_KIND[kind]),
                "kind": str(kind),
                "lead_user_id": lead,
                "responsibilities": "",
            }
        )
        for user in (lead, f"UM{project_id:06d}{offset}"):
            rows["members"].append({"department_id": department_id + offset, "user_id": user})
            members.append(user)
    n = 0
    for (phase, area), roles in DEFAULT_MATRIX.items():
        for kind, role in roles.items():
            rows["matrix"].append(
                {
                    "id": responsibility_id + n,
                    "project_id": project_id,
                    "phase": str(phase),
                    "area": area,
                    "department_id": departments[kind],
                    "role": str(role),
                }
            )
            n += 1
    lines: dict[str, int] = {}
    for offset, (name, (category, share)) in enumerate(BUDGET_LINES.items()):
        lines[name] = line_id + offset
        rows["lines"].append(
            {
                "id": line_id + offset,
                "project_id": project_id,
                "name": name,
                "category": str(category),
                "department_id": departments[DepartmentKind.FINANCE],
                "allocated": (total * share).quantize(Decimal("0.01")),
                "spent": Decimal(0),
                "alerted_percent": 0,
            }
        )
    return SeededProject(project_id, code, channel, pm, locale, departments, lines, tuple(members))
