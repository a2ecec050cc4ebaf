"""Callback ids of the funds modals."""

from __future__ import annotations

from enum import StrEnum


class FundsView(StrEnum):
    FUND_USE = "funds_use"
    SOURCE = "funds_source"
    DRAWDOWN = "funds_drawdown"
    VOID = "funds_void"


class FundsAction(StrEnum):
    """Buttons of `/funds list`; values are `pack`ed JSON."""

    MORE = "funds_list_more"
    VOID = "funds_void_open"


# Block id of the void modal's reason.
VOID_REASON = "reason"
