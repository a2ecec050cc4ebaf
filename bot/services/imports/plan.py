"""What an import would do (`Plan`), and the planner's shared state: the project's rows by
name, the names the file creates, and the problems found."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.i18n import Msg, _
from bot.imports.parse import Parsed, Problem, Record
from bot.imports.schema import SPECS, Table
from storage.models import Department, FundingSource, Project
from storage.uow import UnitOfWork

# ref ("U…" or "email:…") → the member's user id, or None when not in the workspace.
UserResolver = Callable[[Sequence[str]], dict[str, str | None]]


@dataclass
class Counts:
    create: int = 0
    update: int = 0
    unchanged: int = 0


@dataclass
class Plan:
    """What applying the file would do; `problems` empty means it may be applied."""

    counts: dict[Table, Counts] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    _steps: list[Callable[[], None]] = field(default_factory=list, repr=False)

    @property
    def changes(self) -> int:
        return sum(c.create + c.update for c in self.counts.values())

    def summary(self) -> dict[str, Any]:
        return {
            t.value: {"create": c.create, "update": c.update, "unchanged": c.unchanged}
            for t, c in self.counts.items()
        }


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def problem_at(record: Record, table: Table, column: str | None, message: Msg) -> Problem:
    header = SPECS[table].column(column).header if column else None
    return Problem(record.sheet, record.row, header, message)


def flag_duplicates(records: Iterable[Record], table: Table, column: str, plan: Plan) -> None:
    first: dict[str, int] = {}
    for record in records:
        value = record.values.get(column)
        if not value:
            continue
        seen = first.setdefault(name_key(value), record.row)
        if seen != record.row:
            plan.problems.append(
                problem_at(
                    record,
                    table,
                    column,
                    _(
                        "“{name}” appears twice in the file (also row {row}). Keep one row.",
                        name=value,
                        row=seen,
                    ),
                )
            )


class Repeats:
    """Rows of a file the project already has (drawdowns, fund use: rows without a name).

    The n-th row of the file with a key is already there when the project has n or more
    rows with that key, so importing the same file twice adds nothing the second time.
    """

    def __init__(self, existing: Iterable[tuple[Any, ...]]) -> None:
        self.existing: Counter[tuple[Any, ...]] = Counter(existing)
        self.seen: Counter[tuple[Any, ...]] = Counter()

    def already_there(self, key: tuple[Any, ...]) -> bool:
        """Count the file's row with `key`; whether the project has it already."""
        self.seen[key] += 1
        return self.seen[key] <= self.existing[key]


class PlannerBase:
    """The project as it stands (rows locked) and what the file adds; the tables plan on it."""

    def __init__(
        self, uow: UnitOfWork, project: Project, parsed: Parsed, users: dict[str, str | None]
    ) -> None:
        self.uow, self.project, self.parsed, self.users = uow, project, parsed, users
        self.plan = Plan(problems=list(parsed.problems))
        pid = project.id
        self.departments = {name_key(d.name): d for d in uow.projects.departments(pid)}
        lines = uow.funds.lock_lines_of(pid)
        self.lines = {name_key(line.name): line for line in lines}
        sources = uow.funds.lock_sources_of(pid)
        self.sources = {name_key(s.name): s for s in sources}
        # Names the file itself creates, so later tables may refer to them.
        self.new_departments: dict[str, Department] = {}
        self.new_lines: set[str] = set()  # built only when applied: a plan stays light
        self.new_sources: dict[str, FundingSource] = {}

    def problem(self, record: Record, table: Table, column: str | None, message: Msg) -> None:
        """Note what is wrong with a row (at `column`'s cell); the import will not apply."""
        self.plan.problems.append(problem_at(record, table, column, message))

    def records(self, table: Table) -> list[Record]:
        return self.parsed.records.get(table, [])

    def rows(self, table: Table, *, unique: str | None = None) -> tuple[list[Record], Counts]:
        """The file's records of `table` and what the plan counts for it (in the plan only
        when the file has the table); with `unique`, a value of that column the file
        repeats is a problem."""
        records = self.records(table)
        counts = self.plan.counts.setdefault(table, Counts()) if records else Counts()
        if unique is not None:
            flag_duplicates(records, table, unique, self.plan)
        return records, counts

    def present(self, record: Record) -> set[str]:
        return self.parsed.columns.get(record.sheet, set())

    def user(self, record: Record, table: Table, column: str, ref: str | None) -> str | None:
        if ref is None:
            return None
        found = self.users.get(ref)
        if found is None:
            shown = ref.removeprefix("email:")
            self.problem(
                record,
                table,
                column,
                _("{who} is not a member of this Slack workspace.", who=shown),
            )
        return found
