"""Every user-facing string has a Simplified Chinese translation with the same placeholders."""

from __future__ import annotations

from decimal import Decimal

from bot.i18n import EN, ZH, Translator, _, _n, catalog
from tests.i18n_extract import extract, placeholders


def test_every_marked_message_is_translated() -> None:
    catalog.cache_clear()
    zh = catalog(ZH)
    missing = sorted({m.where + "  " + m.msgid for m in extract() if m.msgid not in zh})
    assert not missing, (
        "no zh-Hans translation (run `python -m tests.i18n_extract`):\n" + "\n".join(missing)
    )


def test_translations_keep_the_placeholders() -> None:
    zh = catalog(ZH)
    wrong = []
    for marked in extract():
        translated = zh.get(marked.msgid)
        forms = translated if isinstance(translated, tuple) else (translated,)
        for form in forms:
            if form is not None and placeholders(form) != placeholders(marked.msgid):
                wrong.append(f"{marked.where}: {marked.msgid!r} → {form!r}")
    assert not wrong, "\n".join(wrong)


def test_catalogs_hold_no_stale_entries() -> None:
    used = {m.msgid for m in extract()}
    stale = sorted(set(catalog(ZH)) - used)
    assert not stale, f"translations of messages no longer in the code: {stale}"


def test_translator_formats_in_each_locale() -> None:
    en, zh = Translator(EN), Translator(ZH)
    message = _("Use the project's currency, {currency}.", currency="CNY")
    assert en(message) == "Use the project's currency, CNY."
    assert zh(message) == "请使用项目币种 CNY。"
    assert zh.money(Decimal("1234.5"), "CNY") == "¥1,234.50"
    assert en(_n("{n} risk", "{n} risks", 2)) == "2 risks"
    assert en(_n("{n} risk", "{n} risks", 1)) == "1 risk"
