"""Who may export, and writing an export to a file (CSV, or `xlsx`)."""

from __future__ import annotations

import csv
from pathlib import Path

from bot.errors import UserError
from bot.i18n import Translator, _
from bot.services.export.cells import ENCODING
from bot.services.export.request import KIND_LABEL, ExportRequest
from bot.services.export.sheets import SHEETS
from bot.services.export.xlsx import write_book
from bot.services.projects import pm_project
from storage.models import Project
from storage.uow import UnitOfWork


def check_export(uow: UnitOfWork, *, team_id: str, project_id: int, user_id: str) -> Project:
    """The project, if `user_id` may export it (its PMs only; `PermissionDenied` names them)."""
    return pm_project(uow, team_id, project_id, user_id)


def write_export(
    uow: UnitOfWork,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    request: ExportRequest,
    tr: Translator,
    path: Path,
) -> int:
    """Write the export to `path` as CSV, or as an Excel workbook when `request.xlsx` (header
    translated with `tr`); the number of data rows. PMs only. Reads and writes in batches:
    memory does not grow with the row count."""
    project = check_export(uow, team_id=team_id, project_id=project_id, user_id=user_id)
    sheet = SHEETS.get(request.kind)
    if sheet is None:
        raise UserError(_("Exporting {kind} is not available yet.", kind=KIND_LABEL[request.kind]))
    header = [tr(h) for h in sheet.header]
    rows = sheet.rows(uow, project, request)
    if request.xlsx:
        return write_book(project, request, header, rows, tr, path)
    count = 0
    with path.open("w", encoding=ENCODING, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count
