"""Every user-facing string has one Simplified Chinese translation with the same placeholders."""

from __future__ import annotations

import functools
from decimal import Decimal

from bot.i18n import EN, ZH, Translator, _, _n, catalog, read_catalog
from tests.i18n_extract import Marked, extract, placeholders
from tests.po import LOCALE_DIR


@functools.cache
def marked() -> tuple[Marked, ...]:
    """The marked messages of the code, read once for the tests below (reading every source
    file takes seconds)."""
    return tuple(extract())


def test_every_marked_message_is_translated() -> None:
    catalog.cache_clear()
    zh = catalog(ZH)
    missing = sorted({m.where + "  " + m.msgid for m in marked() if m.key not in zh})
    assert not missing, (
        "no zh-Hans translation (run `python -m tests.i18n_extract`):\n" + "\n".join(missing)
    )


def test_translations_keep_the_placeholders() -> None:
    zh = catalog(ZH)
    wrong = []
    for message in marked():
        translated = zh.get(message.key)
        forms = translated if isinstance(translated, tuple) else (translated,)
        for form in forms:
            if form is not None and placeholders(form) != placeholders(message.msgid):
                wrong.append(f"{message.where}: {message.msgid!r} → {form!r}")
    assert not wrong, "\n".join(wrong)


def test_catalogs_hold_no_stale_entries() -> None:
    used = {m.key for m in marked()}
    stale = sorted(set(catalog(ZH)) - used, key=str)
    assert not stale, f"translations of messages no longer in the code: {stale}"


def test_no_message_is_translated_two_ways() -> None:
    # The catalogs are merged into one dictionary: a second translation would silently win.
    seen: dict[tuple[str | None, str], dict[str, object]] = {}
    for path in sorted(LOCALE_DIR.glob("*.po")):
        for key, translation in read_catalog(path, ZH).items():
            seen.setdefault(key, {})[path.stem] = translation
    clashes = [
        f"{msgid!r} (context {context!r}): {by_domain}"
        for (context, msgid), by_domain in seen.items()
        if len(set(by_domain.values())) > 1
    ]
    assert not clashes, (
        "translated differently in two catalogs; mark each use `_(..., context=<domain>)` "
        "and give each entry `msgctxt <domain>` (`python -m tests.po DOMAIN --context DOMAIN`):\n"
        + "\n".join(clashes)
    )


def test_translator_formats_in_each_locale() -> None:
    en, zh = Translator(EN), Translator(ZH)
    message = _("Use the project's currency, {currency}.", currency="CNY")
    assert en(message) == "Use the project's currency, CNY."
    assert zh(message) == "请使用项目币种 CNY。"
    assert zh.money_exact(Decimal("1234.5"), "CNY") == "¥1,234.50"
    assert zh.money(Decimal("125000"), "CNY") == "¥12.5万"
    assert en.money(Decimal("125000"), "CNY") == "¥125K"
    assert en(_n("{n} risk", "{n} risks", 2)) == "2 risks"
    assert en(_n("{n} risk", "{n} risks", 1)) == "1 risk"


def test_a_context_picks_its_domains_translation() -> None:
    zh = Translator(ZH)
    assert zh(_("Acknowledge", context="feedback")) == "确认收到"
    assert zh(_("Acknowledge", context="risks")) == "确认"
    assert Translator(EN)(_("Acknowledge", context="risks")) == "Acknowledge"
    message = _("Keep this under {n} characters.", context="risks", n=200)
    assert zh(message) == "请控制在 200 个字符以内。"
    assert zh(message, n=50) == "请控制在 50 个字符以内。"  # extra params keep the context
