"""Each modal a workflow step saves through labels its inputs from the table the step's
errors name the fields with, so the two cannot drift apart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal

import pytest
from slack_sdk.models.views import View

from bot.forms import Form
from bot.i18n import Msg, Translator, translator
from bot.services.feedback import DepartmentChoice, FeedbackField
from bot.services.funds import LineStatus
from bot.services.risks import RiskField
from handlers.feedback.views import give_modal
from handlers.funds.views.modals import fund_use_modal
from handlers.risks.views.modals import risk_modal
from handlers.steps.steps import STEPS


def _fund_use(tr: Translator) -> View:
    line = LineStatus(1, "Civil works", "construction", None, Decimal(100), Decimal(0))
    return fund_use_modal([line], tr, today=dt.date(2026, 12, 3), metadata="", warnings=["!"])


def _risk(tr: Translator) -> View:
    return risk_modal(
        Form(RiskField), tr, project_label="P", departments=[], review="2026-12-17", metadata=""
    )


def _feedback(tr: Translator) -> View:
    return give_modal(Form(FeedbackField), [DepartmentChoice(1, "A")], tr, project="P", metadata="")


MODALS: dict[str, Callable[[Translator], View]] = {
    "record_fund_use": _fund_use,
    "flag_risk": _risk,
    "send_feedback": _feedback,
}


@pytest.mark.parametrize("locale", ["en", "zh-Hans"])
@pytest.mark.parametrize(("step", "labels"), [(str(s), labels) for s, _save, labels in STEPS])
def test_a_steps_field_names_are_its_modals_input_labels(
    step: str, labels: Mapping[str, Msg], locale: str
) -> None:
    tr = translator(locale)
    view = MODALS[step](tr).to_dict()
    shown = {x["block_id"]: x["label"]["text"] for x in view["blocks"] if x["type"] == "input"}
    assert shown == {field: tr(label) for field, label in labels.items()}
