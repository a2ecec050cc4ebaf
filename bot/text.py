"""Cleaning text that people typed, once, for every modal: what counts as empty, and what
cannot be stored at all."""

from __future__ import annotations

import html
import re

# Characters that show nothing: a field holding only these (and whitespace) is empty.
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e"
_EDGES = re.compile(f"^[\\s{INVISIBLE}]+|[\\s{INVISIBLE}]+$")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """`value` without leading and trailing whitespace or invisible characters; "" when
    nothing visible is left. Invisible characters inside the text (an emoji's joiners) stay."""
    return _EDGES.sub("", value)


def has_lone_surrogate(value: str) -> bool:
    """True when `value` holds half of a UTF-16 pair: no database can store it."""
    return _SURROGATE.search(value) is not None


def storable(value: str) -> str:
    """`value` with any lone surrogate replaced by U+FFFD (for text we carry, not typed)."""
    return _SURROGATE.sub("\ufffd", value)


def from_mrkdwn(value: str) -> str:
    """Plain text from Slack's escaped message text (`&amp;`, `&lt;`, `&gt;`), decoded once."""
    return html.unescape(value) if "&" in value else value
