"""Errors become a short message for the user in one place: never a stack trace or silence.

Every listener is wrapped by `guarded`: an exception it raises is reported here instead of
reaching Bolt (whose thread runner can lose an already-sent acknowledgement when a listener
fails right after `ack()`). `@app.error` catches what fails outside listeners.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import FieldErrors, UserError
from bot.i18n import Translator, _, translator
from bot.log import request_id
from handlers.common import Caller, field_errors, internal_error, tell
from handlers.middleware import SUBMISSION
from handlers.text import esc_params
from storage.submissions import AlreadySubmitted, is_lock_timeout, submitting

log = logging.getLogger("icrm.errors")
NEEDED = ("ack", "body", "client", "context")
LOCALE = "locale"  # the context key of the request's language
BUSY = _("The database is busy right now and nothing was saved. Try again in a moment.")


def speak(context: dict[str, Any], locale: str) -> Translator:
    """Set the request's language (Bolt's per-request `context`): whatever `report` says
    about this request from now on is in it. The one place it is set."""
    context[LOCALE] = locale
    return translator(locale)


def report(
    deps: Deps,
    error: Exception,
    *,
    body: dict[str, Any],
    client: WebClient,
    context: dict[str, Any],
    ack: Ack | None = None,
) -> None:
    """Tell the user what went wrong: the `UserError`'s message, or a reference to the logs."""
    tr = translator(context.get(LOCALE) or deps.settings.default_locale)
    if isinstance(error, AlreadySubmitted):  # saved by the first submission: just close
        if ack is not None and ack.response is None:
            ack()
        return
    submitted = body.get("type") == "view_submission"
    if isinstance(error, FieldErrors) and submitted and ack is not None and ack.response is None:
        ack(**field_errors(error.errors, tr))  # bad input found at the edge
        return
    if is_lock_timeout(error):
        log.warning("gave up waiting for a database lock; asked the user to try again")
        message = tr(BUSY)
        field = first_input(body.get("view") or {}) if submitted else None
        if ack is not None and ack.response is None and field is not None:
            ack(**field_errors({field: BUSY}, tr))
            return
    elif isinstance(error, UserError):
        message = tr(esc_params(error.message))  # its parameters may be user text
    else:
        log.error("unhandled error", exc_info=error)
        message = tr(internal_error(request_id.get()))
    if ack is not None and ack.response is None:
        if body.get("type") in (
            "view_submission",
            "view_closed",
            "block_actions",
            "shortcut",
            "message_action",
        ):
            ack()
        else:  # a slash command: the answer can ride on the acknowledgement
            ack(text=message, response_type="ephemeral")
            return
    caller = Caller.of(body)
    if not caller.user_id:
        return
    try:
        tell(client, caller, message)
    except Exception:
        log.exception("could not tell %s about an error", caller.user_id)


def first_input(view: dict[str, Any]) -> str | None:
    """The block id of a modal's first input, for an error shown on the form when no other
    block is named (the kit's refusals, the lock timeout)."""
    for block in view.get("blocks") or []:
        if isinstance(block, dict) and block.get("type") == "input" and block.get("block_id"):
            return str(block["block_id"])
    values = (view.get("state") or {}).get("values") or {}
    return next(iter(values), None)


def guarded(deps: Deps) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Decorate a listener so that whatever it raises is reported to the user."""

    def decorate(listener: Callable[..., None]) -> Callable[..., None]:
        missing = set(NEEDED) - set(inspect.getfullargspec(inspect.unwrap(listener)).args)
        if missing:
            raise TypeError(f"{listener.__name__} must accept {sorted(missing)} to be guarded")

        @functools.wraps(listener)
        def wrapper(**kwargs: Any) -> None:
            submission = kwargs["context"].get(SUBMISSION)
            try:
                with submitting(submission) if submission else nullcontext():
                    listener(**kwargs)
            except Exception as error:
                report(
                    deps,
                    error,
                    body=kwargs["body"],
                    client=kwargs["client"],
                    context=kwargs["context"],
                    ack=kwargs["ack"],
                )

        return wrapper

    return decorate


def register(app: App, deps: Deps) -> None:
    @app.error
    def on_error(
        error: Exception, body: dict[str, Any], client: WebClient, context: dict[str, Any]
    ) -> None:
        report(deps, error, body=body or {}, client=client, context=context)
