"""Callback and action ids of the feedback domain."""

from __future__ import annotations

from enum import StrEnum


class FeedbackView(StrEnum):
    GIVE = "feedback_give"
    REPLY = "feedback_reply"
    DONE = "feedback_done"


class FeedbackAction(StrEnum):
    ACKNOWLEDGE = "feedback_acknowledge"
    REPLY = "feedback_reply"


# The anonymous checkbox's one option.
ANONYMOUS_YES = "yes"
