"""Callback ids of the funds modals."""

from __future__ import annotations

from enum import StrEnum


class FundsView(StrEnum):
    FUND_USE = "funds_use"
    SOURCE = "funds_source"
    DRAWDOWN = "funds_drawdown"
