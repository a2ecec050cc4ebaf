"""The responsibility matrix: per phase and area, which department is R, A, C or I."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from pydantic import BaseModel, Field

from bot.errors import FieldErrors, NotFound
from bot.i18n import EN, Msg, _, translator
from bot.labels import AREA, area_label
from bot.services.projects import get_project, require_pm
from storage.models import Department, Phase, Raci, Responsibility
from storage.uow import UnitOfWork

NONE: Final = "-"  # the "no role" choice of a department's select
ROLE_ORDER: Final = (Raci.RESPONSIBLE, Raci.ACCOUNTABLE, Raci.CONSULTED, Raci.INFORMED)
PHASE_ORDER: Final = tuple(Phase)
MAX_AREA = 50


class RoleField(StrEnum):
    AREA = "area"
    PHASE = "phase"


def role_field(department_id: int) -> str:
    """The form field (and modal block id) of one department's role."""
    return f"dept_{department_id}"


class RolesForm(BaseModel):
    """What the row modal submitted: the area and phase (new rows only) and each
    department's role as `role_field(id)` → "R" / "A" / "C" / "I" / "-"."""

    area: str | None = None
    phase: str | None = None
    roles: dict[str, str | None] = Field(default_factory=dict)


@dataclass(frozen=True)
class MatrixRow:
    phase: str
    area: str
    roles: tuple[tuple[int, str, str], ...]  # (department id, department name, role), R first


@dataclass(frozen=True)
class Matrix:
    departments: tuple[tuple[int, str], ...]
    rows: tuple[MatrixRow, ...]

    def row(self, phase: str, area: str) -> MatrixRow | None:
        return next((r for r in self.rows if (r.phase, r.area) == (phase, area)), None)


def validate_roles(roles: Mapping[str, str | None], fields: Iterable[str]) -> dict[str, Msg]:
    """Errors of one row's roles (pure): at least one Responsible, at most one Accountable.

    `fields` are the department fields in modal order; errors sit on the offending fields.
    """
    fields = list(fields)
    errors: dict[str, Msg] = {}
    for field in fields:
        value = roles.get(field) or NONE
        if value != NONE and value not in set(Raci):
            errors[field] = _("Choose R, A, C, I or —.")
    accountable = [f for f in fields if roles.get(f) == Raci.ACCOUNTABLE]
    for field in accountable[1:]:
        errors[field] = _("Only one department can be Accountable (A) for a row.")
    if fields and not any(roles.get(f) == Raci.RESPONSIBLE for f in fields):
        errors.setdefault(
            fields[0], _("At least one department must be Responsible (R) for a row.")
        )
    return errors


def load_matrix(uow: UnitOfWork, *, team_id: str, project_id: int) -> Matrix:
    """The project's matrix, rows in phase order then in the order they were added."""
    get_project(uow, team_id, project_id)
    departments = uow.projects.departments(project_id)
    names = {d.id: d.name for d in departments}
    grouped: dict[tuple[str, str], list[Responsibility]] = {}
    for r in uow.projects.responsibilities(project_id):
        grouped.setdefault((r.phase, r.area), []).append(r)
    rank: dict[str, int] = {p: i for i, p in enumerate(PHASE_ORDER)}
    keys = sorted(grouped, key=lambda k: rank.get(k[0], 99))
    rows = []
    for phase, area in keys:
        entries = sorted(
            grouped[(phase, area)],
            key=lambda r: (ROLE_ORDER.index(Raci(r.role)), r.department_id),
        )
        rows.append(
            MatrixRow(
                phase,
                area,
                tuple((r.department_id, names.get(r.department_id, "?"), r.role) for r in entries),
            )
        )
    return Matrix(tuple(names.items()), tuple(rows))


def _same_area(a: str, b: str, locale: str) -> bool:
    def spellings(key: str) -> set[str]:
        found = {key.casefold()}
        if key in AREA:
            for loc in {EN, locale}:
                found.add(translator(loc)(area_label(key)).casefold())
        return found

    return bool(spellings(a) & spellings(b))


def _snapshot(rows: Iterable[Responsibility], names: Mapping[int, str]) -> dict[str, Any]:
    return {names.get(r.department_id, str(r.department_id)): r.role for r in rows}


def _row_of(
    row: tuple[str, str] | None,
    form: RolesForm,
    existing: Sequence[Responsibility],
    locale: str,
    errors: dict[str, Msg],
) -> tuple[str, str]:
    """The row's (phase, area): the given row (`NotFound` when gone), or the form's new
    one, checked into `errors`."""
    if row is not None:
        if not any((r.phase, r.area) == row for r in existing):
            raise NotFound(_("That row of the matrix no longer exists."))
        return row
    area = " ".join((form.area or "").split())
    phase = form.phase or ""
    if not area:
        errors[RoleField.AREA] = _("This field is required.")
    elif len(area) > MAX_AREA:
        errors[RoleField.AREA] = _("Keep the area under {n} characters.", n=MAX_AREA)
    elif any(r.phase == phase and _same_area(r.area, area, locale) for r in existing):
        errors[RoleField.AREA] = _("This phase already has that area. Edit its row instead.")
    if phase not in set(Phase):
        errors[RoleField.PHASE] = _("Choose a phase.")
    return phase, area


def _set_roles(
    uow: UnitOfWork,
    project_id: int,
    row: tuple[str, str],
    departments: Sequence[Department],
    current: Sequence[Responsibility],
    merged: dict[str, str | None],
) -> None:
    """Write each department's role in the row: none deletes, a change updates, new adds."""
    phase, area = row
    by_department = {r.department_id: r for r in current}
    for department in departments:
        role = merged.get(role_field(department.id)) or NONE
        held = by_department.get(department.id)
        if role == NONE:
            if held is not None:
                uow.projects.delete(held)
        elif held is not None:
            held.role = role
        else:
            uow.projects.add_responsibility(
                Responsibility(
                    project_id=project_id,
                    phase=phase,
                    area=area,
                    department_id=department.id,
                    role=role,
                )
            )
    uow.flush()


def save_row(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    row: tuple[str, str] | None,
    form: RolesForm,
) -> tuple[str, str]:
    """Set the roles of one matrix row (`row` = (phase, area)), or add a row (`row` None)
    with the form's area and phase; PMs only. Returns the row's (phase, area).

    Departments missing from the form keep their role. Raises `FieldErrors` (nothing saved)
    for an empty or duplicate area, an unknown phase, no Responsible or several Accountable.
    """
    project = get_project(uow, team_id, project_id)
    require_pm(project, user_id)
    departments = uow.projects.departments(project_id)
    names = {d.id: d.name for d in departments}
    existing = list(uow.projects.responsibilities(project_id))
    errors: dict[str, Msg] = {}
    phase, area = _row_of(row, form, existing, project.locale, errors)
    current = [r for r in existing if (r.phase, r.area) == (phase, area)]
    merged: dict[str, str | None] = {role_field(r.department_id): r.role for r in current}
    fields = [role_field(d.id) for d in departments]
    merged.update({k: v for k, v in form.roles.items() if k in fields})
    errors.update(validate_roles(merged, fields))
    if errors:
        raise FieldErrors(errors)

    before = _snapshot(current, names) if row is not None else None
    _set_roles(uow, project_id, (phase, area), departments, current, merged)
    after = [
        r for r in uow.projects.responsibilities(project_id) if (r.phase, r.area) == (phase, area)
    ]
    uow.audit(
        team_id=team_id,
        project_id=project_id,
        actor=user_id,
        action="create" if row is None else "update",
        entity="responsibility",
        entity_id=f"{phase}:{area}",
        before=before,
        after=_snapshot(after, names),
    )
    uow.commit()
    return phase, area
