"""Surveys: questions, who was asked and who answered (participants), and what was answered
(responses), kept apart so an answer cannot be traced back to a person.

`survey_responses` holds no user id (unless the PM turned anonymity off) and is only ever
inserted into. An anonymous answer first waits, sealed (`storage.sealing`) and padded, in
`survey_pending_answers`; once at least the survey's minimum group is waiting (or the survey
closes) they are released together: inserted in a shuffled order, with random ids and the
day of the release. So neither ids, rowids, row order, PostgreSQL's `xmin`, the day, nor the
WAL's history of the database tell which participant wrote which row (see the README).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, DepartmentLink, ProjectRef, children
from storage.types import UTCDateTime


class SurveyTemplate(StrEnum):
    CSAT = "csat"
    NPS = "nps"
    CUSTOM = "custom"


class QuestionKind(StrEnum):
    RATING = "rating"  # 1–5
    NPS = "nps"  # 0–10
    CHOICE = "choice"  # one of the question's choices
    TEXT = "text"  # free text, optional


# The survey a row belongs to, deleted with it: an indexed or a primary-key column.
SurveyRef = Annotated[int, mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)]
SurveyKey = Annotated[
    int, mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True)
]


class Survey(Base):
    __tablename__ = "surveys"
    __table_args__ = (Index("ix_surveys_project_closes_at", "project_id", "closes_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[ProjectRef]
    title: Mapped[str] = mapped_column(String(150))
    template: Mapped[str] = mapped_column(String(10))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    live_results: Mapped[bool] = mapped_column(Boolean, default=False)
    opens_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # What the PM chose, for display; participants are resolved from it at creation.
    audience_department_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    audience_user_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    rated_department_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    # The project's thresholds, frozen when the survey is set up: the privacy note sent to
    # respondents states them, so a later change of the project's settings cannot lower them.
    # Empty on surveys from before this was kept (the project's current values apply).
    anonymity_min: Mapped[int | None] = mapped_column(Integer)
    comment_anonymity_min: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # Set when closed early by a PM or by the close job; results are then visible.
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(32))
    # Set once the results were posted to the command channel, so they are posted once.
    results_posted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    questions: Mapped[list[SurveyQuestion]] = children(
        "survey", order_by="SurveyQuestion.position", lazy="selectin"
    )


class SurveyQuestion(Base):
    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[SurveyRef]
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    prompt: Mapped[str] = mapped_column(Text)
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The rated department this question is about (CSAT/NPS questions), if any.
    department_id: Mapped[DepartmentLink]

    survey: Mapped[Survey] = relationship(back_populates="questions")


class SurveyParticipant(Base):
    """One member of the audience: was the invitation / reminder sent, did they answer.

    Holds *that* someone answered, never *what*: that is in `SurveyResponse`.
    """

    __tablename__ = "survey_participants"

    survey_id: Mapped[SurveyKey]
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
    # The audience department they were invited through (None: named individually).
    department_id: Mapped[DepartmentLink]
    invited_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)


class SurveyResponse(Base):
    """One person's answers, with nothing that says whose (see the module docstring)."""

    __tablename__ = "survey_responses"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, not a sequence
    survey_id: Mapped[SurveyRef]
    answered_on: Mapped[dt.date] = mapped_column(Date)  # the day only
    # The respondent's audience department: the slice results are broken down by.
    department_id: Mapped[DepartmentLink]
    # Only for surveys the PM made non-anonymous.
    respondent: Mapped[str | None] = mapped_column(String(32))
    # question id (as a string) → the answer: an int for rating/NPS, the choice index for a
    # choice question, the text for free text.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)


class SurveyPendingAnswer(Base):
    """An anonymous answer waiting to be released with others: sealed with a key that is
    not in the database, padded to one size. No time, no user, a random id."""

    __tablename__ = "survey_pending_answers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random
    survey_id: Mapped[SurveyRef]
    sealed: Mapped[str] = mapped_column(Text)
