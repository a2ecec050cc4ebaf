"""Write or extend a domain's Simplified Chinese `.po` catalog.

    python -m tests.po feedback <<'EOF'
    {"Give feedback": "提交反馈", "{n} risks": "{n} 个风险"}
    EOF

adds the entries (English msgid → Chinese) to `bot/locale/zh_Hans/LC_MESSAGES/feedback.po`,
creating it when needed; an existing msgid's translation is replaced. With `--context
feedback` the entries get that `msgctxt`, for messages marked `_("…", context="feedback")`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from bot.i18n import Key

LOCALE_DIR = Path(__file__).resolve().parent.parent / "bot" / "locale" / "zh_Hans" / "LC_MESSAGES"


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_po(path: Path, entries: dict[Key, str], domain: str) -> None:
    lines = [
        f"# Simplified Chinese messages of the ICRM bot: {domain}.",
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Language: zh_Hans\\n"',
        '"Plural-Forms: nplurals=1; plural=0;\\n"',
        "",
    ]
    for (context, msgid), msgstr in entries.items():
        if context is not None:
            lines.append(f"msgctxt {_q(context)}")
        lines += [f"msgid {_q(msgid)}", f"msgstr {_q(msgstr)}", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def read_entries(path: Path) -> dict[Key, str]:
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        return {(m.context, str(m.id)): str(m.string) for m in read_po(handle) if m.id}


def add(domain: str, entries: dict[str, str], context: str | None = None) -> Path:
    path = LOCALE_DIR / f"{domain}.po"
    new = {(context, msgid): msgstr for msgid, msgstr in entries.items()}
    write_po(path, {**read_entries(path), **new}, domain)
    return path


if __name__ == "__main__":
    args = sys.argv[1:]
    context = None
    if len(args) == 3 and args[1] == "--context":
        context = args[2]
    elif len(args) != 1:
        sys.exit("usage: python -m tests.po DOMAIN [--context CONTEXT] < entries.json")
    print(add(args[0], json.loads(sys.stdin.read()), context))
