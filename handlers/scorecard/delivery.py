"""Sending a scorecard: the message, then its trend chart (PNG) into the same conversation."""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot import charts
from bot.i18n import Translator
from bot.services.scorecard import Scorecard, Trend
from handlers.common import post_to_channel
from handlers.files import upload
from handlers.scorecard import views

log = logging.getLogger("icrm.scorecard")


def chart_of(card: Scorecard, trend: Trend, tr: Translator) -> bytes | None:
    """The composite trend per department over the stored months; None without data."""
    return charts.trend(trend.series, views.chart_title(card, tr), tr)


def send(
    client: WebClient,
    *,
    channel: str,
    card: Scorecard,
    trend: Trend,
    tr: Translator,
    fallback_user: str | None = None,
) -> None:
    """Post the scorecard to `channel` (a channel, or a user id for their DM) and upload its
    chart there. Raises when the message could not be posted; a chart that could not be
    uploaded is logged (the scorecard itself went out)."""
    text, blocks = views.scorecard_message(card, tr, trend)
    # The trend rides in the message as Slack's chart when it fits; else a PNG, drawn first:
    # the post is the last call when there is none.
    png = chart_of(card, trend, tr) if views.trend_form(trend) is charts.Form.PNG else None
    if channel.startswith(("U", "W")):  # W: an Enterprise Grid user
        client.chat_postMessage(channel=channel, text=text, blocks=blocks)
    elif post_to_channel(client, channel, text, blocks, tr=tr, fallback_user=fallback_user) is None:
        channel = fallback_user or channel  # the message went to the user's DM instead
    if png is None:
        return
    try:
        upload(
            client,
            channel=channel,
            filename=f"scorecard-{card.code}-{card.key}.png",
            title=views.chart_title(card, tr),
            content=png,
        )
    except Exception:
        log.exception("could not upload the scorecard chart of %s %s", card.code, card.key)
