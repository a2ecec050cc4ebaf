"""Who belongs to a project: its PMs, department leads and department members.

Every service entry point that writes into a project on a person's behalf checks this with
`require_member`, because the project id a modal submits comes back from Slack in
`private_metadata` and could have been edited by the submitter.
"""

from __future__ import annotations

from bot.errors import PermissionDenied
from bot.i18n import Msg, _
from storage.models import Project
from storage.uow import UnitOfWork


def is_member(uow: UnitOfWork, project: Project, user_id: str) -> bool:
    """True for the project's PMs, department leads and department members."""
    return uow.projects.has_member(project.id, user_id)


def require_member(
    uow: UnitOfWork, project: Project, user_id: str, refusal: Msg | None = None
) -> None:
    """Raise `PermissionDenied` (with `refusal`, or a general message) for an outsider."""
    if is_member(uow, project, user_id):
        return
    raise PermissionDenied(
        refusal
        or _(
            "Only the people of project {code} (its PMs, department leads and members) can do that.",
            code=project.code,
        )
    )
