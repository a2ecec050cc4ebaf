"""Read the database in tests."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import Deps


def count(deps: Deps, model: type) -> int:
    """How many rows `model`'s table holds, read in a transaction of its own."""
    with deps.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)
