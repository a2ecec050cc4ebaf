"""Action ids of the App Home's own buttons (the others reuse their domain's ids)."""

from __future__ import annotations

from enum import StrEnum


class HomeAction(StrEnum):
    """Quick actions on the Home; the value is the project's id."""

    FLAG_RISK = "home_flag_risk"
    GIVE_FEEDBACK = "home_give_feedback"
    RECORD_FUNDS = "home_record_funds"
