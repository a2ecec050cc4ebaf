"""Demo surveys: a closed CSAT survey of the finance department with enough answers to show,
and an open one of engineering, half answered."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo

from bot.app import Deps
from bot.demo.project import PEOPLE, PM
from bot.services import surveys
from bot.services.projects import project_by_id
from bot.services.surveys import SurveyForm, answer_block
from storage.models import DepartmentKind


# Answers: who answers (by department, lead first), with their rating of the rated
# department's service (1–5) and an optional comment; the audience is those departments.
@dataclass(frozen=True)
class DemoSurvey:
    title: str
    rated: DepartmentKind
    answers: dict[DepartmentKind, list[tuple[int, str]]]
    days_ago: int  # when it opened
    days_open: int
    answered_within_hours: int  # the answers come in over its first hours


SURVEYS: Final = (
    # Closed five days ago, with enough answers to show.
    DemoSurvey(
        "财务部内部客户满意度调查(CSAT)",
        DepartmentKind.FINANCE,
        {
            DepartmentKind.ENGINEERING: [(4, "付款审批比上月快"), (5, ""), (4, ""), (3, "")],
            DepartmentKind.OPERATIONS: [(5, "资金使用报告模板很清楚"), (4, ""), (2, "")],
            DepartmentKind.CONSTRUCTION: [(3, "进度款支付偶有延迟"), (4, ""), (5, "沟通及时")],
        },
        days_ago=12,
        days_open=7,
        answered_within_hours=140,
    ),
    # Open three days more, half answered: the digest shows its response rate and the
    # survey reminder has people to remind.
    DemoSurvey(
        "工程部技术支持满意度调查(CSAT)",
        DepartmentKind.ENGINEERING,
        {
            DepartmentKind.CONSTRUCTION: [(3, "现场问题答复偏慢"), (4, "")],
            DepartmentKind.DESIGN: [(4, "")],
            DepartmentKind.SUPERVISION: [(2, "")],
        },
        days_ago=2,
        days_open=5,
        answered_within_hours=40,
    ),
)


def _survey(deps: Deps, project_id: int, demo: DemoSurvey) -> None:
    """Create the survey, opened `days_ago` for `days_open` days, and answer it over its first
    `answered_within_hours` hours (never ahead of the clock)."""
    start = deps.now() - dt.timedelta(days=demo.days_ago)
    with deps.uow() as uow:
        project = project_by_id(uow, project_id)
        zone = ZoneInfo(project.timezone)
        departments = {d.kind: d.id for d in uow.projects.departments(project_id)}
        closes = (start + dt.timedelta(days=demo.days_open)).astimezone(zone)
        form = SurveyForm(
            title=demo.title,
            template="csat",
            rated=[str(departments[demo.rated])],
            audience_departments=[str(departments[k]) for k in demo.answers],
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
    for kind, given in demo.answers.items():
        lead, members = PEOPLE[kind]
        for user, (rating, comment) in zip([lead, *members], given, strict=False):
            with deps.uow() as uow:
                survey = uow.surveys.get(team_id, created.survey_id)
                assert survey is not None
                rating_q, comment_q = survey.questions
                at = start + dt.timedelta(hours=rng.randint(1, demo.answered_within_hours))
                surveys.submit_answer(
                    uow,
                    team_id=team_id,
                    survey_id=created.survey_id,
                    user_id=user,
                    values={
                        answer_block(rating_q.id): str(rating),
                        answer_block(comment_q.id): comment,
                    },
                    now=max(min(at, deps.now()), survey.opens_at),
                )


def seed(deps: Deps, project_id: int) -> None:
    """The demo surveys, answered; those whose time is up are closed."""
    for demo in SURVEYS:
        _survey(deps, project_id, demo)
    with deps.uow() as uow:
        project = project_by_id(uow, project_id)
        for survey_id in surveys.close_due(uow, deps.now(), project_id):
            survey = uow.surveys.get(project.team_id, survey_id)
            assert survey is not None
            # The demo channel is not a real one: nothing to post.
            survey.results_posted_at = survey.closes_at
        uow.commit()
