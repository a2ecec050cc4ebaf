"""Callback and action ids of the risks domain."""

from __future__ import annotations

from enum import StrEnum


class RiskView(StrEnum):
    """`callback_id` of the risk modals."""

    CREATE = "risk_create"
    PICK_PROJECT = "risk_pick_project"
    UPDATE = "risk_update"
    CLOSE = "risk_close"


class RiskAction(StrEnum):
    """Buttons on a risk's command-channel message; the value is the risk's id."""

    ACKNOWLEDGE = "risk_acknowledge"
    TAKE_OWNERSHIP = "risk_take_ownership"
    ADD_UPDATE = "risk_add_update"
    CLOSE = "risk_close_open"


class Shortcut(StrEnum):
    """`callback_id` of the shortcuts declared in app_manifest.yml."""

    FLAG = "risk_flag"
    FLAG_MESSAGE = "risk_flag_message"


# Block ids of the small modals (the risk modal uses `RiskField`).
PROJECT_FIELD = "project"
UPDATE_TEXT = "text"
UPDATE_STATUS = "status"
CLOSE_NOTE = "note"
