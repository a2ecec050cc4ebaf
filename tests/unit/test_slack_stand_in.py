"""The Slack stand-in refuses what Slack refuses, with Slack's own errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.slack_api import FakeSlack


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    stand_in = FakeSlack().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake.api_url)


def refused(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as caught:
        call()
    return dict(caught.value.response.data)


def section(text: str = "hi", **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(action_id: str, value: str = "v", text: str = "Go") -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": action_id,
        "value": value,
        "text": {"type": "plain_text", "text": text},
    }


def select(options: int, value: str = "v", text: str = "x") -> dict[str, Any]:
    return {
        "type": "static_select",
        "action_id": "pick",
        "options": [
            {"text": {"type": "plain_text", "text": text}, "value": f"{value}{i}"}
            for i in range(options)
        ],
    }


def modal(blocks: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Title"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": blocks,
        **extra,
    }


INPUT = {
    "type": "input",
    "block_id": "name",
    "label": {"type": "plain_text", "text": "Name"},
    "element": {"type": "plain_text_input", "action_id": "value"},
}


def test_a_valid_message_and_view_are_accepted(fake: FakeSlack, client: WebClient) -> None:
    assert client.chat_postMessage(channel="CPROJ", text="hi", blocks=[section()])["ok"]
    assert client.views_open(trigger_id="t", view=modal([INPUT], submit=INPUT["label"]))["ok"]
    assert fake.refusals == []


BAD_MESSAGE_BLOCKS = {
    "same action_id twice in one block": (
        [section(), {"type": "actions", "elements": [button("pick"), button("pick")]}],
        'action_id "pick" already exists',
    ),
    "same block_id twice": ([section(block_id="a"), section(block_id="a")], "block_id"),
    "51 blocks": ([section()] * 51, "no more than 50"),
    "section text over 3,000": ([section("x" * 3001)], "/blocks/0/text"),
    "header over 150": (
        [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
        "/blocks/0/text",
    ),
    "button text over 75": (
        [{"type": "actions", "elements": [button("a", text="t" * 76)]}],
        "/elements/0/text",
    ),
    "button value over 2,000": (
        [{"type": "actions", "elements": [button("a", value="v" * 2001)]}],
        "/elements/0/value",
    ),
    "option value over 150": (
        [{"type": "actions", "elements": [select(1, value="v" * 151)]}],
        "/options/0/value",
    ),
    "option text over 75": (
        [{"type": "actions", "elements": [select(1, text="t" * 76)]}],
        "/options/0/text",
    ),
    "101 options": ([{"type": "actions", "elements": [select(101)]}], "no more than 100"),
}


@pytest.mark.parametrize("blocks, reason", BAD_MESSAGE_BLOCKS.values(), ids=BAD_MESSAGE_BLOCKS)
@pytest.mark.parametrize(
    "method", ["chat.postMessage", "chat.postEphemeral", "chat.update", "chat.scheduleMessage"]
)
def test_a_message_breaking_block_kit_is_refused(
    fake: FakeSlack, client: WebClient, method: str, blocks: list[dict[str, Any]], reason: str
) -> None:
    args = {"channel": "CPROJ", "text": "fallback", "blocks": blocks}
    extra = (
        {
            "chat.postEphemeral": {"user": "UMEMBER"},
            "chat.update": {"ts": "1.0"},
            "chat.scheduleMessage": {"post_at": 2000000000},
        }[method]
        if method != "chat.postMessage"
        else {}
    )
    answer = refused(lambda: client.api_call(method, json={**args, **extra}))
    assert answer["error"] == "invalid_blocks"
    [message] = [m for m in answer["response_metadata"]["messages"] if reason in m]
    assert message.startswith("[ERROR] ")
    assert "CPROJ" not in fake.messages
    assert [c.error for c in fake.refusals] == ["invalid_blocks"]


BAD_VIEWS = {
    "same action_id twice in one block": (
        modal([{"type": "actions", "elements": [button("a"), button("a")]}]),
        'action_id "a" already exists',
    ),
    "same block_id twice": (
        modal([section(block_id="x"), section(block_id="x")]),
        'block_id "x" already exists',
    ),
    "101 blocks": (modal([section()] * 101), "no more than 100"),
    "private_metadata over 3,000": (
        modal([section()], private_metadata="m" * 3001),
        "private_metadata",
    ),
    "title over 24": (
        modal([section()], title={"type": "plain_text", "text": "t" * 25}),
        "/view/title",
    ),
    "submit over 24": (
        modal([INPUT], submit={"type": "plain_text", "text": "s" * 25}),
        "/view/submit",
    ),
    "close over 24": (
        modal([section()], close={"type": "plain_text", "text": "c" * 25}),
        "/view/close",
    ),
    "input blocks without submit": (modal([INPUT]), "needs submit"),
    "101 options": (
        modal([{**INPUT, "element": select(101)}], submit=INPUT["label"]),
        "no more than 100",
    ),
}


@pytest.mark.parametrize("view, reason", BAD_VIEWS.values(), ids=BAD_VIEWS)
@pytest.mark.parametrize("method", ["views.open", "views.push", "views.update"])
def test_a_view_breaking_block_kit_is_refused(
    client: WebClient, method: str, view: dict[str, Any], reason: str
) -> None:
    answer = refused(
        lambda: client.api_call(method, json={"trigger_id": "t", "view_id": "V1", "view": view})
    )
    assert answer["error"] == "invalid_arguments"
    assert any(reason in m for m in answer["response_metadata"]["messages"])


def test_a_home_tab_of_101_blocks_is_refused(client: WebClient) -> None:
    view = {"type": "home", "blocks": [section()] * 101}
    answer = refused(lambda: client.views_publish(user_id="UMEMBER", view=view))
    assert answer["error"] == "invalid_arguments"
    assert client.views_publish(user_id="UMEMBER", view={**view, "blocks": [section()] * 100})


def test_message_text_over_40000_and_an_update_over_4000_are_too_long(
    client: WebClient,
) -> None:
    assert client.chat_postMessage(channel="CPROJ", text="x" * 40_000)["ok"]
    long = refused(lambda: client.chat_postMessage(channel="CPROJ", text="x" * 40_001))
    assert long["error"] == "msg_too_long"
    assert client.chat_update(channel="CPROJ", ts="1.0", text="x" * 4000)["ok"]
    update = refused(lambda: client.chat_update(channel="CPROJ", ts="1.0", text="x" * 4001))
    assert update["error"] == "msg_too_long"


def test_a_message_without_text_or_blocks_is_refused(client: WebClient) -> None:
    assert refused(lambda: client.chat_postMessage(channel="CPROJ"))["error"] == "no_text"


def test_posts_go_only_where_the_bot_is_a_member(fake: FakeSlack, client: WebClient) -> None:
    fake.channel("CPUBLIC", bot_member=False)
    fake.channel("CSECRET", private=True, bot_member=False)
    fake.channel("CTEAM", members=["UMEMBER"])
    for channel, error in (("CPUBLIC", "not_in_channel"), ("CSECRET", "channel_not_found")):
        post = refused(lambda c=channel: client.chat_postMessage(channel=c, text="hi"))
        assert post["error"] == error
        ephemeral = refused(
            lambda c=channel: client.chat_postEphemeral(channel=c, user="UMEMBER", text="hi")
        )
        assert ephemeral["error"] == error
        upload = refused(
            lambda c=channel: client.api_call(
                "files.completeUploadExternal",
                json={"files": [{"id": "F1"}], "channel_id": c},
            )
        )
        assert upload["error"] == error
    outsider = refused(lambda: client.chat_postEphemeral(channel="CTEAM", user="UOTHER", text="hi"))
    assert outsider["error"] == "user_not_in_channel"
    assert client.chat_postEphemeral(channel="CTEAM", user="UMEMBER", text="hi")["ok"]
    assert client.chat_postMessage(channel="CANYWHERE", text="unknown channels are open")["ok"]


def test_the_bot_joins_public_channels_only(fake: FakeSlack, client: WebClient) -> None:
    fake.channel("CPUBLIC", bot_member=False)
    fake.channel("CSECRET", private=True, bot_member=False)
    assert client.conversations_join(channel="CPUBLIC")["ok"]
    assert client.chat_postMessage(channel="CPUBLIC", text="now a member")["ok"]
    join = refused(lambda: client.conversations_join(channel="CSECRET"))
    assert join["error"] == "method_not_supported_for_channel_type"
    assert refused(lambda: client.conversations_info(channel="CSECRET"))["error"] == (
        "channel_not_found"
    )


def test_enterprise_grid_user_ids_are_users(client: WebClient) -> None:
    assert client.users_info(user="W0GRID")["user"]["id"] == "W0GRID"
    assert client.conversations_open(users="W0GRID")["channel"]["id"] == "DW0GRID"
    assert client.chat_postMessage(channel="W0GRID", text="a DM")["channel"] == "DW0GRID"
    assert refused(lambda: client.users_info(user="CPROJ"))["error"] == "user_not_found"


def test_a_response_url_checks_blocks_and_takes_five_posts(fake: FakeSlack) -> None:
    url = fake.response_url()
    twice = {"type": "actions", "elements": [button("a"), button("a")]}
    bad = httpx.post(url, json={"text": "x", "blocks": [twice]})
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_blocks"
    assert any("already exists" in m for m in bad.json()["response_metadata"]["messages"])
    for n in range(5):
        assert httpx.post(url, json={"text": f"answer {n}"}).status_code == 200
    sixth = httpx.post(url, json={"text": "one too many"})
    assert sixth.status_code == 404 and sixth.json()["error"] == "used_url"
    assert [c.error for c in fake.refusals] == ["invalid_blocks", "used_url"]
    assert httpx.post(fake.response_url(), json={"text": "a new url"}).status_code == 200


# -- custom steps (functions.completeSuccess / completeError) ---------------------------------

OUTPUTS = [
    {"name": "entry_id", "type": "integer", "is_required": True},
    {"name": "line_percent_used", "type": "number", "is_required": False},
]


def test_a_step_is_completed_once_with_its_required_outputs(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.start_function("Fx1", callback_id="s", team_id=fake.team_id, output_parameters=OUTPUTS)

    assert client.functions_completeSuccess(function_execution_id="Fx1", outputs={"entry_id": 7})
    assert fake.executions["Fx1"].outputs == {"entry_id": 7}
    again = refused(
        lambda: client.functions_completeSuccess(
            function_execution_id="Fx1", outputs={"entry_id": 7}
        )
    )
    assert again["error"] == "execution_not_in_running_state"
    assert (
        refused(lambda: client.functions_completeError(function_execution_id="Fx1", error="x"))[
            "error"
        ]
        == "execution_not_in_running_state"
    )


@pytest.mark.parametrize(
    ("outputs", "reason"),
    [
        ({}, "missing required output parameter: entry_id"),
        ({"entry_id": None}, "missing required output parameter: entry_id"),
        ({"entry_id": "7"}, "entry_id must be of type integer"),
        ({"entry_id": True}, "entry_id must be of type integer"),
        ({"entry_id": 7, "line_percent_used": "20%"}, "line_percent_used must be of type number"),
    ],
)
def test_outputs_that_do_not_fit_the_step_are_refused_and_it_keeps_running(
    fake: FakeSlack, client: WebClient, outputs: dict[str, Any], reason: str
) -> None:
    fake.start_function("Fx2", callback_id="s", team_id=fake.team_id, output_parameters=OUTPUTS)

    answer = refused(
        lambda: client.functions_completeSuccess(function_execution_id="Fx2", outputs=outputs)
    )

    assert answer["error"] == "parameter_validation_failed"
    assert any(reason in m for m in answer["errors"])
    assert fake.executions["Fx2"].state == "running"


def test_an_unknown_execution_is_not_found_and_an_error_needs_words(
    fake: FakeSlack, client: WebClient
) -> None:
    unknown = refused(
        lambda: client.functions_completeError(function_execution_id="FxNO", error="x")
    )
    assert unknown["error"] == "function_execution_not_found"
    fake.start_function("Fx3", callback_id="s", team_id=fake.team_id, output_parameters=OUTPUTS)
    blank = refused(lambda: client.functions_completeError(function_execution_id="Fx3", error=" "))
    assert blank["error"] == "invalid_arguments"

    assert client.functions_completeError(function_execution_id="Fx3", error="No such line.")
    assert (fake.executions["Fx3"].state, fake.executions["Fx3"].error) == (
        "failed",
        "No such line.",
    )


def test_another_workspaces_token_does_not_find_the_execution(fake: FakeSlack) -> None:
    from bot.sandbox.oauth import Grant

    fake.oauth.tokens["xoxb-beta"] = Grant("T0BETA22", None, "UB1")
    fake.start_function("Fx4", callback_id="s", team_id="T0ALPHA1", output_parameters=OUTPUTS)
    beta = WebClient(token="xoxb-beta", base_url=fake.api_url)

    answer = refused(
        lambda: beta.functions_completeSuccess(function_execution_id="Fx4", outputs={"entry_id": 1})
    )

    assert answer["error"] == "function_execution_not_found"
    assert fake.executions["Fx4"].state == "running"


def test_ids_the_workspace_does_not_have_are_not_found(fake: FakeSlack, client: WebClient) -> None:
    fake.unknown("UGHOST", "CGONE")
    assert refused(lambda: client.users_info(user="UGHOST"))["error"] == "user_not_found"
    assert refused(lambda: client.users_info(user="<!channel>"))["error"] == "user_not_found"
    assert refused(lambda: client.conversations_open(users="UGHOST"))["error"] == "user_not_found"
    assert refused(lambda: client.chat_postMessage(channel="UGHOST", text="hi"))["error"] == (
        "channel_not_found"
    )
    for channel in ("CGONE", "not-a-channel", "<!here>"):
        assert refused(lambda c=channel: client.conversations_info(channel=c))["error"] == (
            "channel_not_found"
        )
    assert (
        client.users_info(user="UREAL")["ok"] and client.conversations_info(channel="CREAL")["ok"]
    )
    fake.reset()
    assert client.users_info(user="UGHOST")["ok"]


def bar(title: str = "Spent by line", series: int = 1, points: int = 3) -> dict[str, Any]:
    categories = [f"Line {i}" for i in range(points)]
    return {
        "type": "data_visualization",
        "title": title,
        "chart": {
            "type": "bar",
            "series": [
                {"name": f"S{s}", "data": [{"label": c, "value": 10 * s + 1} for c in categories]}
                for s in range(series)
            ],
            "axis_config": {"categories": categories, "x_label": "Line", "y_label": "CNY"},
        },
    }


def pie(segments: int) -> dict[str, Any]:
    return {
        "type": "data_visualization",
        "title": "Share",
        "chart": {
            "type": "pie",
            "segments": [{"label": f"D{i}", "value": i + 1} for i in range(segments)],
        },
    }


def table(rows: int = 2, columns: int = 2, cell: str = "x") -> dict[str, Any]:
    header = [{"type": "raw_text", "text": f"H{j}"} for j in range(columns)]
    body = [
        [{"type": "raw_number", "value": i, "text": cell} for _j in range(columns)]
        for i in range(rows)
    ]
    return {"type": "data_table", "caption": "Lines", "rows": [header, *body]}


def test_native_charts_and_tables_within_the_limits_are_accepted(
    fake: FakeSlack, client: WebClient
) -> None:
    blocks = [bar("t" * 50, series=6, points=20), pie(6), table(rows=100, columns=20)]
    assert client.chat_postMessage(channel="CPROJ", text="chart", blocks=blocks)["ok"]
    for kind in ("line", "area"):
        chart = bar()
        chart["chart"]["type"] = kind
        assert client.chat_postMessage(channel="CPROJ", text="chart", blocks=[chart])["ok"]
    assert client.chat_postMessage(channel="CPROJ", text="pie", blocks=[pie(1)])["ok"]
    assert fake.refusals == []


def _bent(change: Any) -> dict[str, Any]:
    chart = bar()
    change(chart)
    return chart


BAD_CHARTS = {
    "three charts in one message": ([bar(), pie(2), bar()], "at most 2 data_visualization"),
    "title over 50": ([bar("t" * 51)], "/blocks/0/title"),
    "no title": ([_bent(lambda c: c.pop("title"))], "/blocks/0/title"),
    "pie of 7 segments": ([pie(7)], "/blocks/0/chart/segments"),
    "pie of no segment": ([pie(0)], "/blocks/0/chart/segments"),
    "negative pie segment": (
        [{**pie(1), "chart": {"type": "pie", "segments": [{"label": "a", "value": -1}]}}],
        "must not be negative",
    ),
    "7 series": ([bar(series=7)], "/blocks/0/chart/series"),
    "21 points": ([bar(points=21)], "/blocks/0/chart/axis_config/categories"),
    "unknown chart type": (
        [_bent(lambda c: c["chart"].update(type="scatter"))],
        "unknown chart type 'scatter'",
    ),
    "series name over 20": (
        [_bent(lambda c: c["chart"]["series"][0].update(name="n" * 21))],
        "/series/0/name",
    ),
    "same series name twice": (
        [_bent(lambda c: c["chart"]["series"].append(dict(c["chart"]["series"][0])))],
        'series name "S0" already exists',
    ),
    "point outside the categories": (
        [_bent(lambda c: c["chart"]["series"][0]["data"][0].update(label="Other"))],
        "one of axis_config.categories",
    ),
    "value not a number": (
        [_bent(lambda c: c["chart"]["series"][0]["data"][0].update(value="12"))],
        "must be a number",
    ),
    "no axis_config": (
        [_bent(lambda c: c["chart"].pop("axis_config"))],
        "must provide axis_config",
    ),
    "axis label over 50": (
        [_bent(lambda c: c["chart"]["axis_config"].update(y_label="y" * 51))],
        "/axis_config/y_label",
    ),
    "table of a header only": ([table(rows=0)], "/blocks/0/rows"),
    "table of 101 rows": ([table(rows=101)], "/blocks/0/rows"),
    "table of 21 columns": ([table(columns=21)], "/blocks/0/rows/0"),
    "rows of unequal length": (
        [{**table(), "rows": [*table()["rows"], [{"type": "raw_text", "text": "x"}]]}],
        "every row must have 2 cells",
    ),
    "table over 10,000 characters": (
        [table(rows=2, columns=2, cell="c" * 2600)],
        "the cells hold more than 10000",
    ),
    "two tables over 10,000 together": (
        [table(rows=1, columns=2, cell="c" * 2600), table(rows=1, columns=2, cell="c" * 2600)],
        "the tables of a message",
    ),
    "rich_text header": (
        [{**table(), "rows": [[{"type": "rich_text", "elements": []}] * 2, *table()["rows"][1:]]}],
        "header row [json-pointer:/blocks/0/rows/0/0]",
    ),
    "table without caption": ([{**table(), "caption": ""}], "caption"),
    "page_size over 100": ([{**table(), "page_size": 101}], "page_size"),
}


@pytest.mark.parametrize("blocks, reason", BAD_CHARTS.values(), ids=BAD_CHARTS)
def test_a_chart_or_table_breaking_the_limits_is_refused(
    fake: FakeSlack, client: WebClient, blocks: list[dict[str, Any]], reason: str
) -> None:
    answer = refused(lambda: client.chat_postMessage(channel="CPROJ", text="x", blocks=blocks))
    assert answer["error"] == "invalid_blocks"
    [message] = [m for m in answer["response_metadata"]["messages"] if reason in m]
    assert message.startswith("[ERROR] ")
    assert "CPROJ" not in fake.messages


@pytest.mark.parametrize("block", [bar(), table()], ids=["chart", "table"])
def test_charts_and_tables_are_refused_in_modals_and_home(
    client: WebClient, block: dict[str, Any]
) -> None:
    answer = refused(lambda: client.views_open(trigger_id="t", view=modal([block])))
    assert answer["error"] == "invalid_arguments"
    assert any("only allowed in messages" in m for m in answer["response_metadata"]["messages"])
    home = refused(
        lambda: client.views_publish(user_id="UMEMBER", view={"type": "home", "blocks": [block]})
    )
    assert any("only allowed in messages" in m for m in home["response_metadata"]["messages"])
