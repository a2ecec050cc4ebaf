"""Money as people read it: compact (`¥1.25亿`, `¥1.25B`), exact, and as they would type it.

One currency style everywhere, in both languages: the symbol Chinese CLDR data gives the
currency (`¥` for CNY, `US$`, `€`, `HK$`…), before the figure, a minus sign before the
symbol. English CLDR data would say `CN¥` and, for `¥`, mean yen; a project has one
currency and its people think of it the same way whatever language they read.

- `compact`: summaries, digests, Home, budget lists, scorecards, charts. Chinese counts in
  万 (10^4), 亿 (10^8) and 万亿 (10^12); English in K, M, B and T. Three significant
  digits (half up), never fewer than the integer digits (`¥3,500万`, not `¥3,000万`);
  trailing zeros dropped (`¥1.2亿`). Below the first unit (10,000 in Chinese, 1,000 in
  English) the exact figure is shown, cents dropped when there are none: so no non-zero
  amount is ever shown as 0. A figure that rounds up to the next unit takes it
  (99,999,999 is `¥1亿`, not `¥10,000万`).
- `exact`: confirmations and entry lists: every cent, grouped (`¥1,234.50`). It parses
  back with `bot.money.parse_amount`.
- `as_typed`: the starting value of an edit form, the way a user types an amount (`12.5亿`,
  `3500万`, `1,234.50`); it parses back to the same `Decimal`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from babel.numbers import get_currency_precision, get_currency_symbol

SIGNIFICANT: Final = 3
_ZH_UNITS: Final = ((Decimal(10) ** 12, "万亿"), (Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))
_EN_UNITS: Final = (
    (Decimal(10) ** 12, "T"),
    (Decimal(10) ** 9, "B"),
    (Decimal(10) ** 6, "M"),
    (Decimal(10) ** 3, "K"),
)
# The units `bot.money.parse_amount` understands, for `as_typed`.
_TYPED_UNITS: Final = ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))


def symbol(currency: str) -> str:
    """The one symbol shown for `currency` (CLDR's Chinese one: `¥`, `US$`, `€`)."""
    return str(get_currency_symbol(currency, "zh_Hans_CN"))


def _plain(value: Decimal, decimals: int | None = None, *, group: bool = True) -> str:
    """`value` (not negative) with `decimals` places (None: as many as it has, no trailing
    zeros), thousands grouped with commas when `group`."""
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
        text = f"{value:,.{decimals}f}" if group else f"{value:.{decimals}f}"
    else:
        text = f"{value:,f}" if group else f"{value:f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return text


def _signed(negative: bool, currency: str, figure: str) -> str:
    return ("-" if negative else "") + symbol(currency) + figure


def exact(amount: Decimal, currency: str) -> str:
    """Every cent: `¥1,234.50`, `-US$5.00`."""
    places = get_currency_precision(currency)
    return _signed(amount < 0, currency, _plain(abs(amount), places))


def _rounded(mantissa: Decimal) -> Decimal:
    """`mantissa` (>= 1) to three significant digits, keeping every integer digit."""
    digits = len(str(int(mantissa)))
    places = max(SIGNIFICANT - digits, 0)
    return mantissa.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def compact(amount: Decimal, currency: str, locale: str) -> str:
    """The readable figure: `¥1.25亿`, `¥3,500万`, `¥12.5万` / `¥1.25B`, `¥35M`, `¥125K`."""
    amount = Decimal(amount)
    figure = compact_figure(abs(amount), locale, places=get_currency_precision(currency))
    return _signed(amount < 0, currency, figure)


def compact_figure(value: Decimal, locale: str, *, places: int = 2) -> str:
    """`compact` without the symbol (chart axes): `1.25亿`, `-35M`, `9,999`."""
    value = Decimal(value)
    magnitude = abs(value)
    sign = "-" if value < 0 else ""
    units = _ZH_UNITS if locale.startswith("zh") else _EN_UNITS
    for index, (size, suffix) in enumerate(units):
        if magnitude < size:
            continue
        mantissa = _rounded(magnitude / size)
        if index > 0 and mantissa * size >= units[index - 1][0]:
            # Rounded up to the next unit: 9,999.9万 → 1亿.
            size, suffix = units[index - 1]
            mantissa = _rounded(magnitude / size)
        return sign + _plain(mantissa) + suffix
    if magnitude == magnitude.to_integral_value():
        return sign + _plain(magnitude, 0)
    return sign + _plain(magnitude, places)


def as_typed(amount: Decimal, locale: str) -> str:
    """What a user would type for `amount` in an edit form: `12.5亿`, `3500万`, `1,234.50`.

    Chinese uses 亿 or 万 when the amount is at least one and the figure needs at most two
    decimals; otherwise (and in English) the grouped figure, without `.00`.
    """
    magnitude = Decimal(amount)
    if locale.startswith("zh"):
        for size, suffix in _TYPED_UNITS:
            mantissa = magnitude / size
            if magnitude >= size and mantissa == mantissa.quantize(Decimal("0.01")):
                return _plain(mantissa, group=False) + suffix
    if magnitude == magnitude.to_integral_value():
        return _plain(magnitude, 0)
    return _plain(magnitude, 2)
