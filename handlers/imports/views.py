"""Block Kit of the import flow: the file modal, the preview, and the outcome (pure functions)."""

from __future__ import annotations

from typing import Any, Final

from bot.i18n import Msg, Translator, _
from bot.imports.parse import Problem
from bot.imports.schema import CHOICE_LABEL, TABLE_LABEL, Choice, Table
from bot.services.imports import Plan
from handlers import blocks as b
from handlers.ids import VALUE
from handlers.imports.ids import ImportBlock, ImportView

SHOWN_PROBLEMS: Final = 60  # the rest are counted: the modal stays within its 100 blocks
_SECTION: Final = 2900


def esc(text: str) -> str:
    """User text made safe for mrkdwn: `&`, `<`, `>` are Slack's control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _modal(
    callback_id: str,
    title: str,
    blocks: list[dict[str, Any]],
    *,
    submit: str | None,
    close: str,
    metadata: str = "",
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": b.clip(title, 24)},
        "close": {"type": "plain_text", "text": b.clip(close, 24)},
        "blocks": blocks[: b.MAX_BLOCKS],
        "private_metadata": metadata,
    }
    if submit:
        view["submit"] = {"type": "plain_text", "text": b.clip(submit, 24)}
    return view


def file_modal(tr: Translator, *, metadata: str, choice: str = Choice.ALL) -> dict[str, Any]:
    """What to import and the file (`file_input`, one .xlsx or .csv)."""
    choices = [(c.value, tr(CHOICE_LABEL[c])) for c in Choice]
    return _modal(
        ImportView.FILE,
        tr(_("Import data")),
        [
            b.section(
                tr(
                    _(
                        "Upload an .xlsx workbook or a .csv file (at most 5 MB). Nothing is saved before you see a preview. For a template: `/icrm import template budget|departments|sources|history`."
                    )
                )
            ).to_dict(),
            b.select_input(
                ImportBlock.CHOICE, tr(_("What to import")), choices, initial=choice
            ).to_dict(),
            {
                "type": "input",
                "block_id": ImportBlock.FILE,
                "label": {"type": "plain_text", "text": tr(_("File"))},
                "element": {
                    "type": "file_input",
                    "action_id": VALUE,
                    "filetypes": ["xlsx", "csv"],
                    "max_files": 1,
                },
            },
        ],
        submit=tr(_("Preview")),
        close=tr(_("Cancel")),
        metadata=metadata,
    )


def message_modal(tr: Translator, text: str) -> dict[str, Any]:
    """A modal with one message and nothing to submit (working…, done, failed)."""
    return _modal(
        ImportView.DONE,
        tr(_("Import data")),
        [b.section(text).to_dict()],
        submit=None,
        close=tr(_("Close")),
    )


def problem_line(problem: Problem, tr: Translator) -> str:
    message = tr(problem.message)
    if problem.row is not None and problem.column is not None:
        text = tr(
            _("{sheet}, row {row}, {column}: {text}"),
            sheet=problem.sheet,
            row=problem.row,
            column=tr(problem.column),
            text=message,
        )
    elif problem.row is not None:
        text = tr(
            _("{sheet}, row {row}: {text}"), sheet=problem.sheet, row=problem.row, text=message
        )
    else:
        text = tr(_("{sheet}: {text}"), sheet=problem.sheet, text=message)
    return "• " + esc(text)


def _count_lines(plan: Plan, tr: Translator, message: Msg) -> list[str]:
    """`message` with each table's counts, for the tables the plan has counts of."""
    lines = []
    for table in Table:
        counts = plan.counts.get(table)
        if counts is not None:
            lines.append(
                tr(
                    message,
                    table=tr(TABLE_LABEL[table]),
                    create=counts.create,
                    update=counts.update,
                    unchanged=counts.unchanged,
                )
            )
    return lines


def _counts(plan: Plan, tr: Translator) -> list[dict[str, Any]]:
    planned = _("*{table}*: {create} to create · {update} to update · {unchanged} unchanged")
    return [b.section(line).to_dict() for line in _count_lines(plan, tr, planned)]


def preview_modal(plan: Plan, tr: Translator, *, filename: str, metadata: str) -> dict[str, Any]:
    """What applying would do; **Apply** only when the file has no problem and changes something."""
    blocks: list[dict[str, Any]] = [
        b.section(tr(_("*{name}*"), name=esc(filename))).to_dict(),
        *_counts(plan, tr),
    ]
    submit: str | None = None
    if plan.problems:
        blocks.append(b.divider().to_dict())
        blocks.append(
            b.section(
                tr(
                    _(
                        "⚠️ {n} problems: nothing will be saved. Fix them in the file and upload it again with `/icrm import`."
                    ),
                    n=len(plan.problems),
                )
            ).to_dict()
        )
        chunk = ""
        for problem in plan.problems[:SHOWN_PROBLEMS]:
            line = problem_line(problem, tr)[:500]
            if len(chunk) + len(line) + 1 > _SECTION:
                blocks.append(b.section(chunk).to_dict())
                chunk = ""
            chunk = f"{chunk}\n{line}" if chunk else line
        if chunk:
            blocks.append(b.section(chunk).to_dict())
        if len(plan.problems) > SHOWN_PROBLEMS:
            blocks.append(
                b.context(tr(_("…and {n} more."), n=len(plan.problems) - SHOWN_PROBLEMS)).to_dict()
            )
    elif not plan.changes:
        blocks.append(
            b.section(tr(_("Nothing to change: the project already matches the file."))).to_dict()
        )
    else:
        blocks.append(
            b.context(
                tr(_("*Apply* saves every row in one go, or none if anything fails."))
            ).to_dict()
        )
        submit = tr(_("Apply"))
    return _modal(
        ImportView.PREVIEW,
        tr(_("Import preview")),
        blocks,
        submit=submit,
        close=tr(_("Close")),
        metadata=metadata,
    )


def applied_text(plan: Plan, tr: Translator, *, filename: str) -> str:
    done = _("*{table}*: {create} created · {update} updated · {unchanged} unchanged")
    lines = [tr(_("✅ Imported *{name}*."), name=esc(filename)), *_count_lines(plan, tr, done)]
    return "\n".join(lines)
