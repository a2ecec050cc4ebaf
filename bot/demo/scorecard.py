"""Demo scorecard (月度评估): the last two months of the demo project, stored.

The other seeds spread their records over the last ten weeks, unevenly across calendar
months; so this one first adds a little feedback between departments in each of the two
months before the current one (acknowledged or not by the receiving lead), then computes the
older month and last month, so the demo always shows a ranked scorecard, changes ▲▼ and a
two-point trend.
"""

from __future__ import annotations

import datetime as dt
from typing import Final
from zoneinfo import ZoneInfo

from bot.app import Deps
from bot.demo.feedback import Gift, answer, give
from bot.demo.project import PEOPLE
from bot.services import feedback, scorecard
from bot.services.projects import project_by_id
from storage.models import DepartmentKind as _K

# months back, day of month, from, to, rating, hours until the lead acknowledges (None: not)
ITEMS: Final[list[tuple[int, int, _K, _K, int, int | None]]] = [
    (2, 6, _K.CONSTRUCTION, _K.FINANCE, 2, 30),
    (2, 9, _K.ENGINEERING, _K.FINANCE, 3, None),
    (2, 12, _K.FINANCE, _K.DESIGN, 4, 6),
    (2, 15, _K.OPERATIONS, _K.LEGAL, 4, 20),
    (2, 18, _K.CONSTRUCTION, _K.SUPERVISION, 3, None),
    (1, 5, _K.CONSTRUCTION, _K.FINANCE, 4, 8),
    (1, 8, _K.ENGINEERING, _K.FINANCE, 4, 12),
    (1, 11, _K.FINANCE, _K.DESIGN, 3, None),
    (1, 14, _K.OPERATIONS, _K.LEGAL, 5, 4),
    (1, 17, _K.CONSTRUCTION, _K.SUPERVISION, 4, 10),
    (1, 20, _K.ENGINEERING, _K.DESIGN, 5, 2),
]
COMMENT: Final = "月度评估演示:内部客户服务评价"


def _months_back(month: dt.date, n: int) -> dt.date:
    for _ in range(n):
        month = scorecard.previous_month(month)
    return month


def seed(deps: Deps, project_id: int) -> None:
    """Add last two months' feedback, then compute and store both months; marked as posted,
    since the demo channel is not a real one and the monthly job should not try to post."""
    now = deps.now()
    with deps.uow() as uow:
        project = project_by_id(uow, project_id)
        zone = ZoneInfo(project.timezone)
        current = scorecard.local_month(now, project.timezone)
    for back, day, source, target, rating, ack_hours in ITEMS:
        month = _months_back(current, back)
        when = dt.datetime(month.year, month.month, day, 10, tzinfo=zone).astimezone(dt.UTC)
        gift = Gift(PEOPLE[source][1][0], source, target, rating, COMMENT, anonymous=False)
        item = give(deps, project_id, gift, when)
        assert isinstance(item, feedback.FeedbackItem)  # named feedback is saved at once
        if ack_hours is not None:
            answer(deps, item.id, target, "", when + dt.timedelta(hours=ack_hours))
    for back in (2, 1):
        month = _months_back(current, back)
        with deps.uow() as uow:
            card = scorecard.compute_month(uow, project_id, month.year, month.month, now=now)
        if card.stored:
            with deps.uow() as uow:
                scorecard.claim_post(uow, card, now)
