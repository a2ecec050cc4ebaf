"""`/icrm export funds|risks|feedback|reports [from] [to]`: a CSV file in the PM's DM.

The permission and the arguments are checked at once; the file is written to a temporary
file on disk and streamed to Slack, then deleted.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from bot.i18n import Translator, _
from bot.services import export, export_xlsx
from handlers.files import upload
from handlers.routing import Invocation

log = logging.getLogger("icrm.export")


def run(inv: Invocation) -> None:
    assert inv.project is not None  # the route needs a project
    project, caller, deps, tr = inv.project, inv.caller, inv.deps, inv.project.tr
    request = export.parse_request(inv.words)
    with deps.uow() as uow:
        export.check_export(
            uow, team_id=caller.team_id, project_id=project.id, user_id=caller.user_id
        )
    notice = tr(
        _("Preparing the {kind} export of {code}; it will arrive in our DM."),
        kind=export.KIND_LABEL[request.kind],
        code=project.code,
    )
    inv.later(lambda: _send(inv, request), notice=notice)


def _send(inv: Invocation, request: export.ExportRequest) -> None:
    """Write the export to a temporary file and upload it to the caller's DM (slow)."""
    assert inv.project is not None
    project, caller, deps, tr = inv.project, inv.caller, inv.deps, inv.project.tr
    handle, name = tempfile.mkstemp(
        prefix="icrm-export-", suffix=".xlsx" if request.xlsx else ".csv"
    )
    os.close(handle)
    path = Path(name)
    try:
        with deps.uow() as uow:
            write = export_xlsx.write_xlsx if request.xlsx else export.write_export
            rows = write(
                uow,
                team_id=caller.team_id,
                project_id=project.id,
                user_id=caller.user_id,
                request=request,
                tr=tr,
                path=path,
            )
        filename = request.filename(project.code)
        upload(
            inv.client,
            channel=caller.user_id,
            filename=filename,
            title=filename,
            path=path,
            comment=tr(
                _("{code}: {kind} export, {rows} rows ({span})."),
                code=project.code,
                kind=export.KIND_LABEL[request.kind],
                rows=rows,
                span=_span(request, tr),
            ),
        )
    finally:
        path.unlink(missing_ok=True)


def _span(request: export.ExportRequest, tr: Translator) -> str:
    if request.first and request.last:
        return tr(_("{first} to {last}"), first=request.first, last=request.last)
    if request.first:
        return tr(_("from {first}"), first=request.first)
    if request.last:
        return tr(_("until {last}"), last=request.last)
    return tr(_("everything"))
