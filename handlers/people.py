"""People and conversations picked in a modal are real ones of this workspace.

A `users_select` or `conversations_select` value comes back in the submission, where the
app cannot tell it from anything else a client sent, so it is not trusted: a risk owner or
a survey audience must be people Slack knows. `handlers.common.read_state` refuses what is not
even shaped like an id (`not-a-user`, `<!channel>`); this middleware asks Slack about the
rest (`users.info`, `conversations.info`) before any listener runs, and answers a view
submission naming an id Slack does not know with a field error on that block: nothing is
saved. An id Slack confirmed is remembered for `REMEMBER` so a busy modal costs one call
per new person, not one per submit.

An imported file names people too (`U…` ids, `email:` addresses): `resolve_users` finds
which of them are members of this workspace.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from concurrent.futures import TimeoutError as FuturesTimeout
from typing import Any, Final

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.i18n import Msg, _, translator
from handlers.suggest import project_in

log = logging.getLogger("icrm.people")

REMEMBER: Final = dt.timedelta(hours=1)
MAX_REMEMBERED: Final = 10_000
TIMEOUT: Final = 2  # seconds for one look-up
DEADLINE: Final = 2.0  # seconds for all of a submission's: the acknowledgement is due within 3
WORKERS: Final = 8  # look-ups at a time
_USER: Final = re.compile(r"^[UW][A-Z0-9]{2,20}$")
_CONVERSATION: Final = re.compile(r"^[CGD][A-Z0-9]{2,20}$")
_USER_KINDS: Final = {"users_select": "selected_user", "multi_users_select": "selected_users"}
_CONVERSATION_KINDS: Final = {
    "conversations_select": "selected_conversation",
    "multi_conversations_select": "selected_conversations",
    "channels_select": "selected_channel",
    "multi_channels_select": "selected_channels",
}
NOT_A_PERSON: Final = _("That is not someone in this workspace. Choose a person from the list.")
NOT_A_CONVERSATION: Final = _("That channel is not in this workspace. Choose one from the list.")
NOT_CHECKED: Final = _("Slack could not confirm this choice just now. Submit again in a moment.")


class Known:
    """Ids Slack confirmed lately, per workspace (time from `deps.now`)."""

    def __init__(self) -> None:
        self._until: dict[tuple[str, str], dt.datetime] = {}
        self._lock = threading.Lock()

    def has(self, team_id: str, an_id: str, now: dt.datetime) -> bool:
        with self._lock:
            until = self._until.get((team_id, an_id))
            return until is not None and until > now

    def add(self, team_id: str, an_id: str, now: dt.datetime) -> None:
        with self._lock:
            if len(self._until) >= MAX_REMEMBERED:
                self._until = {k: v for k, v in self._until.items() if v > now}
                if len(self._until) >= MAX_REMEMBERED:
                    self._until.clear()
            self._until[(team_id, an_id)] = now + REMEMBER

    def clear(self) -> None:
        with self._lock:
            self._until.clear()


KNOWN = Known()  # per process, like Slack's own answers it only saves calls


def picked(view: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(block id, "user" or "conversation", id) for every well-formed id in the state."""
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        if not isinstance(actions, dict):
            continue
        for element in actions.values():
            if not isinstance(element, dict):
                continue
            kind = element.get("type")
            if kind in _USER_KINDS:
                what, key, shape = "user", _USER_KINDS[kind], _USER
            elif kind in _CONVERSATION_KINDS:
                what, key, shape = "conversation", _CONVERSATION_KINDS[kind], _CONVERSATION
            else:
                continue
            value = element.get(key)
            for one in value if isinstance(value, list) else [value]:
                if isinstance(one, str) and shape.match(one.strip()):
                    yield str(block_id), what, one.strip()


def problem(client: WebClient, what: str, an_id: str) -> Msg | None:
    """What is wrong with `an_id` according to Slack, or None when it is real."""
    try:
        if what == "user":
            user = client.users_info(user=an_id).get("user") or {}
            if user.get("deleted") or user.get("is_bot"):
                return NOT_A_PERSON
            return None
        client.conversations_info(channel=an_id)
        return None
    except SlackApiError as error:
        code = error.response.get("error") if error.response is not None else None
        if code in ("user_not_found", "users_not_found", "user_not_visible"):
            return NOT_A_PERSON
        if code in ("channel_not_found", "method_not_supported_for_channel_type"):
            return NOT_A_CONVERSATION
        log.warning("could not check %s %s: %s", what, an_id, code)
        return NOT_CHECKED
    except Exception as error:  # a timeout, a dropped connection: nothing is saved
        log.warning("could not check %s %s: %s", what, an_id, type(error).__name__)
        return NOT_CHECKED


def errors_in(
    deps: Deps, known: Known, client: WebClient, team_id: str, view: dict[str, Any]
) -> dict[str, Msg]:
    """Block id → what is wrong, for the ids of `view`'s state Slack does not know.

    New ids are looked up `WORKERS` at a time within `DEADLINE`; one not confirmed in time
    is a field error asking to submit again (the confirmed ones are remembered, so a large
    audience gets through in a submit or two)."""
    now = deps.now()
    wanted: dict[tuple[str, str], list[str]] = {}  # (what, id) → the blocks naming it
    for block_id, what, an_id in picked(view):
        if not known.has(team_id, an_id, now):
            wanted.setdefault((what, an_id), []).append(block_id)
    if not wanted:
        return {}
    # People the workspace's projects already hold were checked when they were added: a
    # survey of a whole project needs no look-ups (Slack limits users.info per minute).
    with deps.reader() as uow:
        stored = uow.projects.people_of_team(
            team_id, [an_id for what, an_id in wanted if what == "user"]
        )
    for an_id in stored:
        known.add(team_id, an_id, now)
        wanted.pop(("user", an_id), None)
    if not wanted:
        return {}
    quick = WebClient(token=client.token, base_url=client.base_url, timeout=TIMEOUT)
    pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="icrm-people")
    futures = {pool.submit(problem, quick, what, an_id): (what, an_id) for what, an_id in wanted}
    errors: dict[str, Msg] = {}
    try:
        for future in as_completed(futures, timeout=DEADLINE):
            what, an_id = futures[future]
            found = future.result()
            if found is None:
                known.add(team_id, an_id, now)
            else:
                for block_id in wanted[(what, an_id)]:
                    errors.setdefault(block_id, found)
    except FuturesTimeout:
        for future, (what, an_id) in futures.items():
            if not future.done():
                for block_id in wanted[(what, an_id)]:
                    errors.setdefault(block_id, NOT_CHECKED)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return errors


def resolve_users(client: WebClient, refs: Sequence[str]) -> dict[str, str | None]:
    """`U…` ids and `email:` references → the member's id, or None when not in the workspace
    (unknown, deactivated). Each person is asked about once."""
    found: dict[str, str | None] = {}
    for ref in refs:
        try:
            if ref.startswith("email:"):
                user = client.users_lookupByEmail(email=ref.removeprefix("email:"))["user"]
            else:
                user = client.users_info(user=ref)["user"]
        except SlackApiError as error:
            if error.response.get("error") in ("users_not_found", "user_not_found"):
                found[ref] = None
                continue
            raise
        found[ref] = None if user.get("deleted") or user.get("is_bot") else str(user["id"])
    return found


def register(app: App, deps: Deps) -> None:
    known = KNOWN

    @app.middleware
    def real_people(body: dict[str, Any], client: WebClient, next: Callable[[], Any]) -> Any:
        view = body.get("view") if body.get("type") == "view_submission" else None
        if not isinstance(view, dict):
            return next()
        team = body.get("team")
        team_id = str((team.get("id") if isinstance(team, dict) else None) or "")
        errors = errors_in(deps, known, client, team_id, view)
        if not errors:
            return next()
        locale = deps.settings.default_locale
        project_id = project_in(view, deps)
        if project_id is not None:
            with deps.reader() as uow:
                project = uow.projects.get(team_id, project_id)
                locale = project.locale if project is not None else locale
        tr = translator(locale)
        answer = {"response_action": "errors", "errors": {k: tr(v) for k, v in errors.items()}}
        log.info("refused a submission naming %d unknown id(s)", len(errors))
        return BoltResponse(
            status=200, body=json.dumps(answer), headers={"content-type": "application/json"}
        )
