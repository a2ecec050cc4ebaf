"""The prompt DM and its states, rendered from plain data."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal

from bot.i18n import translator
from bot.periods import Period
from bot.services.fund_entries import ListedEntry
from bot.services.reports import ReportCard
from handlers.reports import views
from tests.headers import header

PERIOD = Period(dt.date(2026, 10, 26), 0)  # spans the US DST change on 2026-11-01
CARD = ReportCard(
    project=header(name="Coastal", currency="USD", timezone="America/New_York"),
    department_id=7,
    department_name="Finance",
    lead_user_id="ULEAD",
    period=PERIOD,
    due_at=PERIOD.due_at("America/New_York", 2),
    entries=[
        ListedEntry(
            1,
            dt.date(2026, 10, 27),
            Decimal("1200.50"),
            "Works",
            "Pier 3",
            "INV-9",
            "U1",
            None,
            None,
        ),
        ListedEntry(
            2, dt.date(2026, 11, 2), Decimal("800"), "Works", "Pier 4", "", "U1", None, None
        ),
    ],
    total=Decimal("2000.50"),
    report_id=42,
    status="pending",
)


def render(card: ReportCard, locale: str = "en", **kwargs: bool) -> tuple[str, str, list[str]]:
    text, blocks = views.prompt_message(card, translator(locale), **kwargs)
    dicts = [b.to_dict() for b in blocks]
    actions = [e["action_id"] for b in dicts if b["type"] == "actions" for e in b["elements"]]
    return text, json.dumps(dicts, ensure_ascii=False), actions


def test_pending_prompt_has_dates_total_and_every_button() -> None:
    text, body, actions = render(CARD)
    assert "*Finance* (HWY-42)" in text
    start = int(dt.datetime(2026, 10, 26, 4, tzinfo=dt.UTC).timestamp())  # EDT midnight
    end = int(dt.datetime(2026, 11, 9, 5, tzinfo=dt.UTC).timestamp())  # EST midnight
    due = int(dt.datetime(2026, 11, 11, 5, tzinfo=dt.UTC).timestamp())
    for epoch in (start, end, due):
        assert f"<!date^{epoch}^{{date_short_pretty}} {{time}}|" in body
    assert "|2026-10-26 00:00 EDT>" in body and "|2026-11-09 00:00 EST>" in body
    assert "$2,000.50" in body and "(entries: 2)" in body
    assert actions == [
        "report_open",
        "report_snooze_2h",
        "report_snooze_1d",
        "report_excuse_open",
    ]


def test_snoozed_submitted_excused_and_late_states() -> None:
    until = dt.datetime(2026, 11, 9, 7, tzinfo=dt.UTC)
    _t, body, actions = render(replace(CARD, snoozed_until=until))
    assert f"<!date^{int(until.timestamp())}^" in body and len(actions) == 4
    done = replace(CARD, status="submitted", submitted_by="ULEAD", submitted_at=until)
    _t, body, actions = render(done)
    assert "Submitted by <@ULEAD>" in body and actions == []
    excused = replace(CARD, status="excused", excused_by="UPM", excuse_reason="Audit")
    _t, body, actions = render(excused)
    assert "Excused by <@UPM>: Audit" in body and actions == []
    _t, body, actions = render(replace(CARD, status="late"))
    assert "late" in body and actions == ["report_open", "report_excuse_open"]


def test_nudge_and_chinese() -> None:
    text, _body, _a = render(CARD, nudge=True)
    assert text.startswith("Reminder:")
    text, body, _a = render(CARD, "zh-Hans")
    assert "双周资金使用报告" in text and "提交报告" in body and "2 小时后答复" in body
