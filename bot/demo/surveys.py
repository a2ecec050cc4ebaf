"""Demo surveys: a closed CSAT survey of the finance department with enough answers to show,
and an open one of engineering, half answered."""

from __future__ import annotations

import datetime as dt
import random
from typing import Final
from zoneinfo import ZoneInfo

from bot.app import Deps
from bot.demo.project import PEOPLE, PM
from bot.services import surveys
from bot.services.surveys import SurveyForm, answer_block
from storage.models import DepartmentKind

# Who answers, with their rating of finance's service (1–5) and an optional comment.
ANSWERS: Final = {
    DepartmentKind.ENGINEERING: [(4, "付款审批比上月快"), (5, ""), (4, ""), (3, "")],
    DepartmentKind.OPERATIONS: [(5, "资金使用报告模板很清楚"), (4, ""), (2, "")],
    DepartmentKind.CONSTRUCTION: [(3, "进度款支付偶有延迟"), (4, ""), (5, "沟通及时")],
}


# An open survey of engineering's technical support, half answered: the digest shows its
# response rate and the survey reminder has people to remind.
OPEN_TITLE: Final = "工程部技术支持满意度调查(CSAT)"
OPEN_ANSWERS: Final = {
    DepartmentKind.CONSTRUCTION: [(3, "现场问题答复偏慢"), (4, "")],
    DepartmentKind.DESIGN: [(4, "")],
    DepartmentKind.SUPERVISION: [(2, "")],
}


def _survey(
    deps: Deps,
    project_id: int,
    *,
    title: str,
    rated: DepartmentKind,
    answers: dict[DepartmentKind, list[tuple[int, str]]],
    audience: list[DepartmentKind],
    start: dt.datetime,
    days_open: int,
    answered_within_hours: int,
) -> tuple[str, int]:
    """Create a survey opened at `start` for `days_open` days; the answers come in over its
    first `answered_within_hours` hours (never ahead of the clock). Team id and survey id."""
    with deps.uow() as uow:
        project = uow.projects.by_id(project_id)
        assert project is not None
        zone = ZoneInfo(project.timezone)
        departments = {d.kind: d.id for d in uow.projects.departments(project_id)}
        closes = (start + dt.timedelta(days=days_open)).astimezone(zone)
        form = SurveyForm(
            title=title,
            template="csat",
            rated=[str(departments[rated])],
            audience_departments=[str(departments[k]) for k in audience],
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
    for kind, given in answers.items():
        lead, members = PEOPLE[kind]
        for user, (rating, comment) in zip([lead, *members], given, strict=False):
            with deps.uow() as uow:
                survey = uow.surveys.get(team_id, created.survey_id)
                assert survey is not None
                rating_q, comment_q = survey.questions
                at = start + dt.timedelta(hours=rng.randint(1, answered_within_hours))
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
    return team_id, created.survey_id


def seed(deps: Deps, project_id: int) -> None:
    """A finance survey started twelve days ago, answered and closed five days ago; and an
    engineering survey opened two days ago, open three days more, half answered."""
    team_id, survey_id = _survey(
        deps,
        project_id,
        title="财务部内部客户满意度调查(CSAT)",
        rated=DepartmentKind.FINANCE,
        answers=ANSWERS,
        audience=list(ANSWERS),
        start=deps.now() - dt.timedelta(days=12),
        days_open=7,
        answered_within_hours=140,
    )
    with deps.uow() as uow:
        surveys.close_due(uow, deps.now())
        survey = uow.surveys.get(team_id, survey_id)
        assert survey is not None
        # The demo channel is not a real one: nothing to post.
        survey.results_posted_at = survey.closes_at
        uow.commit()
    _survey(
        deps,
        project_id,
        title=OPEN_TITLE,
        rated=DepartmentKind.ENGINEERING,
        answers=OPEN_ANSWERS,
        audience=list(OPEN_ANSWERS),
        start=deps.now() - dt.timedelta(days=2),
        days_open=5,
        answered_within_hours=40,
    )
