"""The project's scorecard weights per component."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from bot.scoring import DEFAULT_WEIGHTS, Component
from storage.models import ScorecardWeights
from storage.uow import UnitOfWork


def weights(uow: UnitOfWork, project_id: int) -> dict[Component, int]:
    """The project's weights per component (all 1 until a PM sets them)."""
    row = uow.scorecards.weights(project_id)
    if row is None:
        return dict(DEFAULT_WEIGHTS)
    return {c: int(getattr(row, c.value)) for c in Component}


def set_weights(
    uow: UnitOfWork, project_id: int, values: Mapping[Component, int], *, now: dt.datetime
) -> None:
    """Store the weights (validated by the caller: 0–10 each, at least one above 0). The
    caller audits and commits."""
    row = uow.scorecards.weights(project_id)
    if row is None:
        row = ScorecardWeights(project_id=project_id)
        uow.scorecards.add(row)
    for component in Component:
        setattr(row, component.value, int(values[component]))
    row.updated_at = now
