"""Chinese that reads native: full-width punctuation next to Chinese characters.

An ASCII `:` `,` `?` `(` `)` `;` or `!` touching a CJK character or Chinese quotes (or
separated from one by spaces only) is a typo in a Chinese sentence: it should be `：` `，`
`？` `（` `）` `；` `！`. Allowed where ASCII is the point: inside `code spans`,
`{placeholders}`, URLs, `:emoji:` codes and `<!date^…>` / `<@U…>` tokens.
"""

from __future__ import annotations

import re

from bot.i18n import ZH, read_catalog
from tests.po import LOCALE_DIR

CJK = r"[\u2018\u2019\u201c\u201d\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
ASCII_MARK = r"[:,?();!]"
NEAR = re.compile(rf"{CJK} *{ASCII_MARK}|{ASCII_MARK} *{CJK}")
# What may hold ASCII punctuation: code spans, placeholders, Slack tokens, URLs.
EXEMPT = re.compile(r"`[^`]*`|\{[a-z_][a-z0-9_]*\}|<[^<>]*>|https?://\S+|:[a-z0-9_+-]+:")


def offences(text: str) -> list[str]:
    visible = EXEMPT.sub(lambda m: "\x00" * len(m.group(0)), text)
    return [m.group(0) for m in NEAR.finditer(visible)]


def test_the_check_sees_what_it_should() -> None:
    assert offences("资金跑道预警:剩余周数") == ["警:"]
    assert offences("报告(选填)") == ["告(", "填)"]
    assert offences("“{title}”({project})") == ["”("]
    assert not offences(":warning: 预算科目合计超出总预算")
    assert not offences("请使用 `/funds void 12 <原因>`，或 `/icrm help`。")
    assert not offences("时间：<!date^1700000000^{date_short_pretty}|2026-12-01>")
    assert not offences("{code}：{n} 条（{percent}）")


def test_zh_catalogs_use_full_width_punctuation() -> None:
    found = []
    for path in sorted(LOCALE_DIR.glob("*.po")):
        for translation in read_catalog(path, ZH).values():
            forms = translation if isinstance(translation, tuple) else (translation,)
            for form in forms:
                if offences(form):
                    found.append(f"{path.stem}: {form!r}")
    assert not found, "ASCII punctuation in Chinese text:\n" + "\n".join(found)


# Slack makes `*…*` bold only at word boundaries; Chinese has no spaces, so a marker next to
# a character gets a zero-width space (U+200B) outside it (docs/architecture.md, "Text").
BOLD = re.compile(r"\*[^*\n]+\*")
BEFORE_OK = set(" \n(>\u200b")
AFTER_OK = set(" \n).,:;!?<\u200b")


def unbold(text: str) -> list[str]:
    return [
        m.group(0)
        for m in BOLD.finditer(text)
        if (m.start() > 0 and text[m.start() - 1] not in BEFORE_OK)
        or (m.end() < len(text) and text[m.end()] not in AFTER_OK)
    ]


def test_bold_in_chinese_sits_at_a_word_boundary() -> None:
    assert unbold("已记录：*路基*支出") == ["*路基*"]
    assert not unbold("已记录：\u200b*路基*\u200b支出")
    found = [
        f"{path.stem}: {form!r}"
        for path in sorted(LOCALE_DIR.glob("*.po"))
        for form in map(str, read_catalog(path, ZH).values())
        if unbold(form)
    ]
    assert not found, "bold that Slack would show as *asterisks*:\n" + "\n".join(found)
