"""The small pieces every domain's renderers share (handlers/text.py, handlers/blocks.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bot.i18n import translator
from bot.labels import WEEKDAY
from bot.periods import Period
from bot.services.choices import MAX_OPTIONS
from handlers import blocks as b
from handlers.risks.views.labels import LIKELIHOOD, TREATMENT
from handlers.text import percent, period_dates, slack_time
from storage.models import RiskTreatment


def test_a_slack_time_falls_back_to_the_utc_time() -> None:
    moment = dt.datetime(2026, 11, 2, 1, 30, tzinfo=dt.UTC)
    assert slack_time(moment) == (
        f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|2026-11-02 01:30 UTC>"
    )


def test_a_slack_time_falls_back_to_the_time_in_the_zone_given() -> None:
    moment = dt.datetime(2026, 11, 2, 1, 30, tzinfo=dt.UTC)
    token = slack_time(moment, "Asia/Shanghai")
    assert token.startswith(f"<!date^{int(moment.timestamp())}^")
    assert token.endswith("|2026-11-02 09:30 CST>")


def test_a_label_table_gives_its_keys_with_the_labels_translated() -> None:
    choices = b.labelled(TREATMENT, translator("zh-Hans"))
    assert [value for value, _text in choices] == [str(t) for t in RiskTreatment]
    assert choices[0] == ("treat", translator("zh-Hans")(TREATMENT[RiskTreatment.TREAT]))
    assert b.labelled({5: TREATMENT[RiskTreatment.TREAT]}, translator("en")) == [
        ("5", "Treat (reduce it)")
    ]


def test_labels_in_order_are_numbered_from_zero_or_from_the_first_given() -> None:
    en = translator("en")
    assert b.numbered(WEEKDAY, en)[:2] == [("0", "Monday"), ("1", "Tuesday")]
    assert b.numbered(LIKELIHOOD, en, first=1)[-1] == ("5", "5 · Almost certain")


def test_a_reason_is_a_required_answer_of_a_few_lines() -> None:
    block = b.reason_input("why", "Why?", placeholder="e.g. a duplicate").to_dict()
    assert block["optional"] is False
    assert block["element"]["multiline"] is True
    assert block["element"]["max_length"] == 2000
    assert block["element"]["placeholder"]["text"] == "e.g. a duplicate"


def test_a_multi_select_is_optional_and_holds_what_slack_allows() -> None:
    choices = [(str(i), f"Department {i}") for i in range(MAX_OPTIONS + 5)]
    block = b.multi_select_input("rated", "Rated", choices, chosen=["1", "3"]).to_dict()
    assert block["optional"] is True
    assert len(block["element"]["options"]) == MAX_OPTIONS
    assert [o["value"] for o in block["element"]["initial_options"]] == ["1", "3"]
    assert "initial_options" not in b.multi_select_input("r", "R", choices[:2]).to_dict()["element"]


def test_a_stored_value_without_a_label_is_shown_as_stored() -> None:
    zh = translator("zh-Hans")
    assert b.label_of(TREATMENT, RiskTreatment.TREAT, zh) == zh(TREATMENT[RiskTreatment.TREAT])
    assert b.label_of(TREATMENT, "retired_kind", zh) == "retired_kind"


def test_a_percentage_that_cannot_be_known_is_a_dash() -> None:
    en = translator("en")
    assert percent(Decimal("0.125"), en) == en.percent(Decimal("0.125"))
    assert percent(None, en) == "—"


def test_a_period_is_its_first_and_last_day() -> None:
    en = translator("en")
    period = Period(dt.date(2026, 11, 2), 0)
    assert period_dates(period, en) == f"{en.date(period.start)} – {en.date(period.end)}"


def test_one_person_or_several() -> None:
    one = b.user_input("lead", "Lead", initial="U1", optional=True).to_dict()
    assert one["element"] == {"type": "users_select", "action_id": "value", "initial_user": "U1"}
    assert "initial_user" not in b.user_input("lead", "Lead").to_dict()["element"]
    several = b.users_input("members", "Members", initial=["U1", "U2"]).to_dict()
    assert several["element"]["initial_users"] == ["U1", "U2"]
