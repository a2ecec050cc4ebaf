from __future__ import annotations

from typing import Annotated, Any

from sqlalchemy import ForeignKey, MetaData
from sqlalchemy.orm import DeclarativeBase, Relationship, mapped_column, relationship

# Named constraints so Alembic migrations are stable across SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# The project a row belongs to, deleted with it: a plain, an indexed or a primary-key column
# (`project_id: Mapped[ProjectRef]`). Each use gets its own copy of the column.
ProjectRef = Annotated[int, mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))]
IndexedProjectRef = Annotated[
    int, mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
]
ProjectKey = Annotated[
    int, mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
]

# The department a row is about, if any (`department_id: Mapped[DepartmentLink]`): emptied,
# not deleted, when the department is.
DepartmentLink = Annotated[
    int | None, mapped_column(ForeignKey("departments.id", ondelete="SET NULL"))
]


def children(back_populates: str, **options: Any) -> Relationship[Any]:
    """A parent's rows in another table (`back_populates`: the child's side), saved and
    deleted with it, and deleted when taken out of the list; `options`: `relationship`'s."""
    return relationship(back_populates=back_populates, cascade="all, delete-orphan", **options)
