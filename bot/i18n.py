"""The translation layer: every user-facing string goes through here.

Code marks a string with `_("English text {name}", name=...)`, which returns a `Msg`: a
message not yet bound to a language. Services may return `Msg`s (errors, labels) without
knowing who reads them; the Slack edge turns them into text with the `Translator` of the
project's locale. English is the source language (gettext convention: the msgid is the
English text); Simplified Chinese comes from gettext catalogs in `bot/locale`, one `.po` file
per domain, read with Babel at first use, and merged into one dictionary. An English text
that needs two translations (feedback's "Acknowledge" is 确认收到, risks' is 确认) gets a
gettext context, its domain: `_("Acknowledge", context="feedback")` here, `msgctxt
"feedback"` in `feedback.po`; lookups are keyed by (context, msgid). `tests/unit/test_i18n.py`
fails when a marked string lacks a translation, the placeholders differ, or one key is
translated two ways in two catalogs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Final

from babel import Locale
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from bot import money_format

EN: Final = "en"
ZH: Final = "zh-Hans"
LOCALES: Final = (EN, ZH)
LOCALE_DIR: Final = Path(__file__).parent / "locale"
# CLDR locale used for numbers and dates of each supported language.
_CLDR: Final = {EN: "en_US", ZH: "zh_Hans_CN"}
# A catalog entry: (msgctxt or None, msgid) → the translation (a tuple of forms for plurals).
Key = tuple[str | None, str]
Translation = str | tuple[str, ...]


@dataclass(frozen=True)
class Amount:
    """Money as a message parameter, for code without a `Translator` (services' errors):
    rendered exactly (`¥1,234.50`), or compact (`¥12.5万`) with `exact=False`."""

    value: Decimal
    currency: str
    exact: bool = True


@dataclass(frozen=True)
class Mentions:
    """Slack users as a message parameter: services name people by id and the renderer's
    translation writes the mentions (`<@U1>, <@U2>`), or `empty` when there is nobody.
    Only the translator makes mrkdwn of it, so a service never builds `<@…>` itself."""

    user_ids: tuple[str, ...]
    empty: str = ""

    @classmethod
    def of(cls, user_ids: Iterable[str | None], empty: str = "") -> Mentions:
        """The distinct, non-empty ids, in order."""
        return cls(tuple(dict.fromkeys(u for u in user_ids if u)), empty)

    @property
    def mrkdwn(self) -> str:
        return ", ".join(f"<@{u}>" for u in self.user_ids) or self.empty


@dataclass(frozen=True)
class Command:
    """A slash command as a message parameter (`/survey list`, or a `Msg` when its words are
    translated): services name the command and the renderer's translation shows it as code,
    so a service never writes Slack's backticks itself."""

    text: str | Msg

    def __post_init__(self) -> None:
        text = self.text if isinstance(self.text, str) else self.text.msgid
        if not text.startswith("/"):
            raise ValueError(f"not a slash command: {text!r}")


@dataclass(frozen=True)
class Msg:
    """A translatable message with its parameters, rendered by a `Translator`."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None
    n: int | None = None
    context: str | None = None

    @property
    def key(self) -> Key:
        return (self.context, self.msgid)


def msg_to_json(message: Msg) -> dict[str, Any]:
    """A `Msg` as JSON, to store and translate later (`msg_from_json`); parameters that are
    not JSON values are kept as their text, nested messages as messages."""

    def value(v: Any) -> Any:
        if isinstance(v, Msg):
            return {"msg": msg_to_json(v)}
        if isinstance(v, Mentions):
            return {"mentions": list(v.user_ids), "empty": v.empty}
        if isinstance(v, Command):
            return {"command": value(v.text)}
        return v if isinstance(v, str | int | float | bool) or v is None else str(v)

    data: dict[str, Any] = {
        "msgid": message.msgid,
        "params": {k: value(v) for k, v in message.params.items()},
    }
    for name in ("plural", "n", "context"):
        if getattr(message, name) is not None:
            data[name] = getattr(message, name)
    return data


def msg_from_json(data: Mapping[str, Any]) -> Msg:
    def value(v: Any) -> Any:
        if isinstance(v, dict) and "msg" in v:
            return msg_from_json(v["msg"])
        if isinstance(v, dict) and "mentions" in v:
            return Mentions(tuple(v["mentions"]), str(v.get("empty", "")))
        if isinstance(v, dict) and "command" in v:
            return Command(value(v["command"]))
        return v

    return Msg(
        str(data["msgid"]),
        {k: value(v) for k, v in dict(data.get("params") or {}).items()},
        plural=data.get("plural"),
        n=data.get("n"),
        context=data.get("context"),
    )


def _(msgid: str, *, context: str | None = None, **params: Any) -> Msg:
    """Mark `msgid` (English, `str.format` placeholders) for translation.

    `context` (a domain name) only when the same English needs another translation elsewhere.
    """
    return Msg(msgid, params, context=context)


def _n(singular: str, plural: str, n: int, *, context: str | None = None, **params: Any) -> Msg:
    """Mark a message whose English form depends on the count `n` (also passed as `{n}`)."""
    return Msg(singular, {"n": n, **params}, plural=plural, n=n, context=context)


def read_catalog(path: Path, locale: str) -> dict[Key, Translation]:
    """The translated entries of one `.po` file."""
    entries: dict[Key, Translation] = {}
    with path.open("rb") as handle:
        for message in read_po(handle, locale=_CLDR[locale]):
            if not message.id or not message.string:
                continue
            msgid = str(message.id[0] if isinstance(message.id, list | tuple) else message.id)
            entries[(message.context, msgid)] = (
                tuple(message.string)
                if isinstance(message.string, list | tuple)
                else message.string
            )
    return entries


@cache
def catalog(locale: str) -> dict[Key, Translation]:
    """(context, msgid) → translation for `locale`, merged from every domain's `.po` file."""
    merged: dict[Key, Translation] = {}
    if locale != EN:
        for path in sorted((LOCALE_DIR / locale.replace("-", "_") / "LC_MESSAGES").glob("*.po")):
            merged.update(read_catalog(path, locale))
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
            message = replace(message, params={**message.params, **params})
        text = self._lookup(message)
        values = {k: self._param(v) for k, v in message.params.items()}
        return text.format_map(values) if values else text

    def _param(self, value: Any) -> Any:
        if isinstance(value, Msg):
            return self(value)
        if isinstance(value, Mentions):
            return value.mrkdwn
        if isinstance(value, Command):
            return f"`{self._param(value.text)}`"
        if isinstance(value, Amount):
            if value.exact:
                return self.money_exact(value.value, value.currency)
            return self.money(value.value, value.currency)
        return value

    def _lookup(self, message: Msg) -> str:
        found = catalog(self.locale).get(message.key)
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
        """The readable figure for summaries, digests, Home, budget lists and charts:
        `¥1.25亿` / `¥1.25B` (rules in `bot.money_format`)."""
        return money_format.compact(amount, currency, self.locale)

    def money_exact(self, amount: Decimal, currency: str) -> str:
        """Every cent, `¥1,234.50`: confirmations, entry lists, errors about an amount."""
        return money_format.exact(amount, currency)

    def money_input(self, amount: Decimal) -> str:
        """An edit form's starting value, as the user would type it: `12.5亿`, `3500万`."""
        return money_format.as_typed(amount, self.locale)

    def number(self, value: Decimal | int | float, digits: int = 2) -> str:
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return str(format_decimal(value, format=pattern, locale=self.cldr))

    def percent(self, ratio: Decimal | float) -> str:
        return str(format_percent(ratio, format="#,##0.0%", locale=self.cldr))

    def date(self, value: dt.date) -> str:
        return str(format_date(value, format="medium", locale=self.cldr))


def translator(locale: str | None) -> Translator:
    return Translator(normalise_locale(locale))
