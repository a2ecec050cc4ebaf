"""Callback and action ids of fund control."""

from __future__ import annotations

from enum import StrEnum


class ApprovalView(StrEnum):
    REJECT = "approval_reject"
    CHANGE = "funds_change"
    POLICY = "funds_policy"


class ApprovalAction(StrEnum):
    APPROVE = "approval_approve"
    REJECT = "approval_reject_open"
    LINE_HISTORY = "funds_line_history"
    LINE_CHANGE = "funds_line_change"
