"""The scorecard arithmetic against a hand-computed month."""

from __future__ import annotations

from decimal import Decimal as D

from bot.scoring import DEFAULT_WEIGHTS, Component, Inputs, component_scores, composite, scorecard


def test_components_by_hand() -> None:
    scores = component_scores(
        Inputs(
            feedback_mean=D("4.2"),
            survey_csat=D("70"),
            nps=D("20"),
            on_time_percent=D("75"),
            ack_median_hours=D("60"),
            ack_rate_percent=D("90"),
        )
    )
    # satisfaction: feedback (4.2−1)/4×100 = 80, CSAT 70 → 75; NPS (20+100)/2 = 60;
    # responsiveness (168−60)/144×100 = 75
    assert scores == {
        Component.SATISFACTION: D("75.0"),
        Component.NPS: D("60.0"),
        Component.TIMELINESS: D("75.0"),
        Component.RESPONSIVENESS: D("75.0"),
        Component.ACKNOWLEDGEMENT: D("90.0"),
    }
    assert composite(scores, DEFAULT_WEIGHTS) == D("75.0")  # (75+60+75+75+90)/5


def test_missing_components_are_left_out_not_zero() -> None:
    scores = component_scores(Inputs(on_time_percent=D("50"), ack_rate_percent=D("100")))
    assert scores[Component.SATISFACTION] is None and scores[Component.NPS] is None
    assert composite(scores, DEFAULT_WEIGHTS) == D("75.0")
    assert composite(component_scores(Inputs()), DEFAULT_WEIGHTS) is None


def test_weights_rescale_over_available_components() -> None:
    scores = component_scores(Inputs(on_time_percent=D("100"), ack_rate_percent=D("40")))
    weights = {**DEFAULT_WEIGHTS, Component.TIMELINESS: 3}
    assert composite(scores, weights) == D("85.0")  # (3×100 + 1×40) / 4


def test_responsiveness_bounds() -> None:
    assert component_scores(Inputs(ack_median_hours=D("2")))[Component.RESPONSIVENESS] == D("100.0")
    assert component_scores(Inputs(ack_median_hours=D("500")))[Component.RESPONSIVENESS] == D("0.0")


def test_rank_ties_and_change() -> None:
    rows = scorecard(
        {
            1: Inputs(on_time_percent=D("80")),
            2: Inputs(on_time_percent=D("90")),
            3: Inputs(on_time_percent=D("80")),
            4: Inputs(),
        },
        previous={1: D("70.0"), 2: None},
    )
    assert [(r.department_id, r.rank) for r in rows] == [(2, 1), (1, 2), (3, 2), (4, None)]
    assert rows[1].change == D("10.0") and rows[0].change is None
