"""Action ids of the App Home's own buttons (the others reuse their domain's ids)."""

from __future__ import annotations

from enum import StrEnum


class HomeAction(StrEnum):
    """Quick actions on the Home; the value is the project's id."""

    FLAG_RISK = "home_flag_risk"
    GIVE_FEEDBACK = "home_give_feedback"
    RECORD_FUNDS = "home_record_funds"


class PmAction(StrEnum):
    """The PM's buttons beside what they act on; values say which item."""

    OPEN_RISK = "home_open_risk"  # the risk's id
    NUDGE_REPORT = "home_nudge_report"  # the report's id
    SEE_FEEDBACK = "home_see_feedback"  # the project's id
    SURVEY_RESULTS = "home_survey_results"  # the survey's id
    FUNDS_SUMMARY = "home_funds_summary"  # the project's id


# The modal that shows a risk opened from the Home.
RISK_VIEW = "home_risk_view"
