"""Callback and action ids of the survey surfaces."""

from __future__ import annotations

from enum import StrEnum


class SurveyView(StrEnum):
    NEW = "survey_new"
    QUESTIONS = "survey_questions"
    ANSWER = "survey_answer"


class SurveyAction(StrEnum):
    ANSWER = "survey_answer"
    ADD_QUESTION = "survey_add_question"
