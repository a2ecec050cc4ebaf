"""Logging set-up: secrets redacted whatever their shape, libraries kept quiet at DEBUG
(moved from tests/e2e/test_logging.py and tests/e2e/test_feedback_anonymity.py: they need no
app). The whole flow's logs are checked in tests/e2e/test_logging.py."""

from __future__ import annotations

import logging

from bot.log import RedactingFilter


def test_filter_redacts_any_slack_token_shape() -> None:
    redact = RedactingFilter(["s3cr3t-value"]).redact
    assert (
        redact("xoxb-1-2-abc and xapp-1-A-xyz and s3cr3t-value")
        == "[redacted] and [redacted] and [redacted]"
    )


def test_library_loggers_stay_at_info_when_the_app_logs_debug() -> None:
    """In Socket Mode slack_sdk logs whole envelopes at DEBUG, user ids included."""
    from bot.log import QUIET_LIBRARIES, configure_logging

    saved = {n: logging.getLogger(n).level for n in ("", *QUIET_LIBRARIES)}
    try:
        configure_logging("DEBUG", [])
        assert logging.getLogger().level == logging.DEBUG
        assert logging.getLogger("slack_sdk.socket_mode.builtin.client").getEffectiveLevel() == (
            logging.INFO
        )
        assert logging.getLogger("slack_bolt").level == logging.INFO
    finally:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "_icrm", False):
                root.removeHandler(handler)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)
