"""Errors a service raises for the user to read. The Slack edge maps them in one place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from bot.i18n import Msg

T = TypeVar("T")


class UserError(Exception):
    """Something the user can fix; `message` says what, in their language once translated."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.msgid)
        self.message = message


class PermissionDenied(UserError):
    """The user may not do this; the message says who may."""


class NotFound(UserError):
    """The thing asked for does not exist (in this workspace)."""


def found(thing: T | None, message: Msg) -> T:
    """`thing`, or `NotFound(message)` when there is none (a lookup that came back empty)."""
    if thing is None:
        raise NotFound(message)
    return thing


class FieldErrors(UserError):
    """Bad modal input: field name → what is wrong with it. Nothing was saved."""

    def __init__(self, errors: Mapping[str, Msg]) -> None:
        first = next(iter(errors.values()))
        super().__init__(first)
        self.errors = dict(errors)
