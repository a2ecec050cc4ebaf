"""Read the database in tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.app import Deps


def count(deps: Deps, model: Any, *where: Any) -> int:
    """How many rows `model`'s table holds (those matching every `where` clause, if any),
    read in a transaction of its own."""
    query = select(func.count()).select_from(model)
    if where:
        query = query.where(*where)
    with deps.uow() as uow:
        return int(uow.session.scalar(query) or 0)
