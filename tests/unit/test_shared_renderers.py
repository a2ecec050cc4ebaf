"""The small pieces every domain's renderers share (handlers/text.py, handlers/blocks.py)."""

from __future__ import annotations

import datetime as dt

from bot.i18n import translator
from bot.labels import WEEKDAY
from handlers import blocks as b
from handlers.risks.views.labels import LIKELIHOOD, TREATMENT
from handlers.text import slack_time
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
