"""Block Kit of the daily risk-review reminder: a pure function of risk cards."""

from __future__ import annotations

import datetime as dt

from slack_sdk.models.blocks import Block

from bot.i18n import Translator, _
from bot.services.risks import RiskCard
from handlers import blocks as b
from handlers.text import esc

MAX_RISKS = 20


def review_message(
    code: str, cards: list[RiskCard], today: dt.date, tr: Translator
) -> tuple[str, list[Block]]:
    """One DM per person: their open risks of project `code` past the next review date."""
    text = tr(
        _("{code}: {n} risk(s) you look after are past their review date."),
        code=code,
        n=len(cards),
    )
    rows = []
    for card in cards[:MAX_RISKS]:
        assert card.review_on is not None
        days = (today - card.review_on).days
        rows.append(
            tr(
                _("• *{ref}* {title} — score {score}, review was due {date} ({days} days ago)"),
                ref=card.ref,
                title=esc(b.clip(card.title, 80)),
                score=card.score,
                date=tr.date(card.review_on),
                days=days,
            )
        )
    if len(cards) > MAX_RISKS:
        rows.append(tr(_("…and {n} more"), n=len(cards) - MAX_RISKS))
    hint = tr(_("`/risk show R-n` opens a risk to add an update or close it."))
    return text, [b.section(text), b.section("\n".join(rows)), b.context(hint)]
