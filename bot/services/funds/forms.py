"""The fields of the fund-use, funding-source and drawdown modals (their block ids): what
they submit is a `bot.forms.Form` of them."""

from __future__ import annotations

from enum import StrEnum


class FundField(StrEnum):
    """Fields of the fund-use modal; the modal uses the same names as block ids."""

    LINE = "line"
    AMOUNT = "amount"
    DATE = "date"
    PURPOSE = "purpose"
    REFERENCE = "reference"
    REASON = "reason"  # the confirm step: why record it despite what the checks found


class SourceField(StrEnum):
    NAME = "source_name"
    KIND = "source_kind"
    COMMITTED = "committed"


class DrawdownField(StrEnum):
    SOURCE = "source"
    AMOUNT = "amount"
    DATE = "date"
    REFERENCE = "reference"
