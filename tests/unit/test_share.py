"""`bot.scoring.share`: the one rate rule (a part of a whole, None without a whole)."""

from __future__ import annotations

from decimal import Decimal

from bot.scoring import share


def test_share_is_the_part_of_the_whole() -> None:
    assert share(1, 4) == Decimal("0.25")
    assert share(3, 4, per=100) == Decimal(75)


def test_share_of_nothing_is_none_not_zero() -> None:
    assert share(0, 0) is None
    assert share(0, 0, per=100, to=Decimal("0.01")) is None
    assert share(0, 3) == 0


def test_share_is_quantized_when_asked() -> None:
    assert share(2, 3, to=Decimal("0.0001")) == Decimal("0.6667")
    assert share(1, 3, per=100, to=Decimal("0.01")) == Decimal("33.33")
    assert share(1, 3, per=100) == Decimal(100) / 3
