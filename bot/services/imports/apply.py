"""Planning and applying an import in one transaction, and who may import."""

from __future__ import annotations

import datetime as dt

from bot.i18n import Msg, _
from bot.imports.parse import Parsed
from bot.imports.schema import TABLE_LABEL, Table
from bot.services.funds import managed_project
from bot.services.imports.fund_tables import FundTables
from bot.services.imports.plan import Plan
from bot.services.imports.setup_tables import SetupTables
from bot.services.project_rows import audit_in
from storage.models import Project
from storage.uow import UnitOfWork


class _Planner(SetupTables, FundTables):
    """Plans every table of a file against the project."""


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
    return managed_project(uow, team_id, project_id, user_id, _("import data"))


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
    after = {"rows": parsed.rows, **plan.summary()}
    audit_in(uow, project, user_id, "apply", "import", file_ref, after=after, at=now)
    uow.commit()
    return plan


def table_label(table: Table) -> Msg:
    return TABLE_LABEL[table]
