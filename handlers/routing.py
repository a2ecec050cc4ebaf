"""Slash-command routing shared by every command: subcommands, help, and which project.

A command run in a project's channel is about that project. Elsewhere (a DM, another
channel) the user's only project is used, or, when they have several, an ephemeral picker
asks which one and re-runs the command for it.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import NotFound
from bot.i18n import Translator, _, translator
from handlers import blocks as b
from handlers.answer import Answer
from handlers.common import Caller
from handlers.errors import guarded, speak
from handlers.help import help_blocks
from handlers.ids import Action, Command
from handlers.payloads import pack, unpack
from handlers.text import unescape

log = logging.getLogger("icrm.routing")


@dataclass(frozen=True)
class ProjectRef:
    """What the Slack edge needs to know about the project a request is about."""

    id: int
    team_id: str
    code: str
    name: str
    channel_id: str
    locale: str
    currency: str
    timezone: str
    pm_ids: tuple[str, ...]

    @property
    def tr(self) -> Translator:
        return translator(self.locale)


@dataclass(frozen=True)
class Invocation:
    """One run of a subcommand: who, where, the words after the subcommand, which project."""

    deps: Deps
    client: WebClient
    caller: Caller
    words: list[str]
    tr: Translator
    project: ProjectRef | None
    command: str
    answer: Answer | None = None

    @property
    def required_project(self) -> ProjectRef:
        """The project, for a `Sub` that needs one (as all do but `needs_project=False`):
        the kit found it before `run`."""
        assert self.project is not None, "a Sub(needs_project=False) has no project"
        return self.project

    def open_modal(self, view: Any) -> None:
        """Open `view` on the command's trigger (valid 3 s, once: nothing slow before it)."""
        self.client.views_open(trigger_id=self.caller.trigger_id, view=view)

    def reply(self, text: str, blocks: list[Any] | None = None) -> None:
        """Answer the caller only: on the acknowledgement while it is open (a quick
        subcommand), else through the `response_url` (see `handlers.answer`)."""
        self._answer().reply(text, blocks)

    def later(self, work: Callable[[], object], *, notice: str | None = None) -> bool:
        """Acknowledge now and run the slow `work` on `deps.background`; False when the
        pool is full (the caller was told to try again)."""
        return self._answer().later(self.deps.background, work, notice=notice)

    def _answer(self) -> Answer:
        return self.answer or Answer(None, self.client, self.caller, self.tr)


@dataclass(frozen=True)
class Sub:
    """A subcommand. `run` is called before the acknowledgement: it answers with
    `Invocation.reply` (riding on the ack) and hands slow work to `Invocation.later`."""

    run: Callable[[Invocation], None]
    needs_project: bool = True


# command → subcommand word → Sub; filled by `slash_command`, read by the project picker.
ROUTES: dict[str, dict[str, Sub]] = {}


def ref_of(project: Any) -> ProjectRef:
    return ProjectRef(
        id=project.id,
        team_id=project.team_id,
        code=project.code,
        name=project.name,
        channel_id=project.channel_id,
        locale=project.locale,
        currency=project.currency,
        timezone=project.timezone,
        pm_ids=tuple(project.pm_ids),
    )


class _RefCache:
    """Channel → project for the edge, kept a few seconds per process.

    Every slash command first asks which project its channel belongs to; remembering the
    answer briefly spares a database round trip on the acknowledgement path. Only found
    projects are kept (a new project is seen at once), an edit through `/icrm setup` forgets
    its entry here, and other processes see it after `TTL` at most. The reference only
    chooses the project and the language: every permission is checked again by the services.
    """

    TTL = 30.0
    SIZE = 4096

    def __init__(self) -> None:
        self._items: dict[tuple[str, str], tuple[float, ProjectRef]] = {}
        self._lock = threading.Lock()

    def get(self, team_id: str, channel_id: str) -> ProjectRef | None:
        with self._lock:
            found = self._items.get((team_id, channel_id))
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    def put(self, ref: ProjectRef) -> None:
        with self._lock:
            if len(self._items) >= self.SIZE:
                self._items.clear()
            self._items[(ref.team_id, ref.channel_id)] = (time.monotonic() + self.TTL, ref)

    def forget(self, team_id: str, channel_id: str) -> None:
        with self._lock:
            self._items.pop((team_id, channel_id), None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


REFS = _RefCache()


def project_here(deps: Deps, caller: Caller) -> ProjectRef | None:
    """The project of the caller's channel, if the channel has one."""
    if not caller.channel_id:
        return None
    cached = REFS.get(caller.team_id, caller.channel_id)
    if cached is not None:
        return cached
    with deps.reader() as uow:
        project = uow.projects.by_channel(caller.team_id, caller.channel_id)
        ref = ref_of(project) if project is not None else None
    if ref is not None:
        REFS.put(ref)
    return ref


def projects_of(deps: Deps, caller: Caller) -> list[ProjectRef]:
    with deps.reader() as uow:
        return [ref_of(p) for p in uow.projects.for_user(caller.team_id, caller.user_id)]


def own_projects(deps: Deps, caller: Caller) -> list[ProjectRef]:
    """The caller's projects, for a request from a channel that has none: their only one,
    or those to pick from. `NotFound` (saying how to join one) when they are in none."""
    mine = projects_of(deps, caller)
    if not mine:
        raise NotFound(
            _(
                "You are not in any project yet. Ask a PM to add you to a department, or run `/icrm setup` in a channel to start one."
            )
        )
    return mine


def project_by_id(deps: Deps, team_id: str, project_id: int) -> ProjectRef | None:
    with deps.uow() as uow:
        project = uow.projects.get(team_id, project_id)
        return ref_of(project) if project is not None else None


def find_project(deps: Deps, team_id: str, project_id: int) -> ProjectRef:
    """The project a button, modal or job message is about (in the caller's workspace):
    the one way every listener finds it (`handlers.kit.Request.about`). Raises `NotFound`
    when it is gone."""
    project = project_by_id(deps, team_id, project_id)
    if project is None:
        raise NotFound(_("That project no longer exists."))
    return project


def find_project_by_code(deps: Deps, team_id: str, code: str) -> ProjectRef:
    """The active project with this code in the workspace (a Workflow Builder step names
    its project by code), or `NotFound`."""
    code = code.strip().upper()
    with deps.reader() as uow:
        project = uow.projects.by_code(team_id, code) if code else None
        if project is None or not project.active:
            raise NotFound(
                _("There is no project {code} in this workspace.", code=code[:20] or "—")
            )
        return ref_of(project)


def _picker(
    deps: Deps, command: str, text: str, projects: list[ProjectRef], tr: Translator
) -> tuple[str, list[Any]]:
    prompt = tr(
        _("Which project is this about? (Run the command in a project's channel to skip this.)")
    )
    buttons = [
        b.button(
            f"{p.code} · {p.name}",
            b.indexed(Action.PICK_PROJECT, i),
            pack(deps, json.dumps({"c": command, "t": text, "p": p.id}, ensure_ascii=False)),
        )
        for i, p in enumerate(projects[:25])
    ]
    return prompt, [b.section(prompt), b.actions(*buttons)]


@functools.lru_cache(maxsize=64)
def _help(command: str, locale: str) -> tuple[str, list[Any]]:
    """A command's help, rendered to JSON-ready dicts once per language: the most frequent
    answer of all costs neither Block Kit building nor validation on each request."""
    text, blocks = help_blocks(command, translator(locale))
    return text, [block.to_dict() for block in blocks]


def slash_command(
    app: App, deps: Deps, command: Command, subs: dict[str, Sub], *, default: str = "help"
) -> None:
    """Register `command`: the first word picks a `Sub` (no word: `default`); `help` and any
    unknown word answer with the command's help."""
    ROUTES[command] = subs

    @app.command(command)
    @guarded(deps)
    def run(ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
        caller = Caller.of(body)
        # Slack sends the text escaped (`R&D` as `R&amp;D`); the picker keeps it so, and
        # each path decodes it once.
        text = (body.get("text") or "").strip()
        words = unescape(text).split()
        word = words[0].lower() if words else default
        here = project_here(deps, caller)
        tr = speak(context, here.locale if here else deps.settings.default_locale)
        sub = subs.get(word)
        if sub is None:
            if word == "help":
                answer, blocks = _help(command, tr.locale)
            else:
                answer, blocks = help_blocks(command, tr, unknown=word)
            ack(text=answer, blocks=blocks, response_type="ephemeral")
            return
        project = here
        if sub.needs_project and project is None:
            mine = own_projects(deps, caller)
            if len(mine) > 1:
                answer, blocks = _picker(deps, command, text, mine, tr)
                ack(text=answer, blocks=blocks, response_type="ephemeral")
                return
            project = mine[0]
            tr = speak(context, project.locale)
        answering = Answer(ack, client, caller, tr)
        sub.run(Invocation(deps, client, caller, words[1:], tr, project, command, answering))
        answering.acknowledge()  # a subcommand that only opened a modal, or said nothing


def register(app: App, deps: Deps) -> None:
    # The kit imports this module (for `slash_command` and `find_project`), so its `button`
    # is imported once the modules are loaded.
    from handlers.kit import Request, button

    @button(app, deps, Action.PICK_PROJECT)
    def picked(req: Request) -> None:
        """Run the command again, as typed, for the project picked (in its language)."""
        choice = json.loads(unpack(deps, str(req.action["value"])))
        project = req.about(int(choice["p"]))
        words = unescape(str(choice["t"])).split()
        sub = ROUTES.get(choice["c"], {}).get(words[0].lower() if words else "")
        if sub is None:
            return
        caller = replace(req.caller, channel_id=req.caller.channel_id or project.channel_id)
        sub.run(Invocation(deps, req.client, caller, words[1:], project.tr, project, choice["c"]))
