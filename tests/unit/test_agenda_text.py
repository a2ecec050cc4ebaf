"""handlers/meetings/views.agenda_text: agenda items (plain values from the services) worded,
with the bold and the escaping applied at render."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bot.i18n import translator
from bot.services.feedback import NewFeedback
from bot.services.meetings import (
    BudgetLineItem,
    MemberItem,
    MissingReportsItem,
    OverdueRiskItem,
    RiskItem,
    SurveyItem,
)
from handlers.meetings.views import agenda_text

en = translator("en")


def test_high_and_critical_risks_differ_only_in_their_word() -> None:
    high = RiskItem("R-3", "Crane *permit*", 12, "U0OWNER", critical=False)
    critical = RiskItem("R-4", "Pier", 20, None, critical=True)
    assert en(agenda_text(high)) == (
        "High risk *R-3* Crane ＊permit＊ (score 12, owner <@U0OWNER>)"
    )
    assert en(agenda_text(critical)) == "Critical risk *R-4* Pier (score 20, owner —)"


def test_user_text_is_inert_in_every_line() -> None:
    hostile = "<!channel> *x*"
    lines = [
        OverdueRiskItem("R-1", hostile, dt.date(2026, 12, 1)),
        MissingReportsItem(dt.date(2026, 11, 1), dt.date(2026, 11, 30), (hostile, "Works")),
        BudgetLineItem(hostile, 95),
        NewFeedback(hostile, 2),
        SurveyItem(hostile, 1, 3),
        MemberItem(hostile, "U0PM"),
    ]
    texts = [en(agenda_text(line)) for line in lines]
    assert all("<!channel>" not in t and "&lt;!channel&gt;" in t for t in texts), texts
    assert texts[2] == "Budget line *&lt;!channel&gt; ＊x＊* has used 95% of its allocation"
    assert texts[5] == "&lt;!channel&gt; *x* (added by <@U0PM>)"  # not in bold: shown as typed


def test_survey_share_is_rounded_and_a_dash_without_invitees() -> None:
    assert SurveyItem("S", 2, 3).percent == Decimal(200) / 3
    assert en(agenda_text(SurveyItem("S", 2, 3))) == "Survey *S* is open: 2 of 3 answered (67%)"
    assert en(agenda_text(SurveyItem("S", 0, 0))) == "Survey *S* is open: 0 of 0 answered (—)"


def test_lines_are_translated_with_their_bold() -> None:
    zh = translator("zh_Hans")
    assert zh(agenda_text(BudgetLineItem("Works", 91))) == "预算科目 *Works* 已使用分配额度的 91%"
