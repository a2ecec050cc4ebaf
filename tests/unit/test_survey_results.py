"""Suppression and survey results: examples, then properties over random surveys (hypothesis)."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.i18n import translator
from bot.services.suppression import suppress
from bot.services.survey_results import Ballot, QuestionSpec, tally
from handlers.surveys.views import results_blocks

NAMES = {1: "Alpha", 2: "Bravo", 3: "Charlie", 4: "Delta", 5: "Echo", 6: "Foxtrot"}


def test_a_small_slice_is_suppressed_with_the_next_smallest() -> None:
    decision = suppress({"eng": 10, "ops": 4, "legal": 1}, 3)
    assert decision.hidden == {"legal", "ops"} and not decision.total_hidden


def test_two_small_slices_that_together_reach_the_minimum_suffice() -> None:
    decision = suppress({"eng": 10, "ops": 2, "legal": 2}, 3)
    assert decision.hidden == {"ops", "legal"}


def test_a_small_total_hides_everything() -> None:
    decision = suppress({"eng": 1, "ops": 1}, 3)
    assert decision.total_hidden and not decision.shows("eng")


def test_nothing_to_hide() -> None:
    assert suppress({"eng": 3, "ops": 5}, 3).hidden == frozenset()


# -- properties --------------------------------------------------------------------------
slices = st.dictionaries(st.sampled_from(list(NAMES)), st.integers(0, 12), max_size=6)


@given(slices, st.integers(1, 6))
def test_no_shown_slice_is_small_and_no_hidden_one_is_recoverable(
    counts: dict[int, int], minimum: int
) -> None:
    decision = suppress(counts, minimum)
    present = {k: n for k, n in counts.items() if n > 0}
    if decision.total_hidden:
        assert sum(present.values()) < minimum
        return
    for key, n in present.items():
        if decision.shows(key):
            assert n >= minimum
    hidden = [present[k] for k in decision.hidden]
    # The total minus the shown slices reveals only the union of the hidden ones.
    assert not hidden or (len(hidden) >= 2 and sum(hidden) >= minimum)


def _reference_csat(ratings: list[int]) -> Fraction:
    return Fraction(len([r for r in ratings if r in (4, 5)]), len(ratings))


def _reference_nps(scores: list[int]) -> Fraction:
    promoters = len([s for s in scores if s in (9, 10)])
    detractors = len([s for s in scores if 0 <= s <= 6])
    return Fraction(promoters * 100, len(scores)) - Fraction(detractors * 100, len(scores))


@st.composite
def surveys(draw: Any) -> tuple[list[QuestionSpec], list[Ballot], int]:
    rated = draw(st.lists(st.sampled_from([1, 2, 3]), min_size=1, max_size=3, unique=True))
    questions = [QuestionSpec(10 + d, "rating", f"Rate {NAMES[d]}", (), d) for d in rated]
    questions += [QuestionSpec(20 + d, "nps", f"Recommend {NAMES[d]}", (), d) for d in rated]
    questions.append(QuestionSpec(99, "text", "Comments"))
    groups = st.sampled_from([None, 4, 5, 6])
    ballots = []
    for _ in range(draw(st.integers(0, 25))):
        answers: dict[str, Any] = {}
        for q in questions:
            if q.kind == "rating":
                answers[str(q.id)] = draw(st.integers(1, 5))
            elif q.kind == "nps":
                answers[str(q.id)] = draw(st.integers(0, 10))
            elif draw(st.booleans()):
                answers[str(q.id)] = "a comment"
        ballots.append(Ballot(draw(groups), answers))
    return questions, ballots, draw(st.integers(1, 5))


@settings(max_examples=150, deadline=None)
@given(surveys())
def test_rendered_results_hide_small_slices_and_match_the_reference(
    drawn: tuple[list[QuestionSpec], list[Ballot], int],
) -> None:
    questions, ballots, minimum = drawn
    rated = sorted({q.department_id for q in questions if q.department_id})
    results = tally(
        questions,
        ballots,
        invited=30,
        rated_department_ids=rated,
        minimum=minimum,
        comment_minimum=5,
    )
    tr = translator("en")
    _text, blocks = results_blocks(
        tr, title="T", results=results, department_names=NAMES, closed=True
    )
    rendered = str([block.to_dict() for block in blocks])
    groups: dict[int | None, int] = {}
    for ballot in ballots:
        groups[ballot.department_id] = groups.get(ballot.department_id, 0) + 1

    if len(ballots) < minimum:
        assert "CSAT" not in rendered and "mean" not in rendered
        return
    # Every group named with numbers has at least `minimum` respondents; the suppressed
    # ones are not recoverable from the shown ones by subtraction.
    for name_id, name in NAMES.items():
        if name_id not in groups:
            continue
        shown = re.findall(rf"{name}: mean [^\\]*?n = (\d+)", rendered)
        for n in shown:
            assert int(n) >= minimum
            assert int(n) == groups[name_id]
    if len(groups) > 1:
        hidden = [
            n
            for g, n in groups.items()
            if f"{NAMES.get(g or 0, 'People named individually')}: suppressed" in rendered
        ]
        assert not hidden or (len(hidden) >= 2 and sum(hidden) >= minimum)
    comments = sum(1 for b in ballots if "99" in b.answers)
    assert ("a comment" in rendered) == (comments >= max(5, minimum))

    for d in results.departments:
        ratings = [b.answers[str(10 + d.department_id)] for b in ballots]
        scores = [b.answers[str(20 + d.department_id)] for b in ballots]
        assert d.csat is not None and d.nps is not None
        assert d.csat.csat == _reference_csat(ratings)
        assert d.nps.nps == _reference_nps(scores)
    for result in results.questions:
        if result.question.kind == "rating" and result.summary:
            values = [b.answers[str(result.question.id)] for b in ballots]
            assert result.summary.csat == _reference_csat(values)
            assert result.summary.mean == Fraction(sum(values), len(values))
        if result.question.kind == "nps" and result.summary:
            values = [b.answers[str(result.question.id)] for b in ballots]
            assert result.summary.nps == _reference_nps(values)
