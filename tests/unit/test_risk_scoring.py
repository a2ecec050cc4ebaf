"""Risk scores, levels and numbers: pure functions."""

from __future__ import annotations

import pytest

from bot.errors import UserError
from bot.services.risks import RiskLevel, is_escalated, level_of, parse_number, score_of


@pytest.mark.parametrize(
    ("likelihood", "impact", "score", "level"),
    [
        (1, 1, 1, RiskLevel.LOW),
        (2, 2, 4, RiskLevel.LOW),
        (1, 5, 5, RiskLevel.MEDIUM),
        (3, 3, 9, RiskLevel.MEDIUM),
        (2, 5, 10, RiskLevel.HIGH),
        (3, 5, 15, RiskLevel.HIGH),
        (4, 4, 16, RiskLevel.CRITICAL),
        (5, 5, 25, RiskLevel.CRITICAL),
    ],
)
def test_score_is_likelihood_times_impact_and_level_follows(
    likelihood: int, impact: int, score: int, level: RiskLevel
) -> None:
    assert score_of(likelihood, impact) == score
    assert level_of(score) is level
    assert is_escalated(score) == (level in (RiskLevel.HIGH, RiskLevel.CRITICAL))


def test_every_score_has_exactly_one_level_with_the_spec_boundaries() -> None:
    levels = [level_of(s) for s in range(1, 26)]
    assert levels.count(RiskLevel.LOW) == 4
    assert levels.count(RiskLevel.MEDIUM) == 5
    assert levels.count(RiskLevel.HIGH) == 6
    assert levels.count(RiskLevel.CRITICAL) == 10


@pytest.mark.parametrize(("likelihood", "impact"), [(0, 3), (6, 1), (3, -1)])
def test_out_of_range_scales_are_rejected(likelihood: int, impact: int) -> None:
    with pytest.raises(ValueError):
        score_of(likelihood, impact)


@pytest.mark.parametrize("score", [0, 26])
def test_out_of_range_scores_are_rejected(score: int) -> None:
    with pytest.raises(ValueError):
        level_of(score)


@pytest.mark.parametrize(("text", "number"), [("R-12", 12), ("r12", 12), ("12", 12), (" R-3 ", 3)])
def test_risk_numbers_parse(text: str, number: int) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["R-", "R-0", "RR-1", "12a", "R-1.5", "-3", ""])
def test_malformed_risk_numbers_say_what_to_type(text: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_number(text)
    assert "R-12" in raised.value.message.msgid
