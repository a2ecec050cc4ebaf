"""The scorecard's survey figures, and responses that cannot be joined back to people."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.app import Deps
from bot.services import surveys
from bot.services.surveys import SurveyForm, answer_block
from storage.models import DepartmentMember, SurveyResponse
from tests.conftest import PM
from tests.factories import make_project
from tests.fake_slack import TEAM_ID

START = dt.datetime(2026, 10, 5, 1, 0, tzinfo=dt.UTC)
PEOPLE = [f"UENG{i}" for i in range(6)]


def _survey(deps: Deps, template: str, answers: list[int]) -> tuple[int, int]:
    if template == "csat":
        make_project(deps, anonymity=(3, 5))
    with deps.uow() as uow:
        project = uow.projects.by_code(TEAM_ID, "HWY-42")
        assert project is not None
        departments = {d.kind: d for d in uow.projects.departments(project.id)}
        departments["engineering"].members = [DepartmentMember(user_id=u) for u in PEOPLE]
        uow.commit()
        finance = departments["finance"].id
        form = SurveyForm(
            title=f"{template} of finance",
            template=template,
            rated=[str(finance)],
            audience_departments=[str(departments["engineering"].id)],
            opens_date="2026-10-05",
            opens_time="09:00",
            closes_date="2026-10-20",
            closes_time="18:00",
        )
        created = surveys.create_survey(
            uow, team_id=TEAM_ID, project_id=project.id, user_id=PM, form=form, now=START
        )
    for user, value in zip(PEOPLE, answers, strict=False):
        with deps.uow() as uow:
            survey = uow.surveys.get(TEAM_ID, created.survey_id)
            assert survey is not None
            question = survey.questions[0]
            surveys.submit_answer(
                uow,
                team_id=TEAM_ID,
                survey_id=survey.id,
                user_id=user,
                values={answer_block(question.id): str(value)},
                now=START + dt.timedelta(days=1),
            )
    return project.id, finance


def test_department_scores_pool_the_months_closed_surveys(deps: Deps) -> None:
    project_id, finance = _survey(deps, "csat", [5, 4, 2, 1, 4])
    _survey(deps, "nps", [10, 9, 9])
    with deps.uow() as uow:
        surveys.close_due(uow, dt.datetime(2026, 10, 21, tzinfo=dt.UTC))
        scores = surveys.department_scores(uow, project_id=project_id, month=dt.date(2026, 10, 1))
        assert len(scores) == 1 and scores[0].department_id == finance
        assert scores[0].csat == 0.6 and scores[0].csat_respondents == 5
        assert scores[0].nps == 100.0 and scores[0].nps_respondents == 3
        assert (
            surveys.department_scores(uow, project_id=project_id, month=dt.date(2026, 9, 1)) == []
        )


def test_too_few_respondents_give_no_value_but_a_count(deps: Deps) -> None:
    project_id, _ = _survey(deps, "csat", [5, 4])
    with deps.uow() as uow:
        surveys.close_due(uow, dt.datetime(2026, 10, 21, tzinfo=dt.UTC))
        (score,) = surveys.department_scores(uow, project_id=project_id, month=dt.date(2026, 10, 1))
        assert score.csat is None and score.csat_respondents == 2


def test_responses_carry_no_person_and_no_order(deps: Deps) -> None:
    _survey(deps, "csat", [5, 4, 3, 2, 1, 5])
    with deps.uow() as uow:
        rows = uow.session.scalars(select(SurveyResponse)).all()
        assert {r.respondent for r in rows} == {None}
        assert {r.answered_on for r in rows} == {dt.date(2026, 10, 6)}
        # Random ids, rewritten on every answer: none is left from the first five answers.
        assert len({r.id for r in rows}) == 6 and all(len(r.id) == 32 for r in rows)
