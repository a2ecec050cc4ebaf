"""A workspace installs the app, uninstalls it, or asks for its data to be deleted."""

from __future__ import annotations

from storage.uow import UnitOfWork

SYSTEM_ACTOR = "slack"  # the audit log's actor for what Slack tells us (not a user)


def installed(uow: UnitOfWork, *, team_id: str | None, enterprise_id: str | None) -> int:
    """The app is (again) installed: the workspace's projects are active and scheduled
    again, as they were. Returns how many projects came back."""
    back = uow.workspaces.set_active(team_id, enterprise_id, True)
    if back:
        _audit(uow, team_id, enterprise_id, "reactivated", back)
    uow.commit()
    return back


def uninstalled(uow: UnitOfWork, *, team_id: str | None, enterprise_id: str | None) -> int:
    """The app is uninstalled (or its tokens revoked): the workspace's projects become
    inactive, so the clock schedules nothing for them; every row is kept. Returns how many
    projects stopped."""
    stopped = uow.workspaces.set_active(team_id, enterprise_id, False)
    _audit(uow, team_id, enterprise_id, "deactivated", stopped)
    uow.commit()
    return stopped


def purge(uow: UnitOfWork, *, team_id: str) -> dict[str, int]:
    """Delete all the workspace's data (projects and everything in them, its audit log,
    events and installations), in one transaction. Rows deleted per table."""
    deleted = uow.workspaces.purge(team_id)
    uow.commit()
    return deleted


def _audit(
    uow: UnitOfWork, team_id: str | None, enterprise_id: str | None, action: str, count: int
) -> None:
    uow.audit(
        team_id=team_id or enterprise_id or "",
        project_id=None,
        actor=SYSTEM_ACTOR,
        action=action,
        entity="workspace",
        entity_id=team_id or enterprise_id,
        after={"projects": count, "enterprise_id": enterprise_id},
    )
