"""A survey's results from its responses, with suppression applied. Pure: plain data in and out.

CSAT is the share of ratings of 4 or 5 (on 1–5). NPS is the percentage of promoters (9–10)
minus the percentage of detractors (0–6), on the 0–10 scale. Values are exact `Fraction`s;
the renderer rounds them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Final

from bot.services.suppression import comments_shown, suppress
from storage.models import QuestionKind

RATING_SCALE: Final = tuple(range(1, 6))
NPS_SCALE: Final = tuple(range(0, 11))
CSAT_SATISFIED: Final = 4  # ratings of 4 and 5 count as satisfied
NPS_PROMOTER: Final = 9  # 9–10
NPS_DETRACTOR: Final = 6  # 0–6


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    kind: str
    prompt: str
    choices: tuple[str, ...] = ()
    department_id: int | None = None


@dataclass(frozen=True)
class Ballot:
    """One response: the respondent's audience department (the slice) and their answers."""

    department_id: int | None
    answers: Mapping[str, Any]
    respondent: str | None = None


@dataclass(frozen=True)
class Summary:
    n: int
    mean: Fraction | None = None
    csat: Fraction | None = None  # share 0..1
    nps: Fraction | None = None  # −100..100


@dataclass(frozen=True)
class GroupResult:
    department_id: int | None
    hidden: bool
    summary: Summary | None  # None when hidden


@dataclass(frozen=True)
class QuestionResult:
    question: QuestionSpec
    n: int
    hidden: bool
    summary: Summary | None = None
    distribution: tuple[tuple[str, int], ...] = ()
    groups: tuple[GroupResult, ...] = ()
    comments: tuple[tuple[str, str | None], ...] = ()  # (text, respondent of a named survey)
    comments_hidden: bool = False


@dataclass(frozen=True)
class DepartmentResult:
    department_id: int
    csat: Summary | None  # None: no rating questions about it
    nps: Summary | None
    csat_hidden: bool = False
    nps_hidden: bool = False


@dataclass(frozen=True)
class SurveyResults:
    respondents: int
    invited: int
    minimum: int
    comment_minimum: int
    hidden: bool  # fewer respondents than the minimum: nothing but the counts is shown
    questions: tuple[QuestionResult, ...] = ()
    departments: tuple[DepartmentResult, ...] = field(default_factory=tuple)

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.respondents, self.invited) if self.invited else None


def csat(ratings: Sequence[int]) -> Fraction | None:
    if not ratings:
        return None
    return Fraction(sum(1 for r in ratings if r >= CSAT_SATISFIED), len(ratings))


def nps(scores: Sequence[int]) -> Fraction | None:
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= NPS_PROMOTER)
    detractors = sum(1 for s in scores if s <= NPS_DETRACTOR)
    return Fraction(100 * (promoters - detractors), len(scores))


def _summary(kind: str, values: Sequence[int]) -> Summary:
    mean = Fraction(sum(values), len(values)) if values else None
    if kind == QuestionKind.RATING:
        return Summary(len(values), mean, csat=csat(values))
    return Summary(len(values), mean, nps=nps(values))


def _scale(question: QuestionSpec) -> tuple[int, ...]:
    return RATING_SCALE if question.kind == QuestionKind.RATING else NPS_SCALE


def _numbers(question: QuestionSpec, ballots: Sequence[Ballot]) -> list[tuple[int | None, int]]:
    scale = _scale(question)
    found = []
    for ballot in ballots:
        value = ballot.answers.get(str(question.id))
        if isinstance(value, int) and not isinstance(value, bool) and value in scale:
            found.append((ballot.department_id, value))
    return found


def _numeric(question: QuestionSpec, ballots: Sequence[Ballot], minimum: int) -> QuestionResult:
    pairs = _numbers(question, ballots)
    values = [v for _, v in pairs]
    if len(values) < minimum:
        return QuestionResult(question, len(values), hidden=True)
    distribution = tuple((str(s), values.count(s)) for s in _scale(question))
    by_group: dict[int | None, list[int]] = {}
    for department_id, value in pairs:
        by_group.setdefault(department_id, []).append(value)
    groups: tuple[GroupResult, ...] = ()
    if len(by_group) > 1:
        decision = suppress({k: len(v) for k, v in by_group.items()}, minimum)
        groups = tuple(
            GroupResult(k, False, _summary(question.kind, v))
            if decision.shows(k)
            else GroupResult(k, True, None)
            for k, v in sorted(by_group.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
        )
    return QuestionResult(
        question,
        len(values),
        hidden=False,
        summary=_summary(question.kind, values),
        distribution=distribution,
        groups=groups,
    )


def _choice(question: QuestionSpec, ballots: Sequence[Ballot], minimum: int) -> QuestionResult:
    picks = [
        v
        for b in ballots
        if isinstance(v := b.answers.get(str(question.id)), int) and 0 <= v < len(question.choices)
    ]
    if len(picks) < minimum:
        return QuestionResult(question, len(picks), hidden=True)
    distribution = tuple((c, picks.count(i)) for i, c in enumerate(question.choices))
    return QuestionResult(question, len(picks), hidden=False, distribution=distribution)


def _text(
    question: QuestionSpec, ballots: Sequence[Ballot], minimum: int, comment_minimum: int
) -> QuestionResult:
    texts: list[tuple[str, str | None]] = []
    for b in ballots:
        value = b.answers.get(str(question.id))
        if isinstance(value, str) and value.strip():
            texts.append((value.strip(), b.respondent or None))
    shown = comments_shown(len(texts), max(comment_minimum, minimum))
    # Sorted, not in storage order: the order of comments says nothing about who wrote which.
    return QuestionResult(
        question,
        len(texts),
        hidden=not shown,
        comments=tuple(sorted(texts)) if shown else (),
        comments_hidden=not shown,
    )


def _department(
    department_id: int, questions: Sequence[QuestionSpec], ballots: Sequence[Ballot], minimum: int
) -> DepartmentResult:
    def figure(kind: str) -> tuple[Summary | None, bool]:
        """The department's CSAT (ratings) or NPS over the people who answered a question of
        `kind` about it, and whether it is hidden; None without such questions."""
        about = [q for q in questions if q.department_id == department_id and q.kind == kind]
        if not about:
            return None, False
        values = [v for q in about for _, v in _numbers(q, ballots)]
        people = sum(1 for b in ballots if any(_numbers(q, [b]) for q in about))
        if people < minimum:
            return Summary(people), True
        if kind == QuestionKind.RATING:
            return Summary(people, csat=csat(values)), False
        return Summary(people, nps=nps(values)), False

    csat_summary, csat_hidden = figure(QuestionKind.RATING)
    nps_summary, nps_hidden = figure(QuestionKind.NPS)
    return DepartmentResult(department_id, csat_summary, nps_summary, csat_hidden, nps_hidden)


def tally(
    questions: Sequence[QuestionSpec],
    ballots: Sequence[Ballot],
    *,
    invited: int,
    rated_department_ids: Sequence[int],
    minimum: int,
    comment_minimum: int,
) -> SurveyResults:
    """Results of `ballots` for `questions`, every slice under `minimum` suppressed."""
    minimum = max(1, minimum)
    respondents = len(ballots)
    if respondents < minimum:
        return SurveyResults(respondents, invited, minimum, comment_minimum, hidden=True)
    results = []
    for question in questions:
        if question.kind in (QuestionKind.RATING, QuestionKind.NPS):
            results.append(_numeric(question, ballots, minimum))
        elif question.kind == QuestionKind.CHOICE:
            results.append(_choice(question, ballots, minimum))
        else:
            results.append(_text(question, ballots, minimum, comment_minimum))
    departments = tuple(_department(d, questions, ballots, minimum) for d in rated_department_ids)
    return SurveyResults(
        respondents,
        invited,
        minimum,
        comment_minimum,
        hidden=False,
        questions=tuple(results),
        departments=departments,
    )
