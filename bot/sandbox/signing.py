"""Slack's request signature (v0), as Slack computes it for every request to an app."""

from __future__ import annotations

import hashlib
import hmac


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The `X-Slack-Signature` header of `body` sent at `timestamp` (Unix seconds)."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
