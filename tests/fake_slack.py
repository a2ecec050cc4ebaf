"""The fake Slack Web API of the tests is the sandbox's Slack stand-in: one implementation.

Kept as a module so tests and benchmarks import `tests.fake_slack` as before.
"""

from bot.sandbox.slack_api import (
    BOT_ID,
    BOT_USER_ID,
    METHOD_TIER,
    TEAM_ID,
    TIERS,
    Call,
    Failure,
    FakeSlack,
    Gcra,
    RateLimits,
)

__all__ = [
    "BOT_ID",
    "BOT_USER_ID",
    "METHOD_TIER",
    "TEAM_ID",
    "TIERS",
    "Call",
    "Failure",
    "FakeSlack",
    "Gcra",
    "RateLimits",
]
