"""What the fund-use, funding-source and drawdown modals submit, and their field ids."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel


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


class FundUseForm(BaseModel):
    line: str | None = None
    amount: str | None = None
    date: str | None = None
    purpose: str | None = None
    reference: str | None = None
    reason: str | None = None


class SourceForm(BaseModel):
    source_name: str | None = None
    source_kind: str | None = None
    committed: str | None = None


class DrawdownForm(BaseModel):
    source: str | None = None
    amount: str | None = None
    date: str | None = None
    reference: str | None = None
