"""handlers/text.py: user text made inert for mrkdwn, and the two ways text comes in."""

from __future__ import annotations

import datetime as dt
import json

from bot.i18n import _, translator
from bot.services.risks import RiskCard
from handlers import blocks as b
from handlers.risks.views import alert_message
from handlers.text import esc, esc_params, inert_mrkdwn, strong, unescape


def test_esc_escapes_only_the_three_control_characters() -> None:
    assert (
        esc("<!channel> <@U0002> R&D *b* 中文")
        == "&lt;!channel&gt; &lt;@U0002&gt; R&amp;D *b* 中文"
    )
    assert esc("&lt;already&gt;") == "&amp;lt;already&amp;gt;"  # shown as typed
    assert esc(None) == ""


def test_outside_a_wrapper_people_keep_their_formatting() -> None:
    assert esc("*bold* _it_ ~s~ `code`") == "*bold* _it_ ~s~ `code`"


def test_inside_the_bots_bold_a_name_stays_one_bold_name() -> None:
    name = strong("R&D *draft* line")
    assert name == "R&amp;D ＊draft＊ line"
    rendered = f"*{name}*"
    assert rendered.count("*") == 2 and rendered.startswith("*") and rendered.endswith("*")
    assert strong("_a_ ~b~ `c`") == "＿a＿ ～b～ ｀c｀"


def test_unescape_decodes_slash_command_text_once() -> None:
    assert unescape("R&amp;D &lt;!here&gt;") == "R&D <!here>"
    assert unescape("&amp;lt;") == "&lt;"  # typed `&lt;` stays `&lt;`


def test_inert_mrkdwn_turns_live_tokens_into_text() -> None:
    text = (
        "<!here> <!channel> <@U1> <@U2|ann> <#C1> <#C2|general> <!subteam^S1|@team> "
        "<!date^1700000000^{date}|14 Nov> <https://evil.example|Bank portal> <https://a.example> "
        "R&amp;D &lt;b&gt;"
    )
    assert inert_mrkdwn(text) == (
        "@here @channel @U1 @ann #C1 #general @team 14 Nov "
        "Bank portal (https://evil.example) https://a.example R&D <b>"
    )


def test_esc_params_keeps_the_services_mentions_live() -> None:
    message = _("{text} (added by {user})", text="<!channel>", user="<@UPM>")
    assert translator("en")(esc_params(message)) == "&lt;!channel&gt; (added by <@UPM>)"
    wrapped = _("Budget line *{line}* is full", line="*x*")
    assert translator("en")(esc_params(wrapped, wrapped=("line",))) == "Budget line *＊x＊* is full"


def test_plain_text_objects_are_not_escaped() -> None:
    assert b.header("R&D <b>").text.text == "R&D <b>"
    assert b.button("R&D", "a").text.text == "R&D"
    assert b.text_input("f", "Label", initial="R&D <b>").element.initial_value == "R&D <b>"


def test_an_alert_escapes_user_text_but_not_its_own_mentions() -> None:
    at = dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC)
    card = RiskCard(
        id=1, project_id=1, number=7, title="R&D *draft* line <!here>",
        description="<@U0002> see <https://evil.example|portal>", category="schedule",
        likelihood=4, impact=4, score=16, owner_id="UOWNER", department_id=None,
        department_name="<#C0001>", department_lead=None, mitigation="*hedge* it",
        treatment=None, due_on=None, review_on=None, status="open", raised_by="URAISER",
        created_at=at, acknowledged_by=None, acknowledged_at=None, closed_by=None,
        closed_at=None, close_note=None, alert_channel=None, alert_ts=None, source_link=None,
    )  # fmt: skip
    text, blocks = alert_message(card, translator("en"), project_code="HWY-42")
    rendered = json.dumps([x.to_dict() for x in blocks], ensure_ascii=False)
    assert "R&amp;D ＊draft＊ line &lt;!here&gt;" in text
    assert rendered.count("<") == rendered.count("<@U") + rendered.count("<!date^")
    assert "<@UOWNER>" in rendered and "<@URAISER>" in rendered
    assert "&lt;@U0002&gt; see &lt;https://evil.example|portal&gt;" in rendered
    assert "*hedge* it" in rendered  # outside the bot's wrappers formatting is the author's


def test_esc_params_reaches_into_the_parts_of_a_message() -> None:
    part = _("{department}: {lead}", department="<!here> R&D", lead="<@ULEAD>")
    message = _("Your lead: {leads}.", leads=part)
    assert translator("en")(esc_params(message)) == "Your lead: &lt;!here&gt; R&amp;D: <@ULEAD>."


def test_a_named_survey_comment_keeps_its_authors_mention_live() -> None:
    from handlers.surveys.views import _comment

    assert _comment("<!here> R&D", "UAUD01") == "> &lt;!here&gt; R&amp;D — <@UAUD01>"
    assert _comment("<@U0002>", None) == "> &lt;@U0002&gt;"
