"""A hand-computed scorecard month, built through the domains' services with a frozen clock.

Project HWY-42 (Asia/Shanghai, fortnightly reports from Monday 2 November 2026: periods P0
2–15 Nov and P1 16–29 Nov both end in November). October has a little feedback and is
stored first, so November's changes have something to compare with. The expected numbers
are worked out in `tests/storage/test_scorecard_service.py`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.app import Deps
from bot.forms import Form
from bot.periods import Period
from bot.services import feedback, reports, risks, scorecard, surveys
from bot.services.risks import RiskField
from bot.services.surveys import SurveyForm, answer_block
from storage.models import DepartmentKind as K
from storage.models import DepartmentMember, ProjectPM
from storage.uow import UnitOfWork
from tests.conftest import LEAD, PM, Clock
from tests.factories import (
    Made,
    add_feedback,
    as_user,
    make_project,
    submit_report,
    through_service,
)
from tests.fake_slack import TEAM_ID

ANCHOR = dt.date(2026, 11, 2)
P0, P1 = Period(ANCHOR, 0), Period(ANCHOR, 1)
GIVER = "UGIVER"  # a PM in no department: may give feedback from any department
RESPONDENTS = [f"UENG{i}" for i in range(6)]


def at(*args: int) -> dt.datetime:
    """A moment in Shanghai time (UTC+8), as aware UTC."""
    return dt.datetime(*args, tzinfo=dt.timezone(dt.timedelta(hours=8))).astimezone(dt.UTC)


@dataclass(frozen=True)
class Fixture:
    made: Made
    clock: Clock

    def dept(self, kind: str) -> int:
        return self.made.departments[kind]


def give(deps: Deps, fx: Fixture, when: dt.datetime, to: str, source: str, rating: int) -> int:
    fx.clock.frozen = when
    return add_feedback(deps, fx.made, rating, comment="月度评估", user=GIVER, to=to, source=source)


def ack_feedback(deps: Deps, fx: Fixture, feedback_id: int, when: dt.datetime) -> None:
    fx.clock.frozen = when
    with deps.uow() as uow:
        feedback.acknowledge(
            uow, team_id=TEAM_ID, feedback_id=feedback_id, user_id=PM, now=deps.now()
        )


def _survey(deps: Deps, fx: Fixture, template: str, answers: list[int]) -> None:
    """A survey of finance by engineering, open 3–20 November, answered by `answers`."""
    fx.clock.frozen = at(2026, 11, 2, 12)
    form = SurveyForm(
        title=f"{template} of finance",
        template=template,
        rated=[str(fx.dept(K.FINANCE))],
        audience_departments=[str(fx.dept(K.ENGINEERING))],
        opens_date="2026-11-03",
        opens_time="09:00",
        closes_date="2026-11-20",
        closes_time="18:00",
    )
    created = through_service(deps, surveys.create_survey, fx.made.project_id, PM, form=form)
    fx.clock.frozen = at(2026, 11, 5, 10)
    for user, value in zip(RESPONDENTS, answers, strict=False):
        with deps.uow() as uow:
            survey = uow.surveys.get(TEAM_ID, created.survey_id)
            assert survey is not None
            surveys.submit_answer(
                uow,
                team_id=TEAM_ID,
                survey_id=survey.id,
                user_id=user,
                values={answer_block(survey.questions[0].id): str(value)},
                now=deps.now(),
            )


def _submit(
    deps: Deps, fx: Fixture, kind: str, lead: str, period: Period, when: dt.datetime
) -> None:
    fx.clock.frozen = when
    submit_report(deps, fx.made, kind, lead, period)


def _risk(deps: Deps, fx: Fixture, kind: str, raised: dt.datetime, ack_hours: int) -> None:
    fx.clock.frozen = raised
    form = Form.of(
        RiskField,
        title=f"{kind} risk acknowledged after {ack_hours} h",
        category="schedule",
        likelihood="2",
        impact="2",
        department=str(fx.dept(kind)),
    )
    card = through_service(deps, risks.create_risk, fx.made.project_id, PM, form=form)
    fx.clock.frozen = raised + dt.timedelta(hours=ack_hours)
    as_user(deps, risks.acknowledge, PM, risk_id=card.id)


def october(deps: Deps, clock: Clock, *, locale: str = "en") -> Fixture:
    """The project, with October's feedback (finance 3 acknowledged; legal 1 not)."""
    made = make_project(deps, report_anchor=ANCHOR.isoformat(), locale=locale, anonymity=(3, 5))
    fx = Fixture(made, clock)
    with deps.uow() as uow:
        departments = {d.kind: d for d in uow.projects.departments(made.project_id)}
        departments[K.LEGAL].lead_user_id = "ULEGAL"
        departments[K.OPERATIONS].lead_user_id = "UOPS"
        departments[K.ENGINEERING].members = [DepartmentMember(user_id=u) for u in RESPONDENTS]
        project = uow.projects.get(TEAM_ID, made.project_id)
        assert project is not None
        project.pms.append(ProjectPM(user_id=GIVER))  # feedback needs a project member
        uow.commit()
    finance = give(deps, fx, at(2026, 10, 15, 10), K.FINANCE, K.ENGINEERING, 3)
    ack_feedback(deps, fx, finance, at(2026, 10, 16, 10))
    give(deps, fx, at(2026, 10, 20, 10), K.LEGAL, K.OPERATIONS, 1)
    return fx


def compute(deps: Deps, fx: Fixture, month: dt.date, when: dt.datetime) -> scorecard.Scorecard:
    fx.clock.frozen = when
    with deps.uow() as uow:
        return scorecard.compute_month(
            uow, fx.made.project_id, month.year, month.month, now=deps.now()
        )


def show(
    uow: UnitOfWork, deps: Deps, fx: Fixture, user: str, month: dt.date | None, **kw: Any
) -> scorecard.Scorecard:
    """`/scorecard` for `user` (a PM may `recompute=True`), in the caller's unit of work."""
    return scorecard.show(
        uow,
        team_id=TEAM_ID,
        project_id=fx.made.project_id,
        user_id=user,
        month=month,
        now=deps.now(),
        **kw,
    )


def november(deps: Deps, fx: Fixture) -> None:
    """November's feedback, surveys, reports and risks (see the test for the arithmetic)."""
    # feedback: finance 5, 4, 3 (first two acknowledged); legal 2 (not);
    # engineering 4 and design 4 (both acknowledged)
    ids = [
        give(deps, fx, at(2026, 11, 5 + i, 10), K.FINANCE, K.ENGINEERING, rating)
        for i, rating in enumerate((5, 4, 3))
    ]
    for feedback_id in ids[:2]:
        ack_feedback(deps, fx, feedback_id, at(2026, 11, 9, 10))
    give(deps, fx, at(2026, 11, 8, 10), K.LEGAL, K.OPERATIONS, 2)
    for kind in (K.ENGINEERING, K.DESIGN):
        ack_feedback(
            deps,
            fx,
            give(deps, fx, at(2026, 11, 10, 10), kind, K.FINANCE, 4),
            at(2026, 11, 11, 10),
        )
    # surveys of finance, closing 20 November: CSAT 5 respondents, NPS 4
    _survey(deps, fx, "csat", [5, 4, 4, 2, 1])
    _survey(deps, fx, "nps", [10, 9, 7, 3])
    fx.clock.frozen = at(2026, 11, 21, 9)
    with deps.uow() as uow:
        surveys.close_due(uow, deps.now())
    # reports: finance P0 on time, P1 late; legal both on time; operations P0 missing, P1 excused
    on_time_p0 = at(2026, 11, 16, 9)
    _submit(deps, fx, K.FINANCE, LEAD, P0, on_time_p0)
    _submit(deps, fx, K.LEGAL, "ULEGAL", P0, on_time_p0)
    fx.clock.frozen = P0.due_at("Asia/Shanghai", 2) + dt.timedelta(minutes=1)
    with deps.uow() as uow:
        reports.close_period(uow, project_id=fx.made.project_id, period=P0, now=deps.now())
    _submit(deps, fx, K.LEGAL, "ULEGAL", P1, at(2026, 11, 30, 9))
    late = P1.due_at("Asia/Shanghai", 2) + dt.timedelta(hours=1)
    _submit(deps, fx, K.FINANCE, LEAD, P1, late)
    with deps.uow() as uow:
        summary = reports.close_period(
            uow, project_id=fx.made.project_id, period=P1, now=deps.now()
        )
        ops = next(c for c in summary.missing if c.lead_user_id == "UOPS")
        assert ops.report_id is not None
        reports.excuse(
            uow, team_id=TEAM_ID, report_id=ops.report_id, user_id="UOPS", reason="Audit", now=late
        )
    # risks: finance acknowledged after 12, 48 and 96 h; legal after 200 h
    for hours in (12, 48, 96):
        _risk(deps, fx, K.FINANCE, at(2026, 11, 10, 10), hours)
    _risk(deps, fx, K.LEGAL, at(2026, 11, 12, 10), 200)
