"""What every repository has: the unit of work's session, the by-project look-ups that
most of them repeat (one row of a project by id, with or without its row lock), and the
ways they write: a statement's count of changed rows, and the compare-and-set UPDATE."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Protocol, TypeVar

from sqlalchemy import ColumnElement, CursorResult, Executable, Select, select, update
from sqlalchemy.orm import Mapped, Session


class _OfProject(Protocol):
    """A model with an integer id and a project's foreign key (the mapped columns)."""

    id: ClassVar[Mapped[int]]
    project_id: ClassVar[Mapped[int]]


_Row = TypeVar("_Row", bound=_OfProject)
_A = TypeVar("_A")
_B = TypeVar("_B")


class Repository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _changed(self, statement: Executable) -> int:
        """Run an UPDATE or DELETE; how many rows it changed."""
        result = self.session.execute(statement)
        assert isinstance(result, CursorResult)
        return int(result.rowcount or 0)

    def _set_if(self, model: type[Any], /, *where: ColumnElement[bool], **values: Any) -> bool:
        """Set `values` on the `model` row that still matches `where`, in one UPDATE (a
        compare-and-set: of two callers at once, one wins); True for the caller that changed
        it. The session's copy is left as read: refresh it if you need the new values."""
        statement = update(model).where(*where).values(**values)
        return self._changed(statement.execution_options(synchronize_session=False)) == 1

    def _pairs(self, query: Select[_A, _B]) -> list[tuple[_A, _B]]:
        """The rows of a two-column query (an entity and what it was joined with) as tuples."""
        return [(a, b) for a, b in self.session.execute(query).all()]

    def _of_project(self, model: type[_Row], project_id: int, row_id: int) -> _Row | None:
        """The row with this id if it belongs to the project (ids come from clients)."""
        row = self.session.get(model, row_id)
        return row if row is not None and row.project_id == project_id else None

    def _lock_of_project(self, model: type[_Row], project_id: int, row_id: int) -> _Row | None:
        """The project's row with this id, locked until the transaction ends (PostgreSQL
        `FOR UPDATE`; SQLite transactions are serialised by `BEGIN IMMEDIATE`) and re-read,
        so that a stale copy in the session does not hide another writer's change."""
        return self.session.scalar(
            select(model)
            .where(model.id == row_id, model.project_id == project_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )

    def _all_of_project(self, model: type[_Row], project_id: int) -> Sequence[_Row]:
        """Every row of the project, in the order they were made (by id)."""
        return self.session.scalars(
            select(model).where(model.project_id == project_id).order_by(model.id)
        ).all()

    def _lock_all_of_project(self, model: type[_Row], project_id: int) -> Sequence[_Row]:
        """Every row of the project, locked until the transaction ends."""
        return self.session.scalars(
            select(model).where(model.project_id == project_id).with_for_update()
        ).all()
