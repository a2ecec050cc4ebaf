"""The monthly scorecard against a month computed by hand, its snapshot, weights and job.

The fixture month (tests/scorecard_fixture.py), November 2026, equal weights:

finance
  feedback 5, 4, 3: mean 4.00 → (4 − 1) / 4 × 100 = 75; 2 of 3 acknowledged → 66.67 % → 66.7
  survey CSAT 3 of 5 ratings are 4–5 → 60 %; satisfaction = (75 + 60) / 2 = 67.5
  NPS 10, 9, 7, 3: (2 promoters − 1 detractor) / 4 = 25 → (25 + 100) / 2 = 62.5
  reports P0 on time, P1 late → 50.0
  risks acknowledged after 12, 48, 96 h: median 48 → (168 − 48) / 144 × 100 = 83.3
  composite (67.5 + 62.5 + 50 + 83.3 + 66.7) / 5 = 330 / 5 = 66.0
  October: feedback 3, acknowledged → (50 + 100) / 2 = 75.0; change 66.0 − 75.0 = −9.0
legal
  feedback 2, not acknowledged → satisfaction 25.0, acknowledgement 0.0; no survey: no NPS
  reports 2 of 2 on time → 100.0; risk acknowledged after 200 h (≥ 168) → 0.0
  composite (25 + 100 + 0 + 0) / 4 = 31.25 → 31.3
  October: feedback 1, not acknowledged → (0 + 0) / 2 = 0.0; change +31.3
engineering, design
  feedback 4, acknowledged → (75 + 100) / 2 = 87.5 each: tied at rank 1; no October → no change
operations
  reports: P0 missing (late), P1 excused (left out) → 0 of 1 → 0.0; composite 0.0
construction, supervision: no data → no composite, no rank

Ranks: engineering 1, design 1, finance 3, legal 4, operations 5.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from bot.app import Deps
from bot.errors import FieldErrors, PermissionDenied, UserError
from bot.forms import Form
from bot.scoring import Component as C
from bot.services import project_settings, scorecard
from bot.services.project_settings import SettingsField
from storage.models import AuditLog, ScorecardEntry, ScorecardMonth
from tests.conftest import MEMBER, PM, Clock
from tests.fake_slack import TEAM_ID
from tests.scorecard_fixture import (
    Fixture,
    ack_feedback,
    at,
    compute,
    give,
    november,
    october,
    show,
)
from tests.scorecard_fixture import K as Kind

OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
AFTER_NOVEMBER = at(2026, 12, 3, 9)


def built(deps: Deps, clock: Clock) -> Fixture:
    fx = october(deps, clock)
    stored = compute(deps, fx, OCT, at(2026, 11, 1, 0, 30))
    assert stored.stored
    november(deps, fx)
    return fx


def lines(card: scorecard.Scorecard, fx: Fixture) -> dict[str, scorecard.Line]:
    kinds = {v: k for k, v in fx.made.departments.items()}
    return {kinds[line.department_id]: line for line in card.lines}


def test_november_matches_the_hand_computed_month(deps: Deps, clock: Clock) -> None:
    fx = built(deps, clock)
    card = compute(deps, fx, NOV, AFTER_NOVEMBER)
    assert card.stored and not card.provisional and card.key == "2026-11"
    by = lines(card, fx)

    finance = by[Kind.FINANCE]
    assert finance.scores == {
        C.SATISFACTION: D("67.5"),
        C.NPS: D("62.5"),
        C.TIMELINESS: D("50.0"),
        C.RESPONSIVENESS: D("83.3"),
        C.ACKNOWLEDGEMENT: D("66.7"),
    }
    assert (finance.composite, finance.rank, finance.change) == (D("66.0"), 3, D("-9.0"))
    m = finance.measured
    assert (m.feedback_count, m.feedback_mean, m.feedback_acknowledged) == (3, D("4.00"), 2)
    assert (m.survey_csat, m.survey_csat_respondents) == (D("60.00"), 5)
    assert (m.survey_nps, m.survey_nps_respondents) == (D("25.00"), 4)
    assert (m.reports_due, m.reports_on_time, m.ack_median_hours) == (2, 1, D("48.00"))

    legal = by[Kind.LEGAL]
    assert legal.scores == {
        C.SATISFACTION: D("25.0"),
        C.NPS: None,  # no survey: left out of the composite, not counted as 0
        C.TIMELINESS: D("100.0"),
        C.RESPONSIVENESS: D("0.0"),
        C.ACKNOWLEDGEMENT: D("0.0"),
    }
    assert (legal.composite, legal.rank, legal.change) == (D("31.3"), 4, D("31.3"))

    for kind in (Kind.ENGINEERING, Kind.DESIGN):
        line = by[kind]
        assert line.scores[C.SATISFACTION] == D("75.0")
        assert line.scores[C.ACKNOWLEDGEMENT] == D("100.0")
        assert (line.composite, line.rank, line.change) == (D("87.5"), 1, None)

    operations = by[Kind.OPERATIONS]
    assert operations.scores[C.TIMELINESS] == D("0.0")
    assert (operations.composite, operations.rank, operations.change) == (D("0.0"), 5, None)
    assert (operations.measured.reports_due, operations.measured.reports_on_time) == (1, 0)

    for kind in (Kind.CONSTRUCTION, Kind.SUPERVISION):
        line = by[kind]
        assert set(line.scores.values()) == {None}
        assert (line.composite, line.rank, line.change) == (None, None, None)
    assert [line.rank for line in card.lines] == [1, 1, 3, 4, 5, None, None]

    with deps.uow() as uow:
        rows = uow.session.scalars(select(ScorecardEntry).where(ScorecardEntry.month == NOV)).all()
        assert len(rows) == 7
        entries = uow.session.scalars(
            select(AuditLog).where(AuditLog.entity == "scorecard").order_by(AuditLog.id)
        ).all()
        assert [(e.action, e.entity_id) for e in entries] == [
            ("computed", "2026-10"),
            ("computed", "2026-11"),
        ]
        assert entries[1].after is not None and entries[1].after["weights"]["nps"] == 1


def test_the_snapshot_does_not_change_when_later_data_arrives(deps: Deps, clock: Clock) -> None:
    fx = built(deps, clock)
    first = compute(deps, fx, NOV, AFTER_NOVEMBER)
    # Late data about November: legal's feedback is acknowledged, more feedback is given.
    with deps.uow() as uow:
        pending = uow.feedback.between(fx.made.project_id, at(2026, 11, 1), at(2026, 12, 1))
        legal_id = next(f.id for f in pending if f.to_department_id == fx.dept(Kind.LEGAL))
    ack_feedback(deps, fx, legal_id, at(2026, 12, 4, 9))
    give(deps, fx, at(2026, 11, 30, 23), Kind.CONSTRUCTION, Kind.FINANCE, 1)
    again = compute(deps, fx, NOV, at(2026, 12, 5, 9))
    assert again == first
    assert lines(again, fx)[Kind.CONSTRUCTION].composite is None
    with deps.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(ScorecardMonth)) == 2
        # A PM's explicit recompute measures again: legal's acknowledgement now counts.
        with pytest.raises(PermissionDenied):
            show(uow, deps, fx, MEMBER, NOV, recompute=True)
        redone = show(uow, deps, fx, PM, NOV, recompute=True)
    legal = lines(redone, fx)[Kind.LEGAL]
    # (25 + 100 + 0 + 100) / 4 = 56.25 → 56.3
    assert (legal.scores[C.ACKNOWLEDGEMENT], legal.composite) == (D("100.0"), D("56.3"))
    # construction: feedback 1 → 0, not acknowledged → 0
    assert lines(redone, fx)[Kind.CONSTRUCTION].composite == D("0.0")
    with deps.uow() as uow:
        actions = uow.session.scalars(
            select(AuditLog.action).where(AuditLog.entity == "scorecard").order_by(AuditLog.id)
        ).all()
        assert actions == ["computed", "computed", "recomputed"]
        assert uow.session.scalar(select(func.count()).select_from(ScorecardEntry)) == 14


def test_weights_rescale_and_a_zero_weight_leaves_a_component_out(deps: Deps, clock: Clock) -> None:
    fx = built(deps, clock)
    weights = {"weight_satisfaction": "3", "weight_timeliness": "0"}
    _save_weights(deps, fx, weights)
    card = compute(deps, fx, NOV, AFTER_NOVEMBER)
    by = lines(card, fx)
    # finance (67.5 × 3 + 62.5 + 83.3 + 66.7) / 6 = 415 / 6 = 69.17 → 69.2
    assert by[Kind.FINANCE].composite == D("69.2")
    # legal (25 × 3 + 0 + 0) / 5 = 15.0; operations had only timeliness: unranked now
    assert by[Kind.LEGAL].composite == D("15.0")
    assert (by[Kind.OPERATIONS].composite, by[Kind.OPERATIONS].rank) == (None, None)
    assert card.weights[C.SATISFACTION] == 3 and card.weights[C.TIMELINESS] == 0


def _form(deps: Deps, fx: Fixture, **changes: str) -> Form[SettingsField]:
    with deps.uow() as uow:
        form = project_settings.settings_form(
            uow, team_id=TEAM_ID, project_id=fx.made.project_id, user_id=PM
        )
    shown = {field.value: form.text(field) for field in SettingsField}
    return Form.of(SettingsField, **shown | changes)


def _save_weights(deps: Deps, fx: Fixture, changes: dict[str, str]) -> None:
    with deps.uow() as uow:
        project_settings.save_settings(
            uow,
            team_id=TEAM_ID,
            project_id=fx.made.project_id,
            user_id=PM,
            form=_form(deps, fx, **changes),
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weight_nps": "11"}, "weight_nps"),
        ({"weight_timeliness": "-1"}, "weight_timeliness"),
        ({"weight_responsiveness": "two"}, "weight_responsiveness"),
        ({"weight_acknowledgement": ""}, "weight_acknowledgement"),
        (
            {f"weight_{c.value}": "0" for c in C},
            "weight_satisfaction",
        ),
    ],
)
def test_bad_weights_are_field_errors_and_save_nothing(
    deps: Deps, clock: Clock, changes: dict[str, str], field: str
) -> None:
    fx = october(deps, clock)
    with pytest.raises(FieldErrors) as raised:
        _save_weights(deps, fx, changes)
    assert list(raised.value.errors) == [field]
    with deps.uow() as uow:
        assert scorecard.weights(uow, fx.made.project_id) == {c: 1 for c in C}
        assert uow.scorecards.weights(fx.made.project_id) is None


def test_months_not_over_are_provisional_and_not_stored(deps: Deps, clock: Clock) -> None:
    fx = built(deps, clock)
    clock.frozen = at(2026, 11, 25, 12)
    with deps.uow() as uow:
        card = show(uow, deps, fx, MEMBER, NOV)
        assert card.provisional and not card.stored and card.has_data
        assert uow.scorecards.month(fx.made.project_id, NOV) is None
        with pytest.raises(scorecard.MonthNotOver):
            scorecard.compute_month(uow, fx.made.project_id, 2026, 11, now=deps.now())
        with pytest.raises(UserError, match="not started"):
            show(uow, deps, fx, MEMBER, dt.date(2026, 12, 1))
        # The default month is last month in project time: October (stored already).
        default = show(uow, deps, fx, MEMBER, None)
        assert default.key == "2026-10" and default.stored


def test_a_month_without_any_data_is_not_stored(deps: Deps, clock: Clock) -> None:
    fx = october(deps, clock)
    card = compute(deps, fx, dt.date(2026, 9, 1), at(2026, 11, 1, 9))
    assert not card.stored and not card.has_data
    with deps.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(ScorecardMonth)) == 0


@pytest.mark.parametrize("text", ["2026-13", "abc", "2026-00", "26-11", "2026/11", "1999-01"])
def test_bad_months_say_the_format(text: str) -> None:
    with pytest.raises(UserError) as raised:
        scorecard.parse_month(text)
    assert "YYYY-MM" in raised.value.message.msgid


def test_months_in_project_time() -> None:
    assert scorecard.parse_month("2026-1") == dt.date(2026, 1, 1)
    # 16:30 UTC on 31 October is already 1 November in Shanghai: October is over there.
    moment = dt.datetime(2026, 10, 31, 16, 30, tzinfo=dt.UTC)
    assert scorecard.last_month(moment, "Asia/Shanghai") == dt.date(2026, 10, 1)
    assert scorecard.last_month(moment, "Europe/London") == dt.date(2026, 9, 1)
    assert scorecard.last_month(dt.datetime(2027, 1, 1, tzinfo=dt.UTC), "UTC") == dt.date(
        2026, 12, 1
    )


def test_trend_covers_the_last_twelve_stored_months(deps: Deps, clock: Clock) -> None:
    fx = built(deps, clock)
    compute(deps, fx, NOV, AFTER_NOVEMBER)
    with deps.uow() as uow:
        trend = scorecard.trend(uow, fx.made.project_id, NOV)
        assert trend.months == ["2026-10", "2026-11"]
        assert trend.series["Finance"] == [("2026-10", 75.0), ("2026-11", 66.0)]
        assert trend.series["Engineering"] == [("2026-10", None), ("2026-11", 87.5)]
        assert "Construction contractor" not in trend.series  # never scored
        assert scorecard.trend(uow, fx.made.project_id, dt.date(2026, 9, 1)).series == {}
