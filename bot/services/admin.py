"""What the project administration services (departments, budget lines) share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from sqlalchemy.exc import IntegrityError

from bot.errors import FieldErrors
from bot.i18n import Msg, _
from storage.uow import UnitOfWork


class _Row(Protocol):
    id: Any


class _Named(Protocol):
    name: str


R = TypeVar("R", bound=_Row)


def refuse_errors(
    errors: dict[str, Msg],
    name_field: str,
    name: str,
    rows: Iterable[_Named],
    row: object | None,
    taken: Msg,
) -> None:
    """Raise `FieldErrors` for the `errors` a form has, adding `taken` on `name_field` when
    a row other than `row` (the one being edited, None for a new one) is called `name`,
    ignoring case. Returns when there is nothing to refuse."""
    if name_field not in errors and any(
        other.name.casefold() == name.casefold() for other in rows if other is not row
    ):
        errors[name_field] = taken
    if errors:
        raise FieldErrors(errors)


def save_named(
    uow: UnitOfWork,
    row: R,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    entity: str,
    name_field: str,
    before: dict[str, Any] | None,
    snapshot: Callable[[R], dict[str, Any]],
) -> None:
    """Write a new (`before` is None) or edited row whose name is unique in its project,
    record it in the audit log and commit. A name another request took meanwhile (the unique
    index) is a field error on `name_field`, with nothing saved."""
    try:
        uow.flush()
    except IntegrityError:
        uow.rollback()
        raise FieldErrors({name_field: _("That name was just taken. Choose another.")}) from None
    uow.audit(
        team_id=team_id,
        project_id=project_id,
        actor=user_id,
        action="create" if before is None else "update",
        entity=entity,
        entity_id=row.id,
        before=before,
        after=snapshot(row),
    )
    uow.commit()
