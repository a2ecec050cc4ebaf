"""`/icrm import [template <kind>]` and its modals: file → preview → apply.

The parsed rows are not kept between the preview and the apply: the preview's metadata holds
the Slack file id and a digest of its bytes (a few dozen characters), and **Apply** fetches
the file again, parses it again and plans again inside the transaction that applies it. A
Slack file's bytes never change, so the apply does exactly what the preview showed unless the
project changed in between — and then it does what is right for the project as it is now.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import UserError
from bot.i18n import Translator, _
from bot.imports.parse import Parsed, parse_file
from bot.imports.read import check_file
from bot.imports.schema import CHOICE_TABLES, Choice
from bot.services import imports
from bot.services.funds import project_today
from handlers import files, people
from handlers.common import Caller
from handlers.ids import VALUE
from handlers.imports import views
from handlers.imports.commands import FileMeta, PreviewMeta
from handlers.imports.ids import ImportBlock, ImportView
from handlers.kit import Request, modal

log = logging.getLogger("icrm.imports")


@dataclass(frozen=True)
class _Read:
    upload: files.Upload
    parsed: Parsed
    users: dict[str, str | None]
    digest: str


def _read(
    deps: Deps, client: WebClient, caller: Caller, project_id: int, file_id: str, choice: Choice
) -> _Read:
    got = files.download(client, file_id)
    with deps.reader() as uow:
        project = imports.check_importer(
            uow, team_id=caller.team_id, project_id=project_id, user_id=caller.user_id
        )
        currency, today = project.currency, project_today(project, deps.now())
    parsed = parse_file(
        got.name, got.content, tables=CHOICE_TABLES[choice], currency=currency, today=today
    )
    users = people.resolve_users(client, imports.user_refs(parsed))
    return _Read(got, parsed, users, hashlib.sha256(got.content).hexdigest()[:32])


def _selected_file(view: dict[str, Any]) -> dict[str, Any] | None:
    state = view.get("state", {}).get("values", {})
    files = (state.get(ImportBlock.FILE, {}).get(VALUE) or {}).get("files") or []
    return dict(files[0]) if files else None


def _failed(client: WebClient, view_id: str, tr: Translator) -> None:
    """The modal must not stay on "Importing…" when something unexpected broke (the error
    itself is logged and reported by `guarded`)."""
    text = tr(_("Something went wrong and nothing was imported. Try again in a minute."))
    try:
        client.views_update(view_id=view_id, view=views.message_modal(tr, text))
    except Exception:
        log.exception("could not update the import modal")


def _nothing_imported(req: Request, view_id: str, error: UserError) -> None:
    tr = req.tr
    failed = tr(_("Nothing was imported: {reason}"), reason=tr(error.message))
    req.client.views_update(view_id=view_id, view=views.message_modal(tr, views.esc(failed)))


def _in_modal(req: Request, tr: Translator, busy: str, work: Callable[[], dict[str, Any]]) -> None:
    """Show `busy` in the submitted modal while `work` runs, then the view it returns. When
    it fails the modal says so: why nothing was imported (a `UserError`), or that something
    broke (the error is raised again, for `guarded` to log and report)."""
    req.close(response_action="update", view=views.message_modal(tr, busy))
    view_id = req.view["id"]
    try:
        result = work()
    except UserError as error:
        _nothing_imported(req, view_id, error)
        return
    except Exception:
        _failed(req.client, view_id, tr)
        raise
    req.client.views_update(view_id=view_id, view=result)


def register(app: App, deps: Deps) -> None:
    register_file(app, deps)
    register_preview(app, deps)


def register_file(app: App, deps: Deps) -> None:
    @modal(app, deps, ImportView.FILE, refusal=UserError, refusal_on=ImportBlock.FILE)
    def submit_file(req: Request) -> None:
        caller, meta = req.caller, req.meta(FileMeta)
        tr = req.about(meta.project_id).tr
        chosen = _selected_file(req.view)
        choice = Choice(req.values.get(ImportBlock.CHOICE) or Choice.ALL)
        if chosen is None:
            raise UserError(_("Choose a file to import."))
        check_file(str(chosen.get("name") or ""), chosen.get("size"))

        def preview() -> dict[str, Any]:
            got = _read(deps, req.client, caller, meta.project_id, str(chosen["id"]), choice)
            with deps.uow() as uow:
                plan = imports.plan_import(
                    uow,
                    **caller.acting(meta.project_id),
                    parsed=got.parsed,
                    users=got.users,
                    now=deps.now(),
                )
            metadata = PreviewMeta(
                project_id=meta.project_id, file_id=got.upload.id, choice=choice, digest=got.digest
            ).model_dump_json()
            return views.preview_modal(plan, tr, filename=got.upload.name, metadata=metadata)

        _in_modal(req, tr, tr(_("Reading the file…")), preview)


def register_preview(app: App, deps: Deps) -> None:
    @modal(app, deps, ImportView.PREVIEW)
    def submit_preview(req: Request) -> None:
        caller, meta = req.caller, req.meta(PreviewMeta)
        tr = req.about(meta.project_id).tr

        def apply() -> dict[str, Any]:
            got = _read(deps, req.client, caller, meta.project_id, meta.file_id, meta.choice)
            if got.digest != meta.digest:
                raise UserError(_("The file changed since the preview. Run `/icrm import` again."))
            with deps.uow() as uow:
                plan = imports.apply_import(
                    uow,
                    **caller.acting(meta.project_id),
                    parsed=got.parsed,
                    users=got.users,
                    now=deps.now(),
                    file_ref=meta.file_id,
                )
            if plan.problems or not plan.changes:
                return views.preview_modal(plan, tr, filename=got.upload.name, metadata="")
            log.info(
                "import %s applied to project %s: %s", meta.file_id, meta.project_id, plan.summary()
            )
            return views.message_modal(tr, views.applied_text(plan, tr, filename=got.upload.name))

        _in_modal(req, tr, tr(_("Importing…")), apply)
