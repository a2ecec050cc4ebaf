"""The small pieces every domain's renderers share (handlers/text.py, handlers/blocks.py)."""

from __future__ import annotations

import datetime as dt

from handlers.text import slack_time


def test_a_slack_time_falls_back_to_the_utc_time() -> None:
    moment = dt.datetime(2026, 11, 2, 1, 30, tzinfo=dt.UTC)
    assert slack_time(moment) == (
        f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|2026-11-02 01:30 UTC>"
    )


def test_a_slack_time_falls_back_to_the_time_in_the_zone_given() -> None:
    moment = dt.datetime(2026, 11, 2, 1, 30, tzinfo=dt.UTC)
    token = slack_time(moment, "Asia/Shanghai")
    assert token.startswith(f"<!date^{int(moment.timestamp())}^")
    assert token.endswith("|2026-11-02 09:30 CST>")
