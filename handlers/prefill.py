"""Contracts between domains at the Slack edge.

Any message may carry a button with action id `Action.RISK_FROM_ALERT` whose value is a
`RiskPrefill` as JSON (at most 2,000 characters): the risks domain answers it by opening the
risk modal prefilled — e.g. the funding-runway alert suggests a funding/liquidity risk.
"""

from __future__ import annotations

from pydantic import BaseModel


class RiskPrefill(BaseModel):
    project_id: int
    category: str  # a risk category value, e.g. "funding_liquidity"
    title: str = ""
    description: str = ""
    likelihood: int | None = None
    impact: int | None = None
    link: str | None = None  # a permalink the risk should point back to
