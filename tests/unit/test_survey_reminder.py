"""When a survey's one reminder is due: a day before it closes, halfway through a short one."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.services.surveys.forms import reminder_at

OPENS = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("lasts", "reminded_after"),
    [
        (dt.timedelta(days=7), dt.timedelta(days=6)),  # a day before it closes
        (dt.timedelta(days=2), dt.timedelta(days=1)),  # both rules agree
        (dt.timedelta(hours=30), dt.timedelta(hours=15)),  # not 6 hours in: halfway
        (dt.timedelta(hours=6), dt.timedelta(hours=3)),  # shorter than a day: halfway
        (dt.timedelta(minutes=10), dt.timedelta(minutes=5)),
    ],
)
def test_the_reminder_is_a_day_before_the_close_or_halfway(
    lasts: dt.timedelta, reminded_after: dt.timedelta
) -> None:
    assert reminder_at(OPENS, OPENS + lasts) == OPENS + reminded_after


def test_the_reminder_never_goes_with_the_invitations() -> None:
    for minutes in range(1, 60 * 24 * 3):
        closes = OPENS + dt.timedelta(minutes=minutes)
        assert OPENS < reminder_at(OPENS, closes) < closes
