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
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.errors import UserError
from bot.i18n import Translator, _, translator
from bot.imports.parse import Parsed, parse_file
from bot.imports.read import check_file
from bot.imports.schema import CHOICE_TABLES, Choice, Table
from bot.imports.xlsx import write_template
from bot.services import imports
from bot.services.funds import project_today
from handlers.common import Caller, read_state, tell
from handlers.errors import guarded
from handlers.files import upload
from handlers.ids import VALUE
from handlers.imports import fetch, views
from handlers.imports.ids import ImportBlock, ImportView
from handlers.routing import Invocation

log = logging.getLogger("icrm.imports")

TEMPLATES: dict[str, tuple[Table, ...]] = {
    "budget": (Table.BUDGET,),
    "departments": (Table.DEPARTMENTS,),
    "sources": (Table.SOURCES, Table.DRAWDOWNS),
    "history": (Table.HISTORY,),
    "all": tuple(Table),
}
USAGE = "`/icrm import` · `/icrm import template budget|departments|sources|history|all`"


class FileMeta(BaseModel):
    project_id: int


class PreviewMeta(BaseModel):
    project_id: int
    file_id: str
    choice: Choice
    digest: str


def run(inv: Invocation) -> None:
    """`/icrm import` opens the file modal; `/icrm import template <kind>` sends a template."""
    assert inv.project is not None
    words = [w.lower() for w in inv.words]
    if words and words[0] == "template":
        send_template(inv, words[1:])
        return
    if words:
        raise UserError(_("Use {usage}", usage=USAGE))
    with inv.deps.reader() as uow:
        imports.check_importer(
            uow, team_id=inv.caller.team_id, project_id=inv.project.id, user_id=inv.caller.user_id
        )
    view = views.file_modal(
        inv.project.tr, metadata=FileMeta(project_id=inv.project.id).model_dump_json()
    )
    inv.client.views_open(trigger_id=inv.caller.trigger_id, view=view)


def send_template(inv: Invocation, words: list[str]) -> None:
    assert inv.project is not None
    tables = TEMPLATES.get(words[0]) if len(words) == 1 else None
    if tables is None:
        raise UserError(_("Say which template: {usage}", usage=USAGE))
    project, tr = inv.project, inv.project.tr
    handle, name = tempfile.mkstemp(prefix="icrm-template-", suffix=".xlsx")
    os.close(handle)
    path = Path(name)
    try:
        write_template(path, tables, tr, project.currency)
        filename = f"{project.code}-import-{words[0]}.xlsx"
        upload(
            inv.client,
            channel=inv.caller.user_id,
            filename=filename,
            title=filename,
            path=path,
            comment=tr(
                _(
                    "{code}: the import template. Fill in the rows (the row starting with # is a note and is skipped), then `/icrm import`."
                ),
                code=project.code,
            ),
        )
    finally:
        path.unlink(missing_ok=True)
    tell(inv.client, inv.caller, tr(_("The template is in our DM.")))


@dataclass(frozen=True)
class _Read:
    upload: fetch.Upload
    parsed: Parsed
    users: dict[str, str | None]
    digest: str


def _read(
    deps: Deps, client: WebClient, caller: Caller, project_id: int, file_id: str, choice: Choice
) -> _Read:
    got = fetch.download(client, file_id)
    with deps.reader() as uow:
        project = imports.check_importer(
            uow, team_id=caller.team_id, project_id=project_id, user_id=caller.user_id
        )
        currency, today = project.currency, project_today(project, deps.now())
    parsed = parse_file(
        got.name, got.content, tables=CHOICE_TABLES[choice], currency=currency, today=today
    )
    users = fetch.resolve_users(client, imports.user_refs(parsed))
    return _Read(got, parsed, users, hashlib.sha256(got.content).hexdigest()[:32])


def _project_tr(deps: Deps, team_id: str, project_id: int) -> Translator:
    with deps.reader() as uow:
        project = uow.projects.get(team_id, project_id)
        return translator(project.locale if project else deps.settings.default_locale)


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


def register(app: App, deps: Deps) -> None:
    @app.view(ImportView.FILE)
    @guarded(deps)
    def submit_file(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        caller = Caller.of(body)
        meta = FileMeta.model_validate_json(view["private_metadata"])
        tr = _project_tr(deps, caller.team_id, meta.project_id)
        context["locale"] = tr.locale
        chosen = _selected_file(view)
        choice = Choice(read_state(view).get(ImportBlock.CHOICE) or Choice.ALL)
        try:
            if chosen is None:
                raise UserError(_("Choose a file to import."))
            check_file(str(chosen.get("name") or ""), chosen.get("size"))
        except UserError as error:
            ack(response_action="errors", errors={ImportBlock.FILE: tr(error.message)[:150]})
            return
        ack(response_action="update", view=views.message_modal(tr, tr(_("Reading the file…"))))
        view_id = body["view"]["id"]
        try:
            got = _read(deps, client, caller, meta.project_id, str(chosen["id"]), choice)
            with deps.uow() as uow:
                plan = imports.plan_import(
                    uow,
                    team_id=caller.team_id,
                    project_id=meta.project_id,
                    user_id=caller.user_id,
                    parsed=got.parsed,
                    users=got.users,
                    now=deps.now(),
                )
        except UserError as error:
            failed = tr(_("Nothing was imported: {reason}"), reason=tr(error.message))
            client.views_update(view_id=view_id, view=views.message_modal(tr, views.esc(failed)))
            return
        except Exception:
            _failed(client, view_id, tr)
            raise
        metadata = PreviewMeta(
            project_id=meta.project_id, file_id=got.upload.id, choice=choice, digest=got.digest
        ).model_dump_json()
        client.views_update(
            view_id=view_id,
            view=views.preview_modal(plan, tr, filename=got.upload.name, metadata=metadata),
        )

    @app.view(ImportView.PREVIEW)
    @guarded(deps)
    def submit_preview(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        caller = Caller.of(body)
        meta = PreviewMeta.model_validate_json(view["private_metadata"])
        tr = _project_tr(deps, caller.team_id, meta.project_id)
        context["locale"] = tr.locale
        ack(response_action="update", view=views.message_modal(tr, tr(_("Importing…"))))
        view_id = body["view"]["id"]
        try:
            got = _read(deps, client, caller, meta.project_id, meta.file_id, meta.choice)
            if got.digest != meta.digest:
                raise UserError(_("The file changed since the preview. Run `/icrm import` again."))
            with deps.uow() as uow:
                plan = imports.apply_import(
                    uow,
                    team_id=caller.team_id,
                    project_id=meta.project_id,
                    user_id=caller.user_id,
                    parsed=got.parsed,
                    users=got.users,
                    now=deps.now(),
                    file_ref=meta.file_id,
                )
        except UserError as error:
            failed = tr(_("Nothing was imported: {reason}"), reason=tr(error.message))
            client.views_update(view_id=view_id, view=views.message_modal(tr, views.esc(failed)))
            return
        except Exception:
            _failed(client, view_id, tr)
            raise
        if plan.problems or not plan.changes:
            result = views.preview_modal(plan, tr, filename=got.upload.name, metadata="")
        else:
            log.info(
                "import %s applied to project %s: %s", meta.file_id, meta.project_id, plan.summary()
            )
            result = views.message_modal(tr, views.applied_text(plan, tr, filename=got.upload.name))
        client.views_update(view_id=view_id, view=result)
