"""The translation layer: every user-facing string goes through here.

Code marks a string with `_("English text {name}", name=...)`, which returns a `Msg`: a
message not yet bound to a language. Services may return `Msg`s (errors, labels) without
knowing who reads them; the Slack edge turns them into text with the `Translator` of the
project's locale. English is the source language (gettext convention: the msgid is the
English text); Simplified Chinese comes from gettext catalogs in `bot/locale`, one `.po` file
per domain, read with Babel at first use. `tests/unit/test_i18n.py` fails when a marked
string lacks a translation or the placeholders differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Final

from babel import Locale
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent

EN: Final = "en"
ZH: Final = "zh-Hans"
LOCALES: Final = (EN, ZH)
LOCALE_DIR: Final = Path(__file__).parent / "locale"
# CLDR locale used for numbers and dates of each supported language.
_CLDR: Final = {EN: "en_US", ZH: "zh_Hans_CN"}


@dataclass(frozen=True)
class Msg:
    """A translatable message with its parameters, rendered by a `Translator`."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None
    n: int | None = None


def _(msgid: str, **params: Any) -> Msg:
    """Mark `msgid` (English, `str.format` placeholders) for translation."""
    return Msg(msgid, params)


def _n(singular: str, plural: str, n: int, **params: Any) -> Msg:
    """Mark a message whose English form depends on the count `n` (also passed as `{n}`)."""
    return Msg(singular, {"n": n, **params}, plural=plural, n=n)


@cache
def catalog(locale: str) -> dict[str, str | tuple[str, ...]]:
    """msgid → translation for `locale`, merged from every domain's `.po` file."""
    if locale == EN:
        return {}
    folder = LOCALE_DIR / locale.replace("-", "_") / "LC_MESSAGES"
    merged: dict[str, str | tuple[str, ...]] = {}
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=_CLDR[locale]):
                if not message.id:
                    continue
                key = str(message.id[0] if isinstance(message.id, list | tuple) else message.id)
                if message.string:
                    merged[key] = (
                        tuple(message.string)
                        if isinstance(message.string, list | tuple)
                        else message.string
                    )
    return merged


def normalise_locale(value: str | None) -> str:
    """Map what Slack or a user gives (`zh-CN`, `zh_Hans`, `en-US`…) to a supported locale."""
    if value and value.lower().replace("_", "-").startswith("zh"):
        return ZH
    return EN


@dataclass(frozen=True)
class Translator:
    """Renders messages, numbers, money and dates in one locale."""

    locale: str = EN

    def __call__(self, message: Msg | str, **params: Any) -> str:
        if isinstance(message, str):
            message = Msg(message, params)
        elif params:
            message = Msg(message.msgid, {**message.params, **params}, message.plural, message.n)
        text = self._lookup(message)
        values = {k: self(v) if isinstance(v, Msg) else v for k, v in message.params.items()}
        return text.format_map(values) if values else text

    def _lookup(self, message: Msg) -> str:
        found = catalog(self.locale).get(message.msgid)
        if message.plural is not None:
            if isinstance(found, tuple) and found:
                return found[0]  # Chinese has one plural form
            return message.msgid if message.n == 1 else message.plural
        if isinstance(found, str):
            return found
        return message.msgid

    @property
    def cldr(self) -> Locale:
        return Locale.parse(_CLDR[self.locale])

    def money(self, amount: Decimal, currency: str) -> str:
        return str(format_currency(amount, currency, locale=self.cldr))

    def number(self, value: Decimal | int | float, digits: int = 2) -> str:
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return str(format_decimal(value, format=pattern, locale=self.cldr))

    def percent(self, ratio: Decimal | float) -> str:
        return str(format_percent(ratio, format="#,##0.0%", locale=self.cldr))

    def date(self, value: dt.date) -> str:
        return str(format_date(value, format="medium", locale=self.cldr))


def translator(locale: str | None) -> Translator:
    return Translator(normalise_locale(locale))
