"""Slash commands, callback ids and action ids: constants, never scattered literals."""

from __future__ import annotations

from enum import StrEnum


class Command(StrEnum):
    ICRM = "/icrm"
    FEEDBACK = "/feedback"
    RISK = "/risk"
    FUNDS = "/funds"
    SURVEY = "/survey"


class View(StrEnum):
    """`callback_id` of each modal (domains keep theirs in `handlers/<domain>/ids.py`)."""

    PROJECT_SETUP = "project_setup"


class Action(StrEnum):
    """`action_id` of buttons and selects in messages and the App Home."""

    PICK_PROJECT = "pick_project"
    # A button any domain may post: opens the risk modal prefilled (see handlers/prefill.py).
    RISK_FROM_ALERT = "risk_from_alert"


# Every input element in our modals uses this action id; the block id names the field.
VALUE = "value"
