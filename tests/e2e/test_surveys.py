"""Surveys end to end: /survey new → DMs → answers → results → close → channel post."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import Deps
from jobs.surveys import survey_close, survey_open, survey_reminder
from storage.models import (
    AuditLog,
    Survey,
    SurveyParticipant,
    SurveyPendingAnswer,
    SurveyResponse,
)
from tests.conftest import CHANNEL, LEAD, MEMBER, OTHER, PM
from tests.db import count
from tests.factories import Made, make_project, set_department
from tests.slack_driver import SlackDriver, assert_errors

ENGINEERS = [MEMBER, "UENG2", "UENG3", "UENG4"]
OPERATORS = ["UOPS1", "UOPS2", "UOPS3"]
LAWYER = "ULEG1"


def staff(deps: Deps) -> Made:
    """A project whose engineering has 4 people, operations 3 and legal 1."""
    made = make_project(deps, anonymity=(3, 5))  # the tests below assume 3 and 5
    for kind, people in (
        ("engineering", ENGINEERS),
        ("operations", OPERATORS),
        ("legal", [LAWYER]),
    ):
        set_department(deps, made, kind, members=people)
    return made


def open_new(slack: SlackDriver, user: str = PM) -> dict[str, Any]:
    return slack.command_modal("/survey", "new", user=user, channel=CHANNEL)


def good(made: Made, **changes: Any) -> dict[str, Any]:
    d = made.departments
    return {
        "title": "Finance service, November",
        "template": "csat",
        "rated": [str(d["finance"])],
        "audience_departments": [str(d["engineering"]), str(d["operations"]), str(d["legal"])],
        **changes,
    }


def posted(
    slack: SlackDriver, fragment: str, method: str = "chat.postMessage", **match: Any
) -> Any:
    """The first `chat.postMessage` matching `match` whose text holds `fragment` (a message
    of an earlier test's background work may arrive first)."""
    n = 1
    while True:
        calls = slack.fake.wait_for(method, count=n, **match)
        found = [c for c in calls if fragment in c.args["text"]]
        if found:
            return found[0]
        n = len(calls) + 1


def shown_to(slack: SlackDriver, fragment: str, user: str) -> Any:
    """The first answer only `user` saw (on a command's ack, through a response_url, an
    ephemeral) whose text holds `fragment`."""
    n = 1
    while True:
        calls = slack.wait_answers(user, count=n)
        found = [c for c in calls if fragment in c.args["text"]]
        if found:
            return found[0]
        n = len(calls) + 1


def the_survey(deps: Deps) -> Survey:
    with deps.uow() as uow:
        survey = uow.session.scalars(select(Survey)).one()
        uow.session.expunge_all()
        return survey


def answer(slack: SlackDriver, survey_id: int, user: str, rating: str, comment: str = "") -> Any:
    before = len(slack.fake.calls_to("views.open"))
    slack.action("survey_answer", str(survey_id), user=user, channel="D" + user)
    view = slack.fake.wait_for("views.open", count=before + 1)[-1].args["view"]
    blocks = [b for b in view["blocks"] if b["type"] == "input"]
    values = {blocks[0]["block_id"]: rating, blocks[1]["block_id"]: comment or None}
    return slack.submit(view, values, user=user)


def test_csat_survey_from_creation_to_channel_results(slack: SlackDriver, deps: Deps) -> None:
    made = staff(deps)
    view = open_new(slack)
    assert view["callback_id"] == "survey_new"
    response = slack.submit(view, good(made), user=PM)
    assert response.status_code == 200 and response.text in ("", "null"), response.text

    audience = [*ENGINEERS, *OPERATORS, LAWYER]
    for user in audience:
        dm = slack.fake.wait_for("chat.postMessage", channel=user)[0]
        assert "Finance service, November" in dm.args["text"]
        privacy = dm.args["blocks"][-1]["elements"][0]["text"]
        assert "never your name" in privacy and "PMs see who has answered, not what" in privacy
    survey = the_survey(deps)
    assert [q.kind for q in survey.questions] == ["rating", "text"]

    # Engineers are pleased, operators less so, the lawyer is furious.
    for user, rating in zip(ENGINEERS, "5545", strict=True):
        assert answer(slack, survey.id, user, rating, comment=f"ok from {user}").status_code == 200
    for user, rating in zip(OPERATORS, "323", strict=True):
        assert answer(slack, survey.id, user, rating).status_code == 200
    assert answer(slack, survey.id, LAWYER, "1").status_code == 200

    with deps.uow() as uow:
        rows = uow.session.scalars(select(SurveyResponse)).all()
        # Released in groups of the minimum (3): two groups; the last 2 wait, sealed.
        waiting = uow.session.scalars(select(SurveyPendingAnswer)).all()
        assert len(rows) == 6 and len(waiting) == 2 and all(r.respondent is None for r in rows)
        assert all(len(r.id) == 32 for r in rows)
        answered = uow.session.scalars(
            select(SurveyParticipant.user_id).where(SurveyParticipant.answered.is_(True))
        ).all()
        assert sorted(answered) == sorted(audience)
        trail = uow.session.scalars(select(AuditLog).where(AuditLog.action == "answer")).all()
        assert all(entry.after is None for entry in trail)

    # Hidden while open.
    slack.command("/survey", f"results {survey.id}", user=PM, channel=CHANNEL)
    hidden = shown_to(slack, "hidden", PM)
    assert "stay hidden until it closes" in hidden.args["text"]

    # Only PMs close.
    slack.command("/survey", f"close {survey.id}", user=OTHER, channel=CHANNEL)
    refusal = shown_to(slack, "PMs", OTHER)
    assert f"<@{PM}>" in refusal.args["text"]
    assert the_survey(deps).closed_at is None

    slack.command("/survey", f"close {survey.id}", user=PM, channel=CHANNEL)
    post = posted(slack, "Results of", channel=CHANNEL)
    assert count(deps, SurveyResponse) == 8 and count(deps, SurveyPendingAnswer) == 0
    text = "\n".join(b["text"]["text"] for b in post.args["blocks"] if b.get("type") == "section")
    assert "8 respondents of 8 invited" in text
    # 4–5 ratings: 4 of 8 → 50 %.
    assert "CSAT 50.0%" in text
    assert "Engineering: mean 4.8 · CSAT 100.0% · n = 4" in text
    # Legal (1 person) is suppressed, and so is operations, or 1 could be worked out.
    assert "Legal: suppressed" in text and "Operations: suppressed" in text
    # Only 4 comments: under the comment minimum of 5.
    assert "ok from U" not in text and "at least 5 people" in text, text
    context = post.args["blocks"][-1]["elements"][0]["text"]
    assert "9–10" in context and "0–6" in context

    # Closing is idempotent: the job posts nothing more.
    assert survey_close(deps, None, deps.now()) == 0
    assert len([m for m in slack.fake.messages[CHANNEL] if "Results of" in m["text"]]) == 1

    # After close anyone in the project may read them.
    slack.command("/survey", f"results {survey.id}", user=MEMBER, channel=CHANNEL)
    shown = shown_to(slack, "Results of", MEMBER)
    assert "Results of" in shown.args["text"]


def test_a_second_answer_is_told_it_already_counted(slack: SlackDriver, deps: Deps) -> None:
    made = staff(deps)
    slack.submit(open_new(slack), good(made), user=PM)
    survey = the_survey(deps)
    slack.fake.wait_for("chat.postMessage", channel=MEMBER)
    before = len(slack.fake.calls_to("views.open"))
    slack.action("survey_answer", str(survey.id), user=MEMBER, channel="D" + MEMBER)
    view = slack.fake.wait_for("views.open", count=before + 1)[-1].args["view"]
    assert slack.submit(view, {view["blocks"][2]["block_id"]: "4"}, user=MEMBER).status_code == 200
    # The same modal submitted again, and the button pressed again.
    slack.submit(view, {view["blocks"][2]["block_id"]: "1"}, user=MEMBER)
    slack.action("survey_answer", str(survey.id), user=MEMBER, channel="D" + MEMBER)
    # The invitation, the thanks and the second submission's answer come by DM; the
    # button's answer in the DM comes through its response_url.
    told = [
        *slack.fake.wait_for("chat.postMessage", channel=MEMBER, count=3),
        *slack.wait_answers(MEMBER),
    ]
    already = [c for c in told if "already answered" in c.args["text"]]
    assert len(already) == 2 and "counted" in already[0].args["text"]
    assert count(deps, SurveyResponse) + count(deps, SurveyPendingAnswer) == 1
    assert len(slack.fake.calls_to("views.open")) == before + 1


def test_someone_outside_the_audience_cannot_answer(slack: SlackDriver, deps: Deps) -> None:
    made = staff(deps)
    slack.submit(open_new(slack), good(made), user=PM)
    survey = the_survey(deps)
    slack.action("survey_answer", str(survey.id), user=OTHER, channel="D" + OTHER)
    told = shown_to(slack, "not addressed", OTHER)  # in a DM: through the response_url
    assert "not addressed to you" in told.args["text"]


def test_reminders_go_to_non_respondents_once_and_close_posts_once(
    slack: SlackDriver, deps: Deps
) -> None:
    made = staff(deps)
    slack.submit(open_new(slack), good(made), user=PM)
    survey = the_survey(deps)
    slack.fake.wait_for("chat.postMessage", channel=LAWYER)
    for user in ENGINEERS[:3]:
        answer(slack, survey.id, user, "4")
    assert survey_open(deps, None, deps.now()) == 0  # everyone already invited

    early = survey.closes_at - dt.timedelta(days=3)
    assert survey_reminder(deps, None, early) == 0
    soon = survey.closes_at - dt.timedelta(hours=2)
    assert survey_reminder(deps, None, soon) == 5
    assert survey_reminder(deps, None, soon) == 0
    reminded = {
        c.args["channel"]
        for c in slack.fake.calls_to("chat.postMessage")
        if c.args["text"].startswith("Reminder")
    }
    assert reminded == {ENGINEERS[3], *OPERATORS, LAWYER}

    after = survey.closes_at + dt.timedelta(minutes=1)
    assert survey_close(deps, None, after) == 1
    assert survey_close(deps, None, after) == 0
    posts = [m for m in slack.fake.messages[CHANNEL] if "Results of" in m["text"]]
    assert len(posts) == 1 and "3 respondents of 8 invited" in posts[0]["text"]
    assert the_survey(deps).closed_at == survey.closes_at


def test_live_results_and_small_surveys_show_nothing_identifying(
    slack: SlackDriver, deps: Deps
) -> None:
    made = staff(deps)
    slack.submit(open_new(slack), good(made, options=["anonymous", "live"]), user=PM)
    survey = the_survey(deps)
    slack.fake.wait_for("chat.postMessage", channel=LAWYER)
    for user in ENGINEERS[:2]:
        answer(slack, survey.id, user, "5")
    slack.command("/survey", f"results {survey.id}", user=MEMBER, channel=CHANNEL)
    live = shown_to(slack, "Live results", MEMBER)
    assert "Live results" in live.args["text"] and "2 respondents" in live.args["text"]
    text = str(live.args["blocks"])
    assert "Fewer than 3 people answered" in text and "CSAT" not in text


def test_list_shows_what_i_owe_and_rates_for_pms(slack: SlackDriver, deps: Deps) -> None:
    made = staff(deps)
    slack.submit(open_new(slack), good(made), user=PM)
    survey = the_survey(deps)
    slack.fake.wait_for("chat.postMessage", channel=LAWYER)
    answer(slack, survey.id, MEMBER, "4")
    slack.command("/survey", "list", user=LAWYER, channel=CHANNEL)
    mine = shown_to(slack, "Surveys of", LAWYER)
    blocks = str(mine.args["blocks"])
    assert "waiting for your answer" in blocks and "answered (" not in blocks
    assert "survey_answer" in blocks
    slack.command("/survey", "list", user=PM, channel=CHANNEL)
    pm = shown_to(slack, "Surveys of", PM)
    assert "1/8 answered (12.5%)" in str(pm.args["blocks"])


def test_custom_survey_with_a_pushed_question_modal(slack: SlackDriver, deps: Deps) -> None:
    made = staff(deps)
    view = open_new(slack)
    pushed = slack.submit(
        view, good(made, template="custom", rated=[str(made.departments["finance"])]), user=PM
    ).json()
    assert pushed["response_action"] == "push"
    questions = pushed["view"]
    assert questions["callback_id"] == "survey_questions"
    response = slack.submit(
        questions,
        {
            "q0_prompt": "How quickly does finance pay invoices?",
            "q0_kind": "rating",
            "q1_prompt": "Which channel do you prefer?",
            "q1_kind": "choice",
            "q1_choices": "Slack\nEmail\nMeeting",
            "q2_prompt": "Would you recommend finance?",
            "q2_kind": "nps",
        },
        user=PM,
    )
    assert response.json() == {"response_action": "clear"}
    survey = the_survey(deps)
    assert [(q.kind, q.department_id) for q in survey.questions] == [
        ("rating", made.departments["finance"]),
        ("choice", None),
        ("nps", made.departments["finance"]),
    ]
    assert survey.questions[1].choices == ["Slack", "Email", "Meeting"]
    slack.fake.wait_for("chat.postMessage", channel=LAWYER)


def test_add_a_question_grows_the_modal(slack: SlackDriver, deps: Deps) -> None:
    made = staff(deps)
    pushed = slack.submit(open_new(slack), good(made, template="custom"), user=PM).json()
    view = {**pushed["view"], "id": "VQ1", "hash": "h1"}
    slack.action("survey_add_question", "3", user=PM, view=view)
    updated = slack.fake.wait_for("views.update")[0].args
    assert updated["view_id"] == "VQ1"
    prompts = [b for b in updated["view"]["blocks"] if b.get("block_id", "").endswith("_prompt")]
    assert len(prompts) == 4


def eleven_questions(view: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    from bot.i18n import translator
    from handlers.surveys.views import questions_modal

    meta = view["private_metadata"].replace('"slots":3', '"slots":11')
    grown = questions_modal(translator("en"), [], 11, metadata=meta).to_dict()
    values = {f"q{i}_prompt": f"Question {i}?" for i in range(11)}
    values |= {f"q{i}_kind": "rating" for i in range(11)}
    return grown, values


@pytest.mark.parametrize(
    ("case", "field", "fragment"),
    [
        ("closes_before_opens", "closes_date", "close after it opens"),
        ("closes_in_past", "closes_date", "in the past"),
        ("no_audience", "audience_departments", "at least one department or one person"),
        ("no_rated", "rated", "rates at least one department"),
        ("no_title", "title", "required"),
        ("empty_audience", "audience_departments", "no members yet"),
    ],
)
def test_bad_survey_settings_are_field_errors(
    slack: SlackDriver, deps: Deps, case: str, field: str, fragment: str
) -> None:
    made = staff(deps)
    view = open_new(slack)
    today = deps.now().date()
    changes: dict[str, Any] = {
        "closes_before_opens": {
            "opens_date": (today + dt.timedelta(days=5)).isoformat(),
            "closes_date": (today + dt.timedelta(days=3)).isoformat(),
        },
        "closes_in_past": {
            "opens_date": (today - dt.timedelta(days=5)).isoformat(),
            "closes_date": (today - dt.timedelta(days=2)).isoformat(),
        },
        "no_audience": {"audience_departments": [], "audience_people": []},
        "no_rated": {"rated": []},
        "no_title": {"title": ""},
        "empty_audience": {"audience_departments": [str(made.departments["design"])]},
    }[case]
    response = slack.submit(view, good(made, **changes), user=PM)
    assert fragment in assert_errors(response, field)[field]
    assert count(deps, Survey) == 0 and count(deps, SurveyParticipant) == 0


@pytest.mark.parametrize(
    ("values", "field", "fragment"),
    [
        ({"q0_prompt": "Pick one", "q0_kind": "choice", "q0_choices": ""}, "q0_choices", "two"),
        (
            {"q0_prompt": "Pick", "q0_kind": "choice", "q0_choices": "A\nA"},
            "q0_choices",
            "different",
        ),
        ({"q0_prompt": "", "q0_kind": "rating"}, "q0_prompt", "at least one question"),
    ],
)
def test_bad_custom_questions_are_field_errors(
    slack: SlackDriver, deps: Deps, values: dict[str, Any], field: str, fragment: str
) -> None:
    made = staff(deps)
    pushed = slack.submit(open_new(slack), good(made, template="custom"), user=PM).json()
    body = slack.submit(pushed["view"], values, user=PM).json()
    assert body["response_action"] == "errors"
    assert fragment in body["errors"][field]
    assert count(deps, Survey) == 0


def test_more_than_ten_questions_is_refused(slack: SlackDriver, deps: Deps) -> None:
    made = staff(deps)
    pushed = slack.submit(open_new(slack), good(made, template="custom"), user=PM).json()
    view, values = eleven_questions(pushed["view"])
    body = slack.submit(view, values, user=PM).json()
    assert body["response_action"] == "errors"
    assert "at most 10 questions" in body["errors"]["q10_prompt"]
    assert count(deps, Survey) == 0


def test_only_pms_start_surveys(slack: SlackDriver, deps: Deps) -> None:
    made = staff(deps)
    slack.command("/survey", "new", user=MEMBER, channel=CHANNEL)
    refusal = shown_to(slack, "PMs", MEMBER)
    assert f"<@{PM}>" in refusal.args["text"]
    assert slack.fake.calls_to("views.open") == []
    # A modal opened by the PM but submitted by someone else saves nothing.
    body = slack.submit(open_new(slack), good(made), user=LEAD).json()
    assert body["response_action"] == "errors" and f"<@{PM}>" in body["errors"]["title"]
    assert count(deps, Survey) == 0


def test_bad_survey_numbers_are_explained(slack: SlackDriver, deps: Deps) -> None:
    staff(deps)
    slack.command("/survey", "results", user=PM, channel=CHANNEL)
    slack.command("/survey", "close 999", user=PM, channel=CHANNEL)
    told = slack.wait_answers(PM, count=2)
    texts = " ".join(c.args["text"] for c in told)
    assert "`/survey results 3`" in texts and "no survey #999" in texts


def test_survey_help(slack: SlackDriver) -> None:
    response = slack.command("/survey", "help", user=PM, channel=CHANNEL)
    assert "results <id>" in str(response.json())


def test_scheduled_survey_invites_when_it_opens(slack: SlackDriver, deps: Deps) -> None:
    made = staff(deps)
    tomorrow = deps.now().date() + dt.timedelta(days=2)
    slack.submit(
        open_new(slack),
        good(
            made,
            opens_date=tomorrow.isoformat(),
            closes_date=(tomorrow + dt.timedelta(days=3)).isoformat(),
        ),
        user=PM,
    )
    posted(slack, "is scheduled", channel=PM)
    survey = the_survey(deps)
    assert not [c for c in slack.fake.calls_to("chat.postMessage") if "invited" in c.args["text"]]
    assert survey_open(deps, None, survey.opens_at + dt.timedelta(minutes=1)) == 8
    assert survey_open(deps, None, survey.opens_at + dt.timedelta(minutes=2)) == 0


def test_a_custom_survey_for_300_people_keeps_its_whole_audience(
    slack: SlackDriver, deps: Deps
) -> None:
    """Page one (with the audience) rides in the question modal's metadata: 300 people do
    not fit Slack's 3,000 characters, so it is kept server-side — never cut."""
    made = staff(deps)
    people = [f"UCROWD{n:04d}" for n in range(300)]
    pushed = slack.submit(
        open_new(slack), good(made, template="custom", audience_people=people), user=PM
    ).json()
    assert pushed["response_action"] == "push"
    questions = pushed["view"]
    assert len(questions["private_metadata"]) <= 3000
    response = slack.submit(
        questions, {"q0_prompt": "How quickly does finance pay?", "q0_kind": "rating"}, user=PM
    )
    assert response.json() == {"response_action": "clear"}
    survey = the_survey(deps)
    with deps.uow() as uow:
        invited = set(
            uow.session.scalars(
                select(SurveyParticipant.user_id).where(SurveyParticipant.survey_id == survey.id)
            )
        )
    assert set(people) <= invited
