"""`/icrm import [template <kind>]`: the file modal, or a template in the DM (the modals'
steps are in `actions`)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pydantic import BaseModel

from bot.errors import UserError
from bot.i18n import _
from bot.imports.schema import Choice, Table
from bot.imports.xlsx import write_template
from bot.services import imports
from handlers.common import tell
from handlers.files import upload
from handlers.imports import views
from handlers.kit import Invocation

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
    project = inv.required_project
    words = [w.lower() for w in inv.words]
    if words and words[0] == "template":
        send_template(inv, words[1:])
        return
    if words:
        raise UserError(_("Use {usage}", usage=USAGE))
    with inv.deps.reader() as uow:
        imports.check_importer(
            uow, team_id=inv.caller.team_id, project_id=project.id, user_id=inv.caller.user_id
        )
    view = views.file_modal(project.tr, metadata=FileMeta(project_id=project.id).model_dump_json())
    inv.open_modal(view)


def send_template(inv: Invocation, words: list[str]) -> None:
    project = inv.required_project
    tables = TEMPLATES.get(words[0]) if len(words) == 1 else None
    if tables is None:
        raise UserError(_("Say which template: {usage}", usage=USAGE))
    tr = project.tr
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
