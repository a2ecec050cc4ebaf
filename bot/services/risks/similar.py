"""Open risks with a similar title, offered before a new one is raised."""

from __future__ import annotations

import unicodedata
from typing import Final

from bot.periods import today_in as today_in  # re-exported for handlers and jobs
from bot.services.risks.cards import KEPT_CATEGORIES, NOT_CLOSED, RiskCard, to_card
from storage.uow import UnitOfWork

# Titles at least this similar (Dice coefficient of character bigrams) are "close".
SIMILAR: Final = 0.6


MAX_SIMILAR: Final = 3


def _grams(title: str) -> set[str]:
    """Character bigrams of a title's letters and digits (case and width folded), so
    Chinese, English and mixed titles compare alike; a one-character title is itself."""
    text = "".join(
        c
        for c in unicodedata.normalize("NFKC", title).casefold()
        if unicodedata.category(c)[0] in KEPT_CATEGORIES
    )
    if len(text) < 2:
        return {text} if text else set()
    return {text[i : i + 2] for i in range(len(text) - 1)}


def title_similarity(a: str, b: str) -> float:
    """0–1: how much two titles share (the Dice coefficient of their character bigrams)."""
    first, second = _grams(a), _grams(b)
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))


def similar_open(
    uow: UnitOfWork, *, project_id: int, title: str, exclude_id: int | None = None
) -> list[RiskCard]:
    """Open (or mitigating) risks of the project whose title is close to `title` (at least
    `SIMILAR`), most similar first, at most `MAX_SIMILAR`."""
    scored = [
        (title_similarity(title, risk.title), risk)
        for risk in uow.risks.listing(project_id, statuses=NOT_CLOSED)
        if risk.id != exclude_id
    ]
    close = sorted(
        ((score, risk) for score, risk in scored if score >= SIMILAR),
        key=lambda pair: (-pair[0], pair[1].number),
    )
    return [to_card(uow, risk) for _score, risk in close[:MAX_SIMILAR]]
