"""A row of a project: found together with its project, audited in it, committed with what
it causes, and its people's rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from bot.errors import found
from bot.i18n import Msg
from storage.models import Project
from storage.uow import UnitOfWork


class InProject(Protocol):
    """A row that belongs to one project."""

    @property
    def project_id(self) -> int: ...


Row = TypeVar("Row", bound=InProject)
Done = TypeVar("Done")


def with_project(
    uow: UnitOfWork, team_id: str | None, row: Row | None, gone: Msg
) -> tuple[Row, Project]:
    """`row` and its project, in `team_id`'s workspace (any workspace for None, for jobs);
    `NotFound(gone)` when there is no row or it is another workspace's."""
    row = found(row, gone)
    if team_id is None:
        project = uow.projects.by_id(row.project_id)
    else:
        project = uow.projects.get(team_id, row.project_id)
    return row, found(project, gone)


def audit_in(
    uow: UnitOfWork,
    project: Project,
    actor: str,
    action: str,
    entity: str,
    entity_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    *,
    at: dt.datetime | None = None,
) -> None:
    """`UnitOfWork.audit` of a change in `project` (its workspace and id): `actor` did
    `action` to the `entity` `entity_id`, which read `before` and now reads `after`."""
    uow.audit(
        team_id=project.team_id,
        project_id=project.id,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
        at=at,
    )


def committed(
    uow: UnitOfWork, done: Done, queue: Callable[[UnitOfWork, Done], None] | None
) -> Done:
    """Commit a change with what it causes, and return `done` (what the change gives back).

    `queue(uow, done)`, the caller's, runs first: the messages it queues (jobs/outbox.py) are
    committed in the same transaction as the change, or not at all."""
    if queue is not None:
        queue(uow, done)
    uow.commit()
    return done


class OfUser(Protocol):
    """A row that names one person (a department's member, a project's PM)."""

    @property
    def user_id(self) -> str: ...


Person = TypeVar("Person", bound=OfUser)


def people_rows(
    rows: Iterable[Person], user_ids: Iterable[str], new: Callable[[str], Person]
) -> list[Person]:
    """The rows of `user_ids`, in order: a person's row among `rows` when they have one
    (so one who stays keeps it), else `new(user_id)`."""
    keep = {row.user_id: row for row in rows}
    return [keep.get(u) or new(u) for u in user_ids]
