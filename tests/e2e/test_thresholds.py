"""Anonymity thresholds at the survey leaders' level: 5 (floor 3) and 10 for comments by
default, a warning that says what a lower minimum costs, and thresholds frozen per survey."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Deps
from bot.services.project_settings import anonymity_warning
from storage.models import Project, Survey
from tests.conftest import CHANNEL, MEMBER, PM, Clock
from tests.e2e import test_export as export_tests
from tests.e2e import test_settings as settings_tests
from tests.e2e import test_surveys as survey_tests
from tests.e2e.admin_helpers import accepted, ephemeral, text_of
from tests.factories import add_feedback, make_project
from tests.slack_driver import SlackDriver


def test_a_pm_may_go_down_to_3_and_is_told_what_it_costs(slack: SlackDriver, deps: Deps) -> None:
    make_project(deps)
    view = settings_tests.open_settings(slack)
    values = {**settings_tests.GOOD, "anonymity_min": "3", "comment_anonymity_min": "5"}
    assert accepted(slack.submit(view, values, user=PM))
    told = text_of(ephemeral(slack, PM))
    assert "groups of only 3" in told and "work out the rest" in told
    assert anonymity_warning(5, 10) is None and anonymity_warning(4, 10) is not None


def test_thresholds_are_frozen_when_the_survey_is_set_up(slack: SlackDriver, deps: Deps) -> None:
    made = survey_tests.staff(deps)
    with deps.uow() as uow:
        project = uow.session.get(Project, made.project_id)
        assert project is not None
        project.anonymity_min, project.comment_anonymity_min = 5, 10
        uow.commit()
    good = survey_tests.good(made, options=["anonymous", "live"])
    slack.submit(survey_tests.open_new(slack), good, user=PM)
    with deps.uow() as uow:
        survey = uow.session.scalars(select(Survey)).one()
        assert (survey.anonymity_min, survey.comment_anonymity_min) == (5, 10)
        survey_id = survey.id
        project = uow.session.get(Project, made.project_id)
        assert project is not None
        project.anonymity_min, project.comment_anonymity_min = 3, 3  # lowered afterwards
        uow.commit()
    slack.fake.wait_for("chat.postMessage", channel=survey_tests.LAWYER)
    for user in survey_tests.ENGINEERS[:4]:
        survey_tests.answer(slack, survey_id, user, "5")
    slack.command("/survey", f"results {survey_id}", user=MEMBER, channel=CHANNEL)
    [live] = [c for c in slack.wait_answers(MEMBER) if "Live results" in c.args["text"]]
    text = str(live.args["blocks"])
    assert "Fewer than 5 people answered" in text and "CSAT" not in text


def test_the_feedback_export_suppresses_small_anonymous_senders(
    slack: SlackDriver, deps: Deps, clock: Clock
) -> None:
    """One anonymous item from engineering would tell the reader who sent it: the sending
    department is left blank on it (named feedback keeps its department)."""
    clock.frozen = export_tests.NOW
    made = make_project(deps)
    for anonymous in (False, True):
        add_feedback(deps, made, 2, comment="x", anonymous=anonymous, now=export_tests.NOW)
    rows = export_tests.export(slack, "feedback")
    header = rows[0]
    records = {r[6]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    sender = header[3]
    assert records["no"][sender] == "Engineering"
    assert records["yes"][sender] == ""
