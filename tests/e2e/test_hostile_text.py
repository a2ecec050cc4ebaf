"""User text is inert: hostile text typed into every free-text field of every modal and
command comes out of every surface (channel posts, ephemerals, DMs, updates, modals, the Home
tab, response_url posts, ack bodies, job messages) without a live ping or disguised link.

The only `<…>` tokens allowed out are the bot's own: mentions of the test users, the project
channel, `<!date^…>` and links it builds itself.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.app import Deps
from handlers.feedback.ids import FeedbackAction
from handlers.ids import Action
from handlers.meetings.ids import Action as MeetingAction
from handlers.projects.ids import ProjectAction
from handlers.reports.ids import ReportAction
from handlers.risks.ids import RiskAction
from handlers.text import strong
from jobs.manual import run_now
from storage.models import (
    Drawdown,
    FundEntry,
    FundingSource,
    Project,
    Report,
    Risk,
    RiskUpdate,
    Survey,
)
from tests.conftest import CHANNEL, LEAD, MEMBER, OTHER, PM, Clock
from tests.e2e.test_export import export
from tests.e2e.test_risks import make_risk
from tests.e2e.test_setup import GOOD as SETUP_GOOD
from tests.factories import Made, make_project, set_department
from tests.fake_slack import TEAM_ID
from tests.slack_driver import SlackDriver, ack_body

# Everything Slack would turn into a ping, a channel link or a disguised link, text that is
# already escaped, the bot's own formatting characters, an ampersand and Chinese.
HOSTILE = (
    "<!channel> <!here> <!everyone> <@U0002> <#C0001> <https://evil.example|Bank portal> "
    "&lt;!channel&gt; *bold* _it_ ~s~ `code` R&D 资金链"
)
# For fields of at most 100 characters.
SHORT = "<!channel> <@U0002> <#C0001> <https://evil.example|Bank> *R&D* 资金"
LONG = (HOSTILE + " ") * 40
assert len(SHORT) <= 100 and len(HOSTILE) <= 150 and len(LONG) > 3000

AUDIENCE = [f"UAUD{i:02d}" for i in range(12)]
KNOWN_USERS = {PM, LEAD, MEMBER, OTHER, "UBOT", *AUDIENCE}
SECOND_CHANNEL = "CPOWER"
KNOWN_CHANNELS = {CHANNEL, SECOND_CHANNEL}
SURFACES = (
    "chat.postMessage",
    "chat.postEphemeral",
    "chat.update",
    "chat.scheduleMessage",
    "views.open",
    "views.update",
    "views.push",
    "views.publish",
    "response_url",
)
TOKEN = re.compile(r"<([^<>]*)>")
NEVER = ("U0002", "C0001", "!channel", "!here", "!everyone", "evil.example")


def slack_escaped(text: str) -> str:
    """What Slack sends as a slash command's `text` when `text` is typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _mrkdwn(value: Any) -> Iterator[str]:
    """The mrkdwn strings of a block / view tree (plain_text objects are shown as typed)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return
    if isinstance(value, dict):
        if value.get("type") == "plain_text":
            return
        if value.get("type") == "mrkdwn" and isinstance(value.get("text"), str):
            yield value["text"]
            return
        for key, item in value.items():
            if key in ("private_metadata", "value", "initial_value", "placeholder"):
                continue
            yield from _mrkdwn(item)
    elif isinstance(value, list):
        for item in value:
            yield from _mrkdwn(item)


def _texts(payload: dict[str, Any]) -> Iterator[str]:
    """The mrkdwn of one outbound payload: its `text` and its blocks / view / attachments."""
    if isinstance(payload.get("text"), str):
        yield payload["text"]
    for key in ("blocks", "attachments", "view"):
        if payload.get(key):
            yield from _mrkdwn(payload[key])


def _allowed(token: str) -> bool:
    body = token.split("|", 1)[0]
    if any(bad in token for bad in NEVER):
        return False
    if body.startswith("@"):
        return body[1:] in KNOWN_USERS
    if body.startswith("#"):
        return body[1:] in KNOWN_CHANNELS
    if body.startswith("!"):
        return body.startswith("!date^")
    return True  # a link the bot built (a permalink); evil.example is excluded above


class Outbound:
    """Everything the bot said, from the fake Slack's record and the HTTP answers."""

    def __init__(self, slack: SlackDriver) -> None:
        self.slack = slack
        self.answers: list[dict[str, Any]] = []

    def answer(self, response: httpx.Response) -> httpx.Response:
        assert response.status_code == 200, response.text
        if response.content and response.headers.get("content-type", "").startswith(
            "application/json"
        ):
            body = response.json()
            if isinstance(body, dict):
                self.answers.append(body)
        return response

    def payloads(self) -> Iterable[tuple[str, dict[str, Any]]]:
        for call in list(self.slack.fake.calls):
            if call.method in SURFACES:
                yield call.method, call.args
        for body in self.answers:
            yield "http answer", body

    def everything(self) -> str:
        return "\n".join(t for _m, p in self.payloads() for t in _texts(p))

    def assert_inert(self, *expected_methods: str, shown: str = "&lt;!channel&gt;") -> None:
        live = [
            (method, token, text[:200])
            for method, payload in self.payloads()
            for text in _texts(payload)
            for token in TOKEN.findall(text)
            if not _allowed(token)
        ]
        assert live == [], "live control sequences went out:\n" + "\n".join(map(str, live))
        seen = {m for m, p in self.payloads() if any(shown in t for t in _texts(p))}
        missing = set(expected_methods) - seen
        assert not missing, f"the hostile text never reached {missing} (seen on {seen})"


@pytest.fixture
def out(slack: SlackDriver) -> Outbound:
    return Outbound(slack)


def command(out: Outbound, command: str, text: str, *, user: str) -> httpx.Response:
    return out.answer(out.slack.command(command, slack_escaped(text), user=user, channel=CHANNEL))


def modal_after(out: Outbound, do: Any) -> dict[str, Any]:
    before = len(out.slack.fake.calls_to("views.open"))
    do()
    view = out.slack.fake.wait_for("views.open", count=before + 1)[-1].args["view"]
    return json.loads(view) if isinstance(view, str) else dict(view)


def submit(out: Outbound, view: dict[str, Any], values: dict[str, Any], *, user: str) -> Any:
    response = out.answer(out.slack.submit(view, values, user=user))
    body = response.json() if response.content else None
    assert not (body and body.get("response_action") == "errors"), body
    return body


def submit_command(
    out: Outbound, command_word: str, text: str, values: dict[str, Any], *, user: str
) -> Any:
    """Open the modal `command_word text` answers with and submit `values` in it, as `user`."""
    view = modal_after(out, lambda: command(out, command_word, text, user=user))
    return submit(out, view, values, user=user)


def wait_posts(out: Outbound, method: str, count: int, **match: Any) -> list[Any]:
    return out.slack.fake.wait_for(method, count=count, **match)


def posted(out: Outbound, fragment: str, method: str = "chat.postMessage", **match: Any) -> Any:
    """The first `method` call matching `match` whose mrkdwn holds `fragment` (waits for it)."""
    n = 1
    while True:
        calls = out.slack.fake.wait_for(method, count=n, **match)
        found = [c for c in calls if any(fragment in t for t in _texts(c.args))]
        if found:
            return found[0]
        n = len(calls) + 1


def open_home(out: Outbound, user: str) -> None:
    before = len(out.slack.fake.calls_to("views.publish"))
    event = {"type": "app_home_opened", "user": user, "channel": "D" + user, "tab": "home"}
    out.answer(out.slack.event(event))
    wait_posts(out, "views.publish", before + 1)


def scorecard_post(out: Outbound) -> dict[str, Any]:
    posts = out.slack.fake.calls_to("chat.postMessage")
    return next(c.args for c in reversed(posts) if "scorecard" in str(c.args.get("text")).lower())


def stored(deps: Deps, column: Any) -> list[Any]:
    with deps.uow() as uow:
        return list(uow.session.scalars(select(column)))


# -- risks ----------------------------------------------------------------------------------


NOW = dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def made(deps: Deps, clock: Clock) -> Made:
    """The project, with the clock frozen at NOW."""
    clock.frozen = NOW
    return make_project(deps)


def test_risk_fields(slack: SlackDriver, deps: Deps, out: Outbound, made: Made) -> None:
    submit_command(
        out,
        "/risk",
        "",
        {
            "title": HOSTILE,
            "description": LONG[:3000],
            "mitigation": HOSTILE,
            "category": "funding_liquidity",
            "likelihood": "5",
            "impact": "4",
            "owner": MEMBER,
            "department": str(made.departments["finance"]),
        },
        user=MEMBER,
    )
    [alert] = wait_posts(out, "chat.postMessage", 1, channel=CHANNEL)
    [risk_id] = stored(deps, Risk.id)
    message = {"ts": alert.args.get("ts", "1.0"), "text": ""}
    update = modal_after(
        out,
        lambda: out.answer(
            slack.action(
                RiskAction.ADD_UPDATE, str(risk_id), user=MEMBER, channel=CHANNEL, message=message
            )
        ),
    )
    submit(out, update, {"text": HOSTILE, "status": "mitigating"}, user=MEMBER)
    wait_posts(out, "chat.update", 1)
    command(out, "/risk", "show R-1", user=MEMBER)
    command(out, "/risk", "list all", user=MEMBER)
    unknown = command(out, "/risk", "<!channel> now", user=MEMBER).json()
    assert "I don't know “&lt;!channel&gt;”" in unknown["text"] + json.dumps(
        unknown["blocks"], ensure_ascii=False
    )
    open_home(out, MEMBER)
    # The weekly digest and the meeting reminder list open risks by title.
    run_now(deps, "meeting_reminder", at=NOW)
    run_now(deps, "weekly_digest", at=NOW)
    with deps.uow() as uow:  # past its review date: the owner is reminded, by title
        risk = uow.session.get(Risk, risk_id)
        assert risk is not None
        risk.review_on = dt.date(2026, 11, 20)
        uow.commit()
    [review] = run_now(deps, "risk_review", at=NOW)
    assert review.outcome == "done", review
    posted(out, "R-1", channel=MEMBER)
    command(out, "/risk", f"close R-1 {HOSTILE}", user=MEMBER)
    wait_posts(out, "chat.update", 2)
    command(out, "/risk", "show R-1", user=MEMBER)
    assert stored(deps, Risk.close_note) == [HOSTILE]  # decoded once, stored as typed
    assert HOSTILE in stored(deps, RiskUpdate.text)
    [_header, row] = export(slack, "risks")
    assert row.count(HOSTILE) == 3, row  # title, mitigation, close note: as typed in the CSV
    out.assert_inert("chat.postMessage", "chat.update", "views.publish", "views.open")


def test_message_shortcut_quotes_the_message_as_inert_text(
    slack: SlackDriver, deps: Deps, out: Outbound
) -> None:
    make_project(deps)
    text = (
        "<!here> <@U0002> and <@U0003|ann> in <#C0001|general>: see "
        "<https://evil.example|Bank portal> &amp; R&amp;D"
    )
    payload = {
        "type": "message_action",
        "token": "legacy",
        "action_ts": "1.0",
        "team": {"id": TEAM_ID, "domain": "test"},
        "user": {"id": MEMBER, "name": "umember", "team_id": TEAM_ID},
        "channel": {"id": CHANNEL, "name": "proj"},
        "is_enterprise_install": False,
        "callback_id": "risk_flag_message",
        "trigger_id": "trigger-message-shortcut",
        "response_url": slack.fake.response_url("shortcut"),
        "message_ts": "1712345678.000200",
        "message": {"type": "message", "user": OTHER, "ts": "1712345678.000200", "text": text},
    }
    view = modal_after(out, lambda: out.answer(slack.interactive(payload)))
    [description] = [
        block["element"].get("initial_value")
        for block in view["blocks"]
        if block.get("block_id") == "description"
    ]
    assert description == (
        "@here @U0002 and @ann in #general: see Bank portal (https://evil.example) & R&D"
    )
    submit(
        out,
        view,
        {"title": "From a message", "category": "schedule", "likelihood": "5", "impact": "5"},
        user=MEMBER,
    )
    wait_posts(out, "chat.postMessage", 1, channel=CHANNEL)
    out.assert_inert("chat.postMessage", shown="@here @U0002 and @ann")


# -- feedback -------------------------------------------------------------------------------


def test_feedback_comment_and_reply(
    slack: SlackDriver, deps: Deps, out: Outbound, made: Made
) -> None:
    values = {"to_department": str(made.departments["finance"]), "rating": "2", "comment": HOSTILE}
    submit_command(out, "/feedback", "", values, user=MEMBER)
    [dm] = wait_posts(out, "chat.postMessage", 1, channel=LEAD)
    open_home(out, LEAD)
    command(out, "/feedback", "list", user=LEAD)
    feedback_id = next(
        e["value"]
        for block in json.loads(json.dumps(dm.args["blocks"]))
        if block["type"] == "actions"
        for e in block["elements"]
    )
    where = {"user": LEAD, "channel": "D" + LEAD, "message": {"ts": "111.222"}}
    out.answer(slack.action(FeedbackAction.ACKNOWLEDGE, feedback_id, **where))
    reply = modal_after(
        out, lambda: out.answer(slack.action(FeedbackAction.REPLY, feedback_id, **where))
    )
    submit(out, reply, {"reply": HOSTILE}, user=LEAD)
    wait_posts(out, "chat.postMessage", 1, channel=MEMBER)  # the author gets the reply
    command(out, "/feedback", "list", user=LEAD)
    run_now(deps, "weekly_digest", at=NOW)
    out.assert_inert("chat.postMessage", "chat.update", "views.publish")


# -- funds ----------------------------------------------------------------------------------


def test_fund_use_sources_drawdowns_and_void(deps: Deps, out: Outbound, made: Made) -> None:
    submit_command(
        out,
        "/funds",
        "sources",
        {"source_name": SHORT, "source_kind": "equity", "committed": "100万"},
        user=LEAD,
    )
    wait_posts(out, "chat.postMessage", 1, channel=CHANNEL)
    [source_id] = stored(deps, FundingSource.id)
    submit_command(
        out,
        "/funds",
        "drawdown",
        {"source": str(source_id), "amount": "900000", "reference": SHORT},
        user=PM,
    )
    wait_posts(out, "chat.postMessage", 2, channel=CHANNEL)
    submit_command(
        out,
        "/funds",
        "",
        {
            "line": str(made.lines["Construction works"]),
            "amount": "590000",
            "date": "2026-11-25",
            "purpose": HOSTILE,
            "reference": SHORT,
        },
        user=MEMBER,
    )
    wait_posts(out, "chat.postEphemeral", 1, user=MEMBER)
    [entry_id] = stored(deps, FundEntry.id)
    command(out, "/funds", "summary", user=PM)
    command(out, "/funds", "list", user=PM)
    command(out, "/funds", f"void {entry_id} {HOSTILE}", user=PM)
    posted(out, "voided fund-use entry", channel=CHANNEL)
    assert stored(deps, FundEntry.void_reason) == [HOSTILE]
    assert stored(deps, Drawdown.reference) == [SHORT]
    out.assert_inert("chat.postMessage", "http answer")  # lists ride on the ack


# -- project, departments, budget lines, roles ------------------------------------------------


def test_project_departments_and_budget_lines(
    slack: SlackDriver, deps: Deps, out: Outbound
) -> None:
    submit_command(out, "/icrm", "setup", {**SETUP_GOOD, "name": SHORT}, user=PM)
    wait_posts(out, "chat.postMessage", 1, channel=CHANNEL)
    assert stored(deps, Project.name) == [SHORT]

    def add(command_word: str, action_id: str, values: dict[str, Any]) -> None:
        before = len(slack.answers(PM))
        listing = ack_body(command(out, "/icrm", command_word, user=PM))  # on the ack
        value = next(
            e["value"]
            for block in listing["blocks"]
            if block["type"] == "actions"
            for e in block["elements"]
            if e["action_id"] == action_id
        )
        view = modal_after(
            out, lambda: out.answer(slack.action(action_id, value, user=PM, channel=CHANNEL))
        )
        submit(out, view, values, user=PM)
        slack.wait_answers(PM, count=before + 2)

    add(
        "departments",
        ProjectAction.DEPARTMENT_ADD,
        {"name": SHORT, "kind": "other", "lead": LEAD, "responsibilities": HOSTILE},
    )
    add(
        "budget",
        ProjectAction.BUDGET_ADD,
        {"name": SHORT, "category": "land", "allocated": "1000"},
    )
    command(out, "/icrm", "departments", user=PM)
    command(out, "/icrm", "budget", user=PM)
    command(out, "/icrm", "roles", user=PM)
    command(out, "/funds", "summary", user=PM)
    open_home(out, LEAD)
    out.assert_inert("chat.postMessage", "chat.postEphemeral", "views.publish")


# -- meetings and reports -------------------------------------------------------------------


def test_agenda_items_reports_and_excuses(
    slack: SlackDriver, deps: Deps, clock: Clock, out: Outbound
) -> None:
    clock.frozen = dt.datetime(2026, 11, 16, 1, 0, tzinfo=dt.UTC)  # period 0 just closed
    made = make_project(deps)
    with deps.uow() as uow:
        legal = uow.projects.department(made.project_id, made.departments["legal"])
        assert legal is not None
        legal.lead_user_id = LEAD
        legal.name = SHORT  # its name shows in the prompt, the modal, the Home and the summary
        uow.commit()
    [reminder] = run_now(deps, "meeting_reminder", at=clock.frozen)
    assert reminder.outcome == "done", reminder
    [reminder_post] = wait_posts(out, "chat.postMessage", 1, channel=CHANNEL)
    meeting = next(
        e["value"]
        for block in json.loads(json.dumps(reminder_post.args["blocks"]))
        if block["type"] == "actions"
        for e in block["elements"]
    )
    message = {"ts": "1700000000.000100", "text": ""}
    item = modal_after(
        out,
        lambda: out.answer(
            slack.action(
                MeetingAction.ADD_ITEM, meeting, user=MEMBER, channel=CHANNEL, message=message
            )
        ),
    )
    submit(out, item, {"agenda_item": HOSTILE[:300]}, user=MEMBER)
    wait_posts(out, "chat.update", 1)

    run_now(deps, "report_prompt", at=clock.frozen)
    prompts = wait_posts(out, "chat.postMessage", 2, channel=LEAD)
    first, second = (
        {
            e["action_id"]: e["value"]
            for block in json.loads(json.dumps(call.args["blocks"]))
            if block["type"] == "actions"
            for e in block["elements"]
        }
        for call in prompts[:2]
    )
    dm = {"user": LEAD, "channel": "D" + LEAD, "message": {"ts": "1700000001.000100"}}
    report = modal_after(
        out, lambda: out.answer(slack.action(ReportAction.OPEN, first[ReportAction.OPEN], **dm))
    )
    submit(out, report, {"summary": HOSTILE, "next_plan": HOSTILE, "issues": HOSTILE}, user=LEAD)
    excuse = modal_after(
        out,
        lambda: out.answer(slack.action(ReportAction.EXCUSE, second[ReportAction.EXCUSE], **dm)),
    )
    submit(out, excuse, {"reason": HOSTILE}, user=LEAD)
    posted(out, "Excused by", "chat.update")
    with deps.uow() as uow:
        reports = list(uow.session.scalars(select(Report)))
        assert {r.summary for r in reports if r.summary} | {
            r.excuse_reason for r in reports if r.excuse_reason
        } == {HOSTILE}
    open_home(out, LEAD)
    clock.frozen = dt.datetime(2026, 11, 19, 1, 0, tzinfo=dt.UTC)
    run_now(deps, "report_summary", at=clock.frozen)
    run_now(deps, "meeting_reminder", at=dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC))
    # November's scorecard ranks the departments by name (report timeliness is data).
    clock.frozen = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    [scorecard] = run_now(deps, "monthly_scorecard", at=clock.frozen)
    assert scorecard.outcome == "done", scorecard
    post = scorecard_post(out)
    assert any(strong(SHORT) in t for t in _texts(post)), post
    out.assert_inert("chat.postMessage", "chat.update", "views.open")


# -- surveys --------------------------------------------------------------------------------


def test_survey_title_questions_choices_and_free_text(
    slack: SlackDriver, deps: Deps, out: Outbound
) -> None:
    made = make_project(deps)
    set_department(deps, made, "engineering", members=AUDIENCE)
    pushed = submit_command(
        out,
        "/survey",
        "new",
        {
            "title": HOSTILE,
            "template": "custom",
            "rated": [str(made.departments["finance"])],
            "audience_departments": [str(made.departments["engineering"])],
        },
        user=PM,
    )
    assert pushed["response_action"] == "push", pushed
    submit(
        out,
        pushed["view"],
        {
            "q0_prompt": HOSTILE,
            "q0_kind": "choice",
            "q0_choices": "\n".join([SHORT, "<!here> R&D", "&lt;b&gt;"]),
            "q1_prompt": HOSTILE,
            "q1_kind": "text",
        },
        user=PM,
    )
    [survey_id] = stored(deps, Survey.id)
    wait_posts(out, "chat.postMessage", len(AUDIENCE))
    for user in AUDIENCE:
        view = modal_after(
            out,
            lambda user=user: out.answer(
                slack.action("survey_answer", str(survey_id), user=user, channel="D" + user)
            ),
        )
        inputs = [b for b in view["blocks"] if b["type"] == "input"]
        submit(out, view, {inputs[0]["block_id"]: "1", inputs[1]["block_id"]: HOSTILE}, user=user)
    command(out, "/survey", "list", user=PM)
    open_home(out, PM)
    command(out, "/survey", f"close {survey_id}", user=PM)
    posted(out, "Results of “&lt;!channel&gt;", channel=CHANNEL)  # named, escaped
    command(out, "/survey", f"results {survey_id}", user=PM)
    assert "> &lt;!channel&gt;" in out.everything()  # the free-text answers, quoted
    out.assert_inert("chat.postMessage", "views.open")


def test_the_project_picker_decodes_the_command_once(
    slack: SlackDriver, deps: Deps, out: Outbound
) -> None:
    """Run outside a project channel by someone in two projects: the picker re-runs the
    command with the text Slack sent, decoded once (`R&D` stays `R&D`, `&lt;` stays `&lt;`)."""
    made = make_project(deps)
    make_project(deps, code="PWR-7", channel=SECOND_CHANNEL)
    make_risk(deps, made, "Bridge loan", 2, 2, owner=MEMBER)
    note = "R&D fixed &lt;it&gt; <!here>"
    asked = out.answer(
        slack.command("/risk", slack_escaped(f"close R-1 {note}"), user=MEMBER, channel="DMEMBER")
    ).json()
    [choice] = [
        e["value"]
        for block in asked["blocks"]
        if block["type"] == "actions"
        for e in block["elements"]
        if "HWY-42" in e["text"]["text"]
    ]
    out.answer(slack.action(Action.PICK_PROJECT, choice, user=MEMBER, channel="DMEMBER"))
    posted(out, "Closed R-1", "response_url")  # the re-run answers on the response_url
    assert stored(deps, Risk.close_note) == [note]
    out.assert_inert(shown="R&amp;D")
