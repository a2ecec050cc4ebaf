"""Snapshots of the main renderers' Block Kit, in English and Chinese.

Each renderer is a pure function of plain data, so its whole JSON is compared with a stored
file in `tests/unit/snapshots/`: any change in what users see shows up as a diff. When the
change is meant, `pytest tests/unit/test_snapshots.py --update-snapshots` rewrites the files;
read `git diff tests/unit/snapshots` and commit it with the change.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.i18n import translator
from bot.periods import Period
from bot.services.digest import Digest
from bot.services.feedback import NewFeedback
from bot.services.funds import LineStatus, Liquidity, SourceStatus, Summary, WeekUse
from bot.services.home import (
    BudgetGlance,
    Home,
    MyRisk,
    OwedReport,
    PmGlance,
    PmReport,
    PmRisk,
    ProjectHome,
    WaitingSurvey,
)
from bot.services.risks import RiskCard, UpdateCard
from bot.services.surveys import OpenSurvey
from handlers.digest.views import digest_message
from handlers.feedback.views import lead_message
from handlers.funds.views import summary_message
from handlers.home.views import home_view
from handlers.risks.views import alert_message, show_message
from handlers.scorecard.views import scorecard_message
from tests.headers import header
from tests.unit.conftest import Snapshot
from tests.unit.test_feedback_views import item
from tests.unit.test_scorecard_views import card

LOCALES = ["en", "zh-Hans"]
ANCHOR = dt.date(2026, 11, 2)


def at(day: int, hour: int = 2) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=dt.UTC)


def message(rendered: tuple[str, list[Block]]) -> dict[str, Any]:
    text, blocks = rendered
    return {"text": text, "blocks": [block.to_dict() for block in blocks]}


def lines() -> list[LineStatus]:
    return [
        LineStatus(
            1,
            "Construction works",
            "construction",
            1,
            D("600000"),
            D("450000.50"),
            pending=D("20000"),
            changes=D("50000"),
        ),
        LineStatus(2, "R&D <lab>", "other", 1, D("200000"), D("30000")),
    ]


def liquidity() -> Liquidity:
    return Liquidity(
        sources=[SourceStatus(1, "Provincial grant", "grant", D("800000"), D("500000"))],
        spent=D("480000.50"),
        burn_4w=D("200000"),
        threshold_weeks=8,
    )


def risk(**changes: Any) -> RiskCard:
    values: dict[str, Any] = {
        "id": 5,
        "project_id": 1,
        "number": 3,
        "title": "Slope failure at K12+300 <!channel>",
        "description": "Heavy rain; the cut slope shows cracks & seepage.",
        "category": "construction_completion",
        "likelihood": 4,
        "impact": 5,
        "score": 20,
        "owner_id": "ULEAD",
        "department_id": 1,
        "department_name": "Engineering",
        "department_lead": "ULEAD",
        "mitigation": "Drain the slope, add anchors.",
        "treatment": "treat",
        "due_on": dt.date(2026, 11, 30),
        "review_on": dt.date(2026, 11, 20),
        "status": "open",
        "raised_by": "UPM",
        "created_at": at(10),
        "acknowledged_by": None,
        "acknowledged_at": None,
        "closed_by": None,
        "closed_at": None,
        "close_note": None,
        "alert_channel": "CPROJ",
        "alert_ts": "1700000000.000100",
        "source_link": None,
        "updates": (UpdateCard("ULEAD", at(11), "Anchors ordered.", "open", "mitigating"),),
    }
    values.update(changes)
    return RiskCard(**values)


def digest(locale: str) -> Digest:
    return Digest(
        project=header(locale=locale),
        first=dt.date(2026, 11, 23),
        last=dt.date(2026, 11, 29),
        use=WeekUse(D("125000.50"), D("480000.50"), D("850000"), D("1000000"), D("20000")),
        liquidity=liquidity(),
        lines=lines(),
        opened=[risk()],
        closed=[risk(id=6, number=1, title="Permit delay", status="closed", closed_at=at(20))],
        feedback_count=3,
        feedback_mean=D("3.67"),
        surveys=[OpenSurvey(4, "Site services", 40, 25, at(28, 10))],
    )


def home(locale: str) -> Home:
    period = Period(ANCHOR, 1)
    project = ProjectHome(
        project=header(locale=locale),
        is_pm=True,
        leads=("Finance",),
        budget=BudgetGlance(
            D("1000000"),
            D("800000"),
            D("480000.50"),
            runway_weeks=D("6.5"),
            runway_below=True,
            runway_threshold=8,
            pending=D("20000"),
            waiting_for_me=2,
        ),
        reports=[OwedReport(1, "Finance", period, "pending", at(30, 9))],
        reports_total=1,
        risks=[MyRisk(3, "Slope failure", 20, "open", dt.date(2026, 11, 30), None)],
        risks_total=1,
        surveys=[WaitingSurvey(4, "Site services", at(28, 10))],
        surveys_total=1,
        feedback=[item(comment="Approvals are slow", project=header(locale=locale))],
        feedback_total=1,
        pm=PmGlance(
            risks=[PmRisk(5, 3, "Slope failure", 20, "ULEAD")],
            risks_total=1,
            report_period=period,
            reports=[PmReport(9, "Engineering", "ULEAD", "late")],
            feedback=[NewFeedback("Finance", 2)],
            surveys=[OpenSurvey(4, "Site services", 40, 25, at(28, 10))],
            surveys_total=1,
            lines=lines()[:1],
            lines_total=1,
        ),
    )
    return Home("UPM", [project])


@pytest.mark.parametrize("locale", LOCALES)
def test_weekly_digest(snapshot: Snapshot, locale: str) -> None:
    snapshot(f"digest.{locale}", message(digest_message(digest(locale), translator(locale))))


@pytest.mark.parametrize("locale", LOCALES)
def test_funds_summary(snapshot: Snapshot, locale: str) -> None:
    summary = Summary(lines(), liquidity(), total_budget=D("1000000"))
    rendered = summary_message(summary, code="HWY-42", currency="CNY", tr=translator(locale))
    snapshot(f"funds_summary.{locale}", message(rendered))


@pytest.mark.parametrize("locale", LOCALES)
def test_risk_card_and_its_details(snapshot: Snapshot, locale: str) -> None:
    tr = translator(locale)
    snapshot(
        f"risk_card.{locale}",
        {
            "alert": message(alert_message(risk(), tr, project_code="HWY-42", people=["ULEAD"])),
            "show": message(show_message(risk(), tr, project_code="HWY-42")),
        },
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_feedback_dm_to_the_lead(snapshot: Snapshot, locale: str) -> None:
    rendered = lead_message(item(comment="进度款审批太慢 <!here>"), translator(locale))
    snapshot(f"feedback_dm.{locale}", message(rendered))


@pytest.mark.parametrize("locale", LOCALES)
def test_scorecard(snapshot: Snapshot, locale: str) -> None:
    snapshot(f"scorecard.{locale}", message(scorecard_message(card(3), translator(locale))))


@pytest.mark.parametrize("locale", LOCALES)
def test_home_of_a_pm_and_of_a_newcomer(snapshot: Snapshot, locale: str) -> None:
    snapshot(
        f"home.{locale}",
        {
            "pm": home_view(home(locale), "en").to_dict(),
            "newcomer": home_view(Home("UNEW", []), locale).to_dict(),
        },
    )
