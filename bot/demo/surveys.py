"""Demo surveys: a closed CSAT survey of the finance department with enough answers to show."""

from __future__ import annotations

import datetime as dt
import random
from typing import Final
from zoneinfo import ZoneInfo

from bot.app import Deps
from bot.demo.project import PEOPLE, PM
from bot.services import surveys
from bot.services.surveys import SurveyForm, answer_block
from storage.models import DepartmentKind, Project

# Who answers, with their rating of finance's service (1–5) and an optional comment.
ANSWERS: Final = {
    DepartmentKind.ENGINEERING: [(4, "付款审批比上月快"), (5, ""), (4, ""), (3, "")],
    DepartmentKind.OPERATIONS: [(5, "资金使用报告模板很清楚"), (4, ""), (2, "")],
    DepartmentKind.CONSTRUCTION: [(3, "进度款支付偶有延迟"), (4, ""), (5, "沟通及时")],
}


def seed(deps: Deps, project_id: int) -> None:
    """Create the survey as if started twelve days ago, answered, and closed five days ago."""
    start = deps.now() - dt.timedelta(days=12)
    with deps.uow() as uow:
        project = uow.session.get(Project, project_id)
        assert project is not None
        zone = ZoneInfo(project.timezone)
        departments = {d.kind: d.id for d in uow.projects.departments(project_id)}
        closes = (start + dt.timedelta(days=7)).astimezone(zone)
        form = SurveyForm(
            title="财务部内部客户满意度调查(CSAT)",
            template="csat",
            rated=[str(departments[DepartmentKind.FINANCE])],
            audience_departments=[str(departments[k]) for k in ANSWERS],
            opens_date=start.astimezone(zone).date().isoformat(),
            opens_time="09:00",
            closes_date=closes.date().isoformat(),
            closes_time="18:00",
        )
        created = surveys.create_survey(
            uow, team_id=project.team_id, project_id=project_id, user_id=PM, form=form, now=start
        )
        team_id = project.team_id
    rng = random.Random(42)
    for kind, answers in ANSWERS.items():
        lead, members = PEOPLE[kind]
        for user, (rating, comment) in zip([lead, *members], answers, strict=False):
            with deps.uow() as uow:
                survey = uow.surveys.get(team_id, created.survey_id)
                assert survey is not None
                rating_q, comment_q = survey.questions
                at = start + dt.timedelta(hours=rng.randint(1, 140))
                surveys.submit_answer(
                    uow,
                    team_id=team_id,
                    survey_id=created.survey_id,
                    user_id=user,
                    values={
                        answer_block(rating_q.id): str(rating),
                        answer_block(comment_q.id): comment,
                    },
                    now=at,
                )
    with deps.uow() as uow:
        surveys.close_due(uow, deps.now())
        survey = uow.surveys.get(team_id, created.survey_id)
        assert survey is not None
        # The demo channel is not a real one: nothing to post.
        survey.results_posted_at = survey.closes_at
        uow.commit()
