"""Feedback renderers: pure functions of data, inside Slack's limits."""

from __future__ import annotations

import datetime as dt
import json

from bot.i18n import Translator
from bot.services.feedback import FeedbackItem, Received
from handlers.feedback import views
from storage.models import FeedbackStatus
from tests.headers import HEADER

EN, ZH = Translator("en"), Translator("zh-Hans")


def item(n: int = 1, **changes: object) -> FeedbackItem:
    values: dict[str, object] = {
        "id": n,
        "project": HEADER,
        "to_department_id": 1,
        "to_department": "Finance",
        "from_department": "Engineering",
        "lead_user_id": "ULEAD",
        "pm_ids": ("UPM",),
        "rating": 3,
        "comment": "进度款审批太慢" * 400,
        "anonymous": False,
        "author_user_id": "UMEMBER",
        "status": FeedbackStatus.NEW,
        "reply": None,
        "acknowledged_by": None,
        "acknowledged_at": None,
        "replied_by": None,
        "replied_at": None,
        "created_at": dt.datetime(2026, 11, 12, 6, 47, tzinfo=dt.UTC),
    }
    values.update(changes)
    return FeedbackItem(**values)  # type: ignore[arg-type]


def test_lead_message_fits_slack_limits_and_names_the_author() -> None:
    text, blocks = views.lead_message(item(), EN)
    payload = [b.to_dict() for b in blocks]
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in payload)
    assert "<@UMEMBER> · Engineering" in json.dumps(payload, ensure_ascii=False)
    assert "★★★☆☆ 3/5" in text


def test_anonymous_feedback_shows_the_day_not_the_time() -> None:
    _, blocks = views.lead_message(item(anonymous=True, author_user_id=None), ZH)
    rendered = json.dumps([b.to_dict() for b in blocks], ensure_ascii=False)
    assert "匿名 · Engineering" in rendered
    assert "<!date^" not in rendered and "2026年11月12日" in rendered


def test_resolved_message_has_no_buttons() -> None:
    done = item(
        status=FeedbackStatus.RESOLVED,
        reply="已处理",
        replied_by="ULEAD",
        replied_at=dt.datetime(2026, 11, 13, tzinfo=dt.UTC),
    )
    _, blocks = views.lead_message(done, EN)
    assert not [b for b in blocks if b.type == "actions"]


def test_list_is_cut_with_and_n_more() -> None:
    many = [item(n, reply="好的", replied_by="ULEAD") for n in range(views.LIST_LIMIT)]
    received = Received(many, total=40, departments=["Finance"], mean=None, new=40)
    _, blocks = views.list_message(received, EN, project="HWY-42")
    assert len(blocks) <= 50
    assert "and 25 more" in json.dumps([b.to_dict() for b in blocks])
