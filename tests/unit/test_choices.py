"""Type-ahead matching and Slack's rules for an options answer (pure)."""

from __future__ import annotations

from bot.sandbox.blockkit import problems_in_options, problems_in_view
from bot.services.choices import Choice, matching
from handlers import blocks as b

CHOICES = [Choice(str(i), f"Line {i:03d}", ("construction", f"#{i}")) for i in range(1, 301)]


def test_matching_is_case_and_width_blind_starts_first_and_capped() -> None:
    assert [c.label for c in matching(CHOICES, "LINE 25")] == [f"Line {n}" for n in range(250, 260)]
    assert [c.value for c in matching(CHOICES, "#250")] == ["250"]
    assert len(matching(CHOICES, "line")) == 100
    assert len(matching(CHOICES, "")) == 100
    chinese = [
        Choice("1", "土地征收补偿"),
        Choice("2", "设备采购", ("equipment",)),
        Choice("3", "补偿款"),
    ]
    assert [c.value for c in matching(chinese, "补偿")] == ["3", "1"]  # starts-with first
    assert [c.value for c in matching(chinese, "ＥＱＵＩＰ")] == ["2"]
    assert matching(chinese, "   ") == chinese


def test_a_long_select_becomes_type_ahead_and_a_short_one_stays_static() -> None:
    many = [(str(i), f"Line {i}") for i in range(150)]
    long = b.select_input("line", "Line", many, initial="120", suggest="suggest_budget_line")
    element = long.to_dict()["element"]
    assert element["type"] == "external_select" and "options" not in element
    assert element["initial_option"]["value"] == "120" and element["min_query_length"] == 1
    short = b.select_input("line", "Line", many[:100], suggest="suggest_budget_line")
    assert short.to_dict()["element"]["type"] == "static_select"
    plain = b.select_input("line", "Line", many, initial="120").to_dict()["element"]
    assert len(plain["options"]) == 100 and "initial_option" not in plain  # not among them
    view = {"type": "modal", "title": {"type": "plain_text", "text": "t"},
            "submit": {"type": "plain_text", "text": "s"}, "blocks": [long.to_dict()]}  # fmt: skip
    assert problems_in_view(view) == []


def test_options_answers_are_held_to_slacks_limits() -> None:
    one = {"text": {"type": "plain_text", "text": "Line 1"}, "value": "1"}
    assert problems_in_options({"options": [one] * 100}) == []
    assert problems_in_options({"options": []}) == []
    assert "no more than 100" in problems_in_options({"options": [one] * 101})[0]
    too_long = {"text": {"type": "plain_text", "text": "x" * 76}, "value": "v" * 151}
    assert len(problems_in_options({"options": [too_long]})) == 2
    assert problems_in_options({}) != []
    bad_select = {
        "type": "external_select",
        "action_id": "a",
        "options": [one],
        "min_query_length": -1,
    }
    view = {"type": "modal", "title": {"type": "plain_text", "text": "t"},
            "submit": {"type": "plain_text", "text": "s"},
            "blocks": [{"type": "input", "block_id": "x", "label": {"type": "plain_text", "text": "l"},
                        "element": bad_select}]}  # fmt: skip
    assert len(problems_in_view(view)) == 2


def test_every_kind_of_people_and_channel_select_is_checked() -> None:
    from handlers.people import picked

    view = {
        "state": {
            "values": {
                "owner": {"v": {"type": "users_select", "selected_user": "U1ANN"}},
                "people": {
                    "v": {"type": "multi_users_select", "selected_users": ["U2BOB", "W3GRID"]}
                },
                "where": {"v": {"type": "conversations_select", "selected_conversation": "C4X"}},
                "many": {"v": {"type": "multi_channels_select", "selected_channels": ["C5Y"]}},
                "bad": {
                    "v": {"type": "users_select", "selected_user": "<!channel>"}
                },  # read_state's
                "name": {"v": {"type": "plain_text_input", "value": "U6NOTAPICK"}},
            }
        }
    }
    assert list(picked(view)) == [
        ("owner", "user", "U1ANN"),
        ("people", "user", "U2BOB"),
        ("people", "user", "W3GRID"),
        ("where", "conversation", "C4X"),
        ("many", "conversation", "C5Y"),
    ]
    assert list(picked({})) == [] and list(picked({"state": {"values": {"x": "junk"}}})) == []
