"""The custom steps' callback ids and their input and output names (as in `app_manifest.yml`)."""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    """A function's `callback_id` in the manifest's `functions`."""

    RECORD_FUND_USE = "record_fund_use"
    FLAG_RISK = "flag_risk"
    SEND_FEEDBACK = "send_feedback"


class In(StrEnum):
    """Input parameters; `user` is the person who ran the workflow (a user context)."""

    USER = "user"
    PROJECT = "project"
    # record_fund_use
    BUDGET_LINE = "budget_line"
    AMOUNT = "amount"
    DATE = "date"
    PURPOSE = "purpose"
    REFERENCE = "reference"
    REASON = "reason"
    # flag_risk
    TITLE = "title"
    DESCRIPTION = "description"
    LIKELIHOOD = "likelihood"
    IMPACT = "impact"
    CATEGORY = "category"
    OWNER = "owner"
    # send_feedback
    DEPARTMENT = "department"
    RATING = "rating"
    COMMENT = "comment"
    ANONYMOUS = "anonymous"
    FROM_DEPARTMENT = "from_department"


class Out(StrEnum):
    """Output parameters."""

    ENTRY_ID = "entry_id"
    STATUS = "status"
    LINE_PERCENT_USED = "line_percent_used"
    RISK_NUMBER = "risk_number"
    LEVEL = "level"
    FEEDBACK_ID = "feedback_id"
