"""`handlers.common.field_errors`: the one body of a `response_action: errors` answer (the
kit's `Request.errors`, bad input at the edge, the lock timeout)."""

from __future__ import annotations

from bot.i18n import _, translator
from handlers.common import field_errors


def test_each_message_is_translated_and_cut_to_what_slack_shows() -> None:
    long = _("{text}", text="x" * 200)
    body = field_errors(
        {"title": _("Choose one of the answers offered."), "notes": long}, translator("en")
    )
    assert body["response_action"] == "errors"
    assert body["errors"]["title"] == "Choose one of the answers offered."
    assert body["errors"]["notes"] == "x" * 150
