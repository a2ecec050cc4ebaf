"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Dialect, Numeric, TypeDecorator

CENT = Decimal("0.01")


class Money(TypeDecorator[Decimal]):
    """An exact amount with two decimals: `NUMERIC(20, 2)`, always read back as a `Decimal`."""

    impl = Numeric(20, 2)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return Decimal(value).quantize(CENT)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        # SQLite keeps NUMERIC as REAL: go through str so 0.1 stays 0.10, not 0.1000000000000000055.
        return Decimal(str(value)).quantize(CENT)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC timestamp; SQLite, which has no time zones, stores it naive in UTC.

    Such columns have no default: the caller stamps them from the injected clock
    (`Deps.now`, `UnitOfWork.now`), so a forgotten time fails (NOT NULL) instead of
    silently reading the wall clock."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        stamp: dt.datetime = value
        if stamp.tzinfo is None:
            return stamp.replace(tzinfo=dt.UTC)
        return stamp.astimezone(dt.UTC)


HUNDREDTH = Decimal("0.01")


class Hundredths(TypeDecorator[Decimal]):
    """A score or measurement with two decimals, read back as an exact `Decimal` on both
    engines (SQLite keeps NUMERIC as REAL)."""

    impl = Numeric(9, 2)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else Decimal(value).quantize(HUNDREDTH)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(str(value)).quantize(HUNDREDTH)
