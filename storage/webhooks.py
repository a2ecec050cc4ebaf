"""Building outbox rows from audit entries (delivery itself is bot/services/webhooks.py)."""

from __future__ import annotations

import uuid

from storage.models import AuditLog, WebhookOutbox


def webhook_event(entry: AuditLog) -> WebhookOutbox:
    """The webhook event for an audit entry: type `<entity>.<action>`, data = the record after
    the change (or before it, for a deletion). The actor is included unless the change was
    made anonymously, in which case nothing names the author."""
    event_id = str(uuid.uuid4())
    payload = {
        "id": event_id,
        "type": f"{entry.entity}.{entry.action}",
        "occurred_at": entry.at.isoformat(),
        "team_id": entry.team_id,
        "project_id": entry.project_id,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "actor": entry.actor,
        "data": entry.after if entry.after is not None else entry.before,
    }
    # The row's times are the entry's (the injected clock, never the wall clock), due at once:
    # for an anonymous change that is only the day, so the outbox cannot time it more closely
    # than the audit log does.
    return WebhookOutbox(
        event_id=event_id,
        event_type=payload["type"],
        payload=payload,
        created_at=entry.at,
        next_attempt_at=entry.at,
    )
