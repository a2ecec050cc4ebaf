"""Importing a project's budget lines, departments, funding sources and history from a file.

`plan_import` compares what a parsed file holds with the project and says, per table, which
rows would be created, updated or left unchanged, and every problem; it changes nothing.
`apply_import` plans again in the transaction that applies, and applies only a plan with no
problems — all rows or none. Rows are matched by name (departments, budget lines, funding
sources); drawdowns and fund-use entries, which are never edited, by their content (source
or line, date, amount, reference) counted with multiplicity. Importing the same file twice
therefore changes nothing the second time. The import is one audit event with its counts.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bot.i18n import Msg, _
from bot.imports.parse import Parsed, Problem, Record
from bot.imports.schema import SPECS, TABLE_LABEL, Table
from bot.services.departments import MAX_MEMBERS
from bot.services.funds import project_of, require_manager
from bot.services.thresholds import crossed_threshold
from storage.models import (
    BudgetLine,
    Department,
    DepartmentMember,
    FundingSource,
    Project,
)
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


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _problem(record: Record, table: Table, column: str | None, message: Msg) -> Problem:
    header = SPECS[table].column(column).header if column else None
    return Problem(record.sheet, record.row, header, message)


def _duplicates(records: Iterable[Record], table: Table, column: str, plan: Plan) -> None:
    first: dict[str, int] = {}
    for record in records:
        value = record.values.get(column)
        if not value:
            continue
        seen = first.setdefault(_key(value), record.row)
        if seen != record.row:
            plan.problems.append(
                _problem(
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


class _Planner:
    def __init__(
        self, uow: UnitOfWork, project: Project, parsed: Parsed, users: dict[str, str | None]
    ) -> None:
        self.uow, self.project, self.parsed, self.users = uow, project, parsed, users
        self.plan = Plan(problems=list(parsed.problems))
        pid = project.id
        self.departments = {_key(d.name): d for d in uow.projects.departments(pid)}
        lines = uow.funds.lock_lines_of(pid)
        self.lines = {_key(line.name): line for line in lines}
        sources = uow.funds.lock_sources_of(pid)
        self.sources = {_key(s.name): s for s in sources}
        # Names the file itself creates, so later tables may refer to them.
        self.new_departments: dict[str, Department] = {}
        self.new_lines: set[str] = set()  # built only when applied: a plan stays light
        self.new_sources: dict[str, FundingSource] = {}

    def records(self, table: Table) -> list[Record]:
        return self.parsed.records.get(table, [])

    def present(self, record: Record) -> set[str]:
        return self.parsed.columns.get(record.sheet, set())

    def user(self, record: Record, table: Table, column: str, ref: str | None) -> str | None:
        if ref is None:
            return None
        found = self.users.get(ref)
        if found is None:
            shown = ref.removeprefix("email:")
            self.plan.problems.append(
                _problem(
                    record,
                    table,
                    column,
                    _("{who} is not a member of this Slack workspace.", who=shown),
                )
            )
        return found

    # -- tables --------------------------------------------------------------------------
    def departments_table(self) -> None:
        records = self.records(Table.DEPARTMENTS)
        counts = self.plan.counts.setdefault(Table.DEPARTMENTS, Counts()) if records else None
        _duplicates(records, Table.DEPARTMENTS, "name", self.plan)
        for record in records:
            v, present = record.values, self.present(record)
            if not v["name"] or not v["kind"]:
                continue
            lead = self.user(record, Table.DEPARTMENTS, "lead", v["lead"])
            members = [
                m
                for m in (
                    self.user(record, Table.DEPARTMENTS, "members", r) for r in v["members"] or []
                )
                if m
            ]
            if len(members) > MAX_MEMBERS:
                self.plan.problems.append(
                    _problem(
                        record,
                        Table.DEPARTMENTS,
                        "members",
                        _("A department can have at most {n} members.", n=MAX_MEMBERS),
                    )
                )
                continue
            existing = self.departments.get(_key(v["name"]))
            wanted: dict[str, Any] = {"name": v["name"], "kind": v["kind"]}
            if "lead" in present:
                wanted["lead_user_id"] = lead
            if "responsibilities" in present:
                wanted["responsibilities"] = v["responsibilities"] or ""
            new_members = members if "members" in present else None
            assert counts is not None
            if existing is None:
                department = Department(project_id=self.project.id, responsibilities="")
                self.new_departments[_key(v["name"])] = department
                counts.create += 1
                self.plan._steps.append(
                    self._save_department(department, wanted, new_members, None)
                )
                continue
            same = all(getattr(existing, k) == w for k, w in wanted.items()) and (
                new_members is None or sorted(existing.member_ids) == sorted(new_members)
            )
            if same:
                counts.unchanged += 1
            else:
                counts.update += 1
                self.plan._steps.append(
                    self._save_department(existing, wanted, new_members, existing)
                )

    def _save_department(
        self,
        department: Department,
        wanted: dict[str, Any],
        members: list[str] | None,
        existing: Department | None,
    ) -> Callable[[], None]:
        def step() -> None:
            for key, value in wanted.items():
                setattr(department, key, value)
            if members is not None:
                keep = {m.user_id: m for m in department.members}
                department.members = [keep.get(u) or DepartmentMember(user_id=u) for u in members]
            if existing is None:
                self.uow.projects.add_department(department)

        return step

    def budget_table(self) -> None:
        records = self.records(Table.BUDGET)
        if not records:
            return
        counts = self.plan.counts.setdefault(Table.BUDGET, Counts())
        _duplicates(records, Table.BUDGET, "name", self.plan)
        created: list[tuple[dict[str, Any], Department | None, bool]] = []
        for record in records:
            v, present = record.values, self.present(record)
            if not v["name"] or not v["category"] or v["allocated"] is None:
                continue
            department: Department | None = None
            if v["department"]:
                key = _key(v["department"])
                department = self.departments.get(key) or self.new_departments.get(key)
                if department is None:
                    self.plan.problems.append(
                        _problem(
                            record,
                            Table.BUDGET,
                            "department",
                            _(
                                "There is no department “{name}” in the project or the file.",
                                name=v["department"],
                            ),
                        )
                    )
                    continue
            existing = self.lines.get(_key(v["name"]))
            if existing is None:
                counts.create += 1
                self.new_lines.add(_key(v["name"]))
                created.append((v, department, "department" in present))
                continue
            same = (
                existing.name == v["name"]
                and existing.category == v["category"]
                and existing.allocated == v["allocated"]
                and (
                    "department" not in present
                    or existing.department_id == (department.id if department else None)
                )
            )
            if same:
                counts.unchanged += 1
            else:
                counts.update += 1
                self.plan._steps.append(
                    self._save_line(existing, v, department, "department" in present, False)
                )
        if created:
            self.plan._steps.append(self._create_lines(created))

    def _create_lines(
        self, created: list[tuple[dict[str, Any], Department | None, bool]]
    ) -> Callable[[], None]:
        def step() -> None:
            for v, department, set_department in created:
                line = BudgetLine(project_id=self.project.id, spent=Decimal(0), alerted_percent=0)
                self._save_line(line, v, department, set_department, True)()
                self.lines[_key(v["name"])] = line

        return step

    def _save_line(
        self,
        line: BudgetLine,
        v: dict[str, Any],
        department: Department | None,
        set_department: bool,
        new: bool,
    ) -> Callable[[], None]:
        def step() -> None:
            if not new and line.allocated != v["allocated"]:  # alerts follow the revised figure
                line.alerted_percent = crossed_threshold(
                    line.spent, v["allocated"] + (line.changes or 0)
                )
            line.name, line.category, line.allocated = v["name"], v["category"], v["allocated"]
            if set_department:
                if department is not None and department.id is None:
                    self.uow.flush()  # a department created by this import
                line.department_id = department.id if department else None
            if new:
                self.uow.projects.add_budget_line(line)

        return step

    def sources_table(self) -> None:
        records = self.records(Table.SOURCES)
        if not records:
            return
        counts = self.plan.counts.setdefault(Table.SOURCES, Counts())
        _duplicates(records, Table.SOURCES, "name", self.plan)
        for record in records:
            v = record.values
            if not v["name"] or not v["kind"] or v["committed"] is None:
                continue
            existing = self.sources.get(_key(v["name"]))
            if existing is None:
                counts.create += 1
                source = FundingSource(
                    project_id=self.project.id,
                    name=v["name"],
                    kind=v["kind"],
                    committed=v["committed"],
                    drawn=Decimal(0),
                    created_at=self.uow.now(),
                )
                self.new_sources[_key(v["name"])] = source
                self.plan._steps.append(functools.partial(self.uow.funds.add_source, source))
                continue
            if existing.drawn > v["committed"]:
                self.plan.problems.append(
                    _problem(
                        record,
                        Table.SOURCES,
                        "committed",
                        _(
                            "{drawn} is already drawn from this source; the commitment cannot be less.",
                            drawn=f"{existing.drawn:,.2f}",
                        ),
                    )
                )
                continue
            if (existing.kind, existing.committed) == (v["kind"], v["committed"]):
                counts.unchanged += 1
                continue
            counts.update += 1

            def update(
                s: FundingSource = existing,
                kind: str = v["kind"],
                committed: Decimal = v["committed"],
            ) -> None:
                s.kind, s.committed = kind, committed

            self.plan._steps.append(update)

    def drawdowns_table(self, user_id: str) -> None:
        records = self.records(Table.DRAWDOWNS)
        if not records:
            return
        counts = self.plan.counts.setdefault(Table.DRAWDOWNS, Counts())
        existing: Counter[tuple[Any, ...]] = Counter(self.uow.funds.drawdown_keys(self.project.id))
        seen: Counter[tuple[Any, ...]] = Counter()
        added: dict[str, Decimal] = defaultdict(Decimal)
        new: list[tuple[FundingSource, Record]] = []
        for record in records:
            v = record.values
            if not v["source"] or v["amount"] is None or v["date"] is None:
                continue
            key = _key(v["source"])
            source = self.sources.get(key) or self.new_sources.get(key)
            if source is None:
                self.plan.problems.append(
                    _problem(
                        record,
                        Table.DRAWDOWNS,
                        "source",
                        _(
                            "There is no funding source “{name}” in the project or the file.",
                            name=v["source"],
                        ),
                    )
                )
                continue
            ident = (source.id, v["date"], v["amount"], v["reference"] or "")
            seen[ident] += 1
            if source.id is not None and seen[ident] <= existing[ident]:
                counts.unchanged += 1
                continue
            committed = self._committed(key, source)
            added[key] += v["amount"]
            if source.drawn + added[key] > committed:
                self.plan.problems.append(
                    _problem(
                        record,
                        Table.DRAWDOWNS,
                        "amount",
                        _(
                            "The drawdowns exceed what is committed from “{name}”.",
                            name=source.name,
                        ),
                    )
                )
                continue
            counts.create += 1
            new.append((source, record))
        if new:
            self.plan._steps.append(self._add_drawdowns(new, user_id))

    def _committed(self, key: str, source: FundingSource) -> Decimal:
        """The commitment after this import (a sources sheet may change it)."""
        for record in self.records(Table.SOURCES):
            if (
                record.values["name"]
                and _key(record.values["name"]) == key
                and record.values["committed"] is not None
            ):
                return Decimal(record.values["committed"])
        return source.committed

    def _add_drawdowns(
        self, new: list[tuple[FundingSource, Record]], user_id: str
    ) -> Callable[[], None]:
        def step() -> None:
            self.uow.flush()
            rows = []
            for source, record in new:
                v = record.values
                rows.append(
                    dict(
                        project_id=self.project.id,
                        source_id=source.id,
                        amount=v["amount"],
                        drawn_on=v["date"],
                        reference=v["reference"] or "",
                        recorded_by=user_id,
                        created_at=self.uow.now(),
                    )
                )
                source.drawn = source.drawn + v["amount"]
            self.uow.funds.insert_drawdowns(rows)

        return step

    def history_table(self, user_id: str, now: dt.datetime) -> None:
        records = self.records(Table.HISTORY)
        if not records:
            return
        counts = self.plan.counts.setdefault(Table.HISTORY, Counts())
        existing: Counter[tuple[Any, ...]] = Counter(self.uow.funds.entry_keys(self.project.id))
        seen: Counter[tuple[Any, ...]] = Counter()
        new: list[tuple[str, Record, str]] = []
        for record in records:
            v = record.values
            if (
                not v["line"]
                or v["amount"] is None
                or v["date"] is None
                or not v["purpose"]
                or not v["reference"]
            ):
                continue
            key = _key(v["line"])
            line = self.lines.get(key)
            if line is None and key not in self.new_lines:
                self.plan.problems.append(
                    _problem(
                        record,
                        Table.HISTORY,
                        "line",
                        _(
                            "There is no budget line “{name}” in the project or the file.",
                            name=v["line"],
                        ),
                    )
                )
                continue
            reporter = (
                self.user(record, Table.HISTORY, "reporter", v["reporter"])
                if v["reporter"]
                else user_id
            )
            if reporter is None:
                continue
            line_id = line.id if line is not None else None
            ident = (line_id, v["date"], v["amount"], v["reference"])
            seen[ident] += 1
            if line_id is not None and seen[ident] <= existing[ident]:
                counts.unchanged += 1
                continue
            counts.create += 1
            new.append((key, record, reporter))
        if new:
            self.plan._steps.append(self._add_history(new, now))

    def _add_history(
        self, new: list[tuple[str, Record, str]], now: dt.datetime
    ) -> Callable[[], None]:
        def step() -> None:
            self.uow.flush()
            days: dict[dt.date, Decimal] = defaultdict(Decimal)
            touched: dict[int, BudgetLine] = {}
            batch: list[dict[str, Any]] = []
            for key, record, reporter in new:
                line, v = self.lines[key], record.values
                batch.append(
                    dict(
                        project_id=self.project.id,
                        budget_line_id=line.id,
                        amount=v["amount"],
                        spent_on=v["date"],
                        purpose=v["purpose"],
                        reference=v["reference"],
                        reporter=reporter,
                        created_at=now,
                    )
                )
                line.spent = line.spent + v["amount"]
                days[v["date"]] += v["amount"]
                touched[line.id] = line
                if len(batch) >= 5000:
                    self.uow.funds.insert_entries(batch)
                    batch = []
            if batch:
                self.uow.funds.insert_entries(batch)
            for day, amount in days.items():
                self.uow.funds.add_to_day(self.project.id, day, amount)
            # Opening history is not news: the 90 % / 100 % alerts start from where it ends.
            for line in touched.values():
                line.alerted_percent = max(
                    line.alerted_percent,
                    crossed_threshold(line.spent, line.allocated + (line.changes or 0)),
                )

        return step


def user_refs(parsed: Parsed) -> list[str]:
    """Every person the file names, once each, for the caller to look up in Slack."""
    refs: dict[str, None] = {}
    for record in parsed.records.get(Table.DEPARTMENTS, []):
        for ref in [record.values.get("lead"), *(record.values.get("members") or [])]:
            if ref:
                refs[ref] = None
    for record in parsed.records.get(Table.HISTORY, []):
        if record.values.get("reporter"):
            refs[record.values["reporter"]] = None
    return list(refs)


def _plan(
    uow: UnitOfWork,
    project: Project,
    parsed: Parsed,
    users: dict[str, str | None],
    user_id: str,
    now: dt.datetime,
) -> Plan:
    planner = _Planner(uow, project, parsed, users)
    planner.departments_table()
    planner.budget_table()
    planner.sources_table()
    planner.drawdowns_table(user_id)
    planner.history_table(user_id, now)
    return planner.plan


def check_importer(uow: UnitOfWork, *, team_id: str, project_id: int, user_id: str) -> Project:
    """The project, if `user_id` may import into it (PMs and the finance lead)."""
    project = project_of(uow, team_id, project_id)
    require_manager(project, user_id, _("import data"))
    return project


def plan_import(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    parsed: Parsed,
    users: dict[str, str | None],
    now: dt.datetime,
) -> Plan:
    """What importing `parsed` would do, and every problem; nothing is changed."""
    project = check_importer(uow, team_id=team_id, project_id=project_id, user_id=user_id)
    plan = _plan(uow, project, parsed, users, user_id, now)
    uow.rollback()
    return plan


def apply_import(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    parsed: Parsed,
    users: dict[str, str | None],
    now: dt.datetime,
    file_ref: str,
) -> Plan:
    """Plan and, when there is no problem, apply every row in one transaction (committed).

    With problems nothing is saved and the plan lists them. A plan with nothing to change
    (the same file imported again) writes nothing, not even an audit entry.
    """
    project = check_importer(uow, team_id=team_id, project_id=project_id, user_id=user_id)
    # One import of a project at a time: an Apply clicked twice plans the second time after
    # the first has committed, and finds nothing left to do (SQLite: BEGIN IMMEDIATE).
    uow.projects.lock(project.id)
    plan = _plan(uow, project, parsed, users, user_id, now)
    if plan.problems or not plan.changes:
        uow.rollback()
        return plan
    for step in plan._steps:
        step()
    uow.flush()
    uow.audit(
        team_id=team_id,
        project_id=project.id,
        actor=user_id,
        action="apply",
        entity="import",
        entity_id=file_ref,
        after={"rows": parsed.rows, **plan.summary()},
        at=now,
    )
    uow.commit()
    return plan


def table_label(table: Table) -> Msg:
    return TABLE_LABEL[table]
