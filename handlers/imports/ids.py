"""Callback, block and action ids of the import flow."""

from __future__ import annotations

from enum import StrEnum


class ImportView(StrEnum):
    """`callback_id` of each import modal."""

    FILE = "import_file"  # what to import and the file
    PREVIEW = "import_preview"  # the preview; submitting it applies the import
    DONE = "import_done"  # working / applied / failed: nothing to submit


class ImportBlock(StrEnum):
    CHOICE = "import_choice"
    FILE = "import_file"
