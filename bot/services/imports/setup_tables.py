"""Planning the set-up tables: departments and budget lines."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from bot.i18n import _
from bot.imports.schema import Table
from bot.services.budget import reallocate
from bot.services.departments import MAX_MEMBERS, set_members
from bot.services.imports.plan import PlannerBase, name_key
from storage.models import BudgetLine, Department


class SetupTables(PlannerBase):
    # -- tables --------------------------------------------------------------------------
    def departments_table(self) -> None:
        records, counts = self.rows(Table.DEPARTMENTS, unique="name")
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
                self.problem(
                    record,
                    Table.DEPARTMENTS,
                    "members",
                    _("A department can have at most {n} members.", n=MAX_MEMBERS),
                )
                continue
            existing = self.departments.get(name_key(v["name"]))
            wanted: dict[str, Any] = {"name": v["name"], "kind": v["kind"]}
            if "lead" in present:
                wanted["lead_user_id"] = lead
            if "responsibilities" in present:
                wanted["responsibilities"] = v["responsibilities"] or ""
            new_members = members if "members" in present else None
            if existing is None:
                department = Department(project_id=self.project.id, responsibilities="")
                self.new_departments[name_key(v["name"])] = department
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
                set_members(department, members)
            if existing is None:
                self.uow.projects.add_department(department)

        return step

    def budget_table(self) -> None:
        records, counts = self.rows(Table.BUDGET, unique="name")
        created: list[tuple[dict[str, Any], Department | None, bool]] = []
        for record in records:
            v, present = record.values, self.present(record)
            if not v["name"] or not v["category"] or v["allocated"] is None:
                continue
            department: Department | None = None
            if v["department"]:
                key = name_key(v["department"])
                department = self.departments.get(key) or self.new_departments.get(key)
                if department is None:
                    self.problem(
                        record,
                        Table.BUDGET,
                        "department",
                        _(
                            "There is no department “{name}” in the project or the file.",
                            name=v["department"],
                        ),
                    )
                    continue
            existing = self.lines.get(name_key(v["name"]))
            if existing is None:
                counts.create += 1
                self.new_lines.add(name_key(v["name"]))
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
                self.lines[name_key(v["name"])] = line

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
            reallocate(line, v["allocated"])
            line.name, line.category = v["name"], v["category"]
            if set_department:
                if department is not None and department.id is None:
                    self.uow.flush()  # a department created by this import
                line.department_id = department.id if department else None
            if new:
                self.uow.projects.add_budget_line(line)

        return step
