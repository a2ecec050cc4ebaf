"""Block Kit for surveys: pure functions of data and a translator (messages and modals)."""

from __future__ import annotations

from handlers.surveys.views.messages import KIND_LABEL as KIND_LABEL
from handlers.surveys.views.messages import _comment as _comment  # tests/unit/test_text.py
from handlers.surveys.views.messages import invitation as invitation
from handlers.surveys.views.messages import list_blocks as list_blocks
from handlers.surveys.views.messages import results_blocks as results_blocks
from handlers.surveys.views.modals import answer_modal as answer_modal
from handlers.surveys.views.modals import new_survey_modal as new_survey_modal
from handlers.surveys.views.modals import questions_modal as questions_modal
