"""Surveys, their participants and their (unlinkable) responses."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Sequence
from typing import Any, ClassVar, Protocol, TypeVar

from sqlalchemy import case, delete, func, insert, select
from sqlalchemy.orm import InstrumentedAttribute, Mapped

from storage.models import (
    Project,
    Survey,
    SurveyParticipant,
    SurveyPendingAnswer,
    SurveyResponse,
)
from storage.repositories.base import Repository


class _OfSurvey(Protocol):
    """A model with a survey's foreign key (the mapped column)."""

    survey_id: ClassVar[Mapped[int]]


_Row = TypeVar("_Row", bound=_OfSurvey)


class SurveyRepository(Repository):
    def _all_of_survey(
        self, model: type[_Row], survey_id: int, order: InstrumentedAttribute[Any]
    ) -> Sequence[_Row]:
        """Every `model` row of the survey, ordered by `order`."""
        return self.session.scalars(
            select(model).where(model.survey_id == survey_id).order_by(order)
        ).all()

    def add(self, survey: Survey) -> None:
        self.session.add(survey)

    def get(self, team_id: str, survey_id: int) -> Survey | None:
        survey = self.session.get(Survey, survey_id)
        if survey is None:
            return None
        project = self.session.get(Project, survey.project_id)
        return survey if project is not None and project.team_id == team_id else None

    def get_any(self, survey_id: int) -> Survey | None:
        """By id in any workspace: for jobs, which act for every project."""
        return self.session.get(Survey, survey_id)

    def project_of(self, survey: Survey) -> Project:
        project = self.session.get(Project, survey.project_id)
        assert project is not None  # the foreign key cascades
        return project

    def for_project(self, project_id: int) -> Sequence[Survey]:
        return self.session.scalars(
            select(Survey).where(Survey.project_id == project_id).order_by(Survey.id.desc())
        ).all()

    def closing_between(
        self, project_id: int, start: dt.datetime, end: dt.datetime
    ) -> Sequence[Survey]:
        """Surveys of the project whose close time is in [start, end)."""
        return self.session.scalars(
            select(Survey)
            .where(
                Survey.project_id == project_id,
                Survey.closes_at >= start,
                Survey.closes_at < end,
            )
            .order_by(Survey.id)
        ).all()

    def open_at(self, now: dt.datetime) -> Sequence[Survey]:
        return self.session.scalars(
            select(Survey)
            .where(Survey.opens_at <= now, Survey.closes_at > now, Survey.closed_at.is_(None))
            .order_by(Survey.id)
        ).all()

    def due_to_close(self, now: dt.datetime) -> Sequence[Survey]:
        return self.session.scalars(
            select(Survey)
            .where(Survey.closes_at <= now, Survey.closed_at.is_(None))
            .order_by(Survey.id)
        ).all()

    def results_unposted(self) -> Sequence[Survey]:
        return self.session.scalars(
            select(Survey)
            .where(Survey.closed_at.is_not(None), Survey.results_posted_at.is_(None))
            .order_by(Survey.id)
        ).all()

    # -- participants ------------------------------------------------------------------
    def participants(self, survey_id: int) -> Sequence[SurveyParticipant]:
        return self._all_of_survey(SurveyParticipant, survey_id, SurveyParticipant.user_id)

    def participant(self, survey_id: int, user_id: str) -> SurveyParticipant | None:
        return self.session.get(SurveyParticipant, (survey_id, user_id))

    def add_participants(self, survey_id: int, audience: dict[str, int | None]) -> None:
        """The survey's participants: user id → the department they answer for (or None)."""
        self.session.add_all(
            SurveyParticipant(survey_id=survey_id, user_id=user, department_id=department)
            for user, department in audience.items()
        )

    def counts(self, survey_id: int) -> tuple[int, int]:
        """(invited, answered)."""
        row = self.session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(case((SurveyParticipant.answered, 1), else_=0)), 0),
            ).where(SurveyParticipant.survey_id == survey_id)
        ).one()
        return int(row[0]), int(row[1])

    def mark_answered(self, survey_id: int, user_id: str) -> bool:
        """Atomically turn `answered` on; False when it already was (or no such participant)."""
        return self._set_if(
            SurveyParticipant,
            SurveyParticipant.survey_id == survey_id,
            SurveyParticipant.user_id == user_id,
            SurveyParticipant.answered.is_(False),
            answered=True,
        )

    def claim(self, survey_id: int, user_id: str, column: str, now: dt.datetime) -> bool:
        """Set `invited_at` or `reminded_at` if still empty: True for the one caller who did."""
        return self._set_if(
            SurveyParticipant,
            SurveyParticipant.survey_id == survey_id,
            SurveyParticipant.user_id == user_id,
            getattr(SurveyParticipant, column).is_(None),
            **{column: now},
        )

    def claim_results(self, survey_id: int, now: dt.datetime) -> bool:
        return self._set_if(
            Survey,
            Survey.id == survey_id,
            Survey.results_posted_at.is_(None),
            results_posted_at=now,
        )

    # -- responses ---------------------------------------------------------------------
    def responses(self, survey_id: int) -> Sequence[SurveyResponse]:
        # Ordered by the random id: the order says nothing about when a row was written.
        return self._all_of_survey(SurveyResponse, survey_id, SurveyResponse.id)

    def add_responses(self, survey_id: int, rows: list[dict[str, Any]]) -> None:
        """Insert responses (never rewritten): in a shuffled order, each with a random id,
        so row order, ids, SQLite rowids and PostgreSQL's `xmin` say nothing about who."""
        rows = list(rows)
        random.SystemRandom().shuffle(rows)
        columns = ("answered_on", "department_id", "respondent", "answers")
        for row in rows:  # one by one, in the shuffled order: rowids follow it
            self.session.execute(
                insert(SurveyResponse).values(
                    id=secrets.token_hex(16),
                    survey_id=survey_id,
                    **{c: row.get(c) for c in columns},
                )
            )

    def add_pending(self, survey_id: int, sealed: str) -> None:
        self.session.add(
            SurveyPendingAnswer(id=secrets.token_hex(16), survey_id=survey_id, sealed=sealed)
        )
        self.session.flush()

    def pending(self, survey_id: int) -> Sequence[SurveyPendingAnswer]:
        return self._all_of_survey(SurveyPendingAnswer, survey_id, SurveyPendingAnswer.id)

    def pending_count(self, survey_id: int) -> int:
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(SurveyPendingAnswer)
                .where(SurveyPendingAnswer.survey_id == survey_id)
            )
            or 0
        )

    def drop_pending(self, ids: list[str]) -> None:
        self.session.execute(delete(SurveyPendingAnswer).where(SurveyPendingAnswer.id.in_(ids)))
