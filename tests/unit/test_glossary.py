"""The catalogs speak the glossary (`docs/glossary.md`): one Chinese name per thing."""

from __future__ import annotations

import re
from pathlib import Path

from bot.i18n import ZH, read_catalog
from tests.po import LOCALE_DIR

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"


def rows() -> list[tuple[str, str, list[str]]]:
    """(English, Chinese, words not to use) of every table row."""
    found = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("English", "") or set(cells[0]) <= {"-"}:
            continue
        english, chinese, avoid = cells
        words = [w.strip() for w in re.sub(r"\(.*?\)", "", avoid).split(",") if w.strip()]
        found.append((english, chinese, words))
    return found


def translations() -> list[tuple[str, str, str]]:
    return [
        (path.stem, msgid, str(text))
        for path in sorted(LOCALE_DIR.glob("*.po"))
        for (_context, msgid), text in read_catalog(path, ZH).items()
    ]


def test_the_glossary_has_terms() -> None:
    terms = {english: chinese for english, chinese, _ in rows()}
    assert terms["runway (weeks of cash at the recent burn)"] == "资金可支撑周数"
    assert len(terms) > 30


def test_no_catalog_uses_a_word_the_glossary_rules_out() -> None:
    avoid = {word: english for english, _, words in rows() for word in words}
    found = [
        f"{domain}: {text!r} uses {word!r} (glossary: {english})"
        for domain, _, text in translations()
        for word, english in avoid.items()
        if word in text
    ]
    assert not found, "\n".join(found)


def test_a_term_on_its_own_is_translated_as_the_glossary_says() -> None:
    simple = {
        english.lower(): chinese
        for english, chinese, _ in rows()
        if not re.search(r"[()/]", english + chinese)
    }
    wrong = [
        f"{domain}: {msgid!r} → {text!r}, glossary says {simple[msgid.lower()]!r}"
        for domain, msgid, text in translations()
        if msgid.lower() in simple and text != simple[msgid.lower()]
    ]
    assert not wrong, "\n".join(wrong)
