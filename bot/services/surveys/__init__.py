"""Surveys: creating them, answering once, closing, results, and what the jobs must send.

Who answered (`SurveyParticipant`) is kept apart from what was answered (`SurveyResponse`,
see `storage/models/surveys.py`). Results go through `survey_results.tally`, which
suppresses every slice under the project's anonymity minimum.

The package: `forms` (what the modals submit and its checks), `creating` (a new survey and
its participants), `answering` (answering once, sealed answers released in groups),
`results` (closing, results, the list), `sending` (what the jobs send, and when),
`scores` (per-department CSAT and NPS for the scorecard). Everything public is importable
from `bot.services.surveys`.
"""

from bot.services.surveys.answering import (
    OpenSurvey,
    find_survey,
    is_open,
    open_with_counts,
    release_pending,
    submit_answer,
    survey_to_answer,
    thresholds,
)
from bot.services.surveys.creating import (
    check_setup,
    create_survey,
)
from bot.services.surveys.forms import (
    ANONYMOUS,
    LIVE,
    MAX_ASKED,
    MAX_CHOICES,
    MAX_PROMPT,
    MAX_QUESTIONS,
    MAX_TEXT_ANSWER,
    MAX_TITLE,
    REMINDER_LEAD,
    Created,
    QuestionForm,
    SurveyField,
    SurveyForm,
    answer_block,
    privacy_note,
    question_block,
    validate_questions,
    validate_setup,
)
from bot.services.surveys.results import (
    SurveyRow,
    close_survey,
    compute_results,
    list_surveys,
    visible_results,
)
from bot.services.surveys.scores import (
    DepartmentSurveyScore,
    department_scores,
)
from bot.services.surveys.sending import (
    NEVER,
    SurveyTimes,
    close_due,
    due_reminders,
    pending_invitations,
    survey_times,
)

__all__ = [
    "ANONYMOUS",
    "LIVE",
    "MAX_ASKED",
    "MAX_CHOICES",
    "MAX_PROMPT",
    "MAX_QUESTIONS",
    "MAX_TEXT_ANSWER",
    "MAX_TITLE",
    "NEVER",
    "REMINDER_LEAD",
    "Created",
    "DepartmentSurveyScore",
    "OpenSurvey",
    "QuestionForm",
    "SurveyField",
    "SurveyForm",
    "SurveyRow",
    "SurveyTimes",
    "answer_block",
    "check_setup",
    "close_due",
    "close_survey",
    "compute_results",
    "create_survey",
    "department_scores",
    "due_reminders",
    "find_survey",
    "is_open",
    "list_surveys",
    "open_with_counts",
    "pending_invitations",
    "privacy_note",
    "question_block",
    "release_pending",
    "submit_answer",
    "survey_times",
    "survey_to_answer",
    "thresholds",
    "validate_questions",
    "validate_setup",
    "visible_results",
]
