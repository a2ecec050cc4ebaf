"""Department against the rest of the project: when a total and some departments' figures
are shown, no subtraction leaves a group smaller than the minimum (pure, exhaustive)."""

from __future__ import annotations

import itertools

from bot.services.suppression import suppress
from bot.services.survey_results import Ballot, QuestionSpec, tally
from storage.models import QuestionKind


def remainders(slices: dict[str, int], shown: set[str]) -> set[int]:
    """Every group a reader can work out: the total minus any set of shown slices."""
    total = sum(slices.values())
    found = set()
    for r in range(len(shown) + 1):
        for subset in itertools.combinations(sorted(shown), r):
            found.add(total - sum(slices[k] for k in subset))
    return found


def test_no_subtraction_of_shown_slices_leaves_a_small_group() -> None:
    minimum = 5
    for sizes in itertools.product(range(0, 9), repeat=4):
        slices = {k: n for k, n in zip("abcd", sizes, strict=True) if n}
        decision = suppress(slices, minimum)
        if decision.total_hidden:
            assert sum(slices.values()) < minimum
            continue
        shown = {k for k in slices if decision.shows(k)}
        assert all(slices[k] >= minimum for k in shown)
        assert all(r == 0 or r >= minimum for r in remainders(slices, shown)), slices


def test_a_department_is_hidden_when_the_rest_of_the_project_is_small() -> None:
    """12 answers: engineering 9, operations 2, legal 1. Showing engineering's figure beside
    the total would give away the other three by subtraction: engineering is hidden too."""
    question = QuestionSpec(1, QuestionKind.RATING, "Finance pays on time")
    ballots = [Ballot(10, {"1": 5})] * 9 + [Ballot(20, {"1": 1})] * 2 + [Ballot(30, {"1": 1})]
    result = tally([question], ballots, invited=12, rated_department_ids=[], minimum=5,
                   comment_minimum=10).questions[0]  # fmt: skip
    assert not result.hidden and result.n == 12  # the project's figure
    assert [g.hidden for g in result.groups] == [True, True, True]
    # with a rest of the project as big as the minimum, engineering is shown
    more = ballots + [Ballot(20, {"1": 2})] * 2
    groups = tally([question], more, invited=14, rated_department_ids=[], minimum=5,
                   comment_minimum=10).questions[0].groups  # fmt: skip
    assert [(g.department_id, g.hidden) for g in groups] == [(10, False), (20, True), (30, True)]
