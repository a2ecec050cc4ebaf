"""Write or extend a domain's Simplified Chinese `.po` catalog.

    python -m tests.po feedback <<'EOF'
    {"Give feedback": "提交反馈", "{n} risks": "{n} 个风险"}
    EOF

adds the entries (English msgid → Chinese) to `bot/locale/zh_Hans/LC_MESSAGES/feedback.po`,
creating it when needed; an existing msgid's translation is replaced.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "bot" / "locale" / "zh_Hans" / "LC_MESSAGES"


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_po(path: Path, entries: dict[str, str], domain: str) -> None:
    lines = [
        f"# Simplified Chinese messages of the ICRM bot: {domain}.",
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Language: zh_Hans\\n"',
        '"Plural-Forms: nplurals=1; plural=0;\\n"',
        "",
    ]
    for msgid, msgstr in entries.items():
        lines += [f"msgid {_q(msgid)}", f"msgstr {_q(msgstr)}", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def read_entries(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


def add(domain: str, entries: dict[str, str]) -> Path:
    path = LOCALE_DIR / f"{domain}.po"
    write_po(path, {**read_entries(path), **entries}, domain)
    return path


if __name__ == "__main__":
    print(add(sys.argv[1], json.loads(sys.stdin.read())))
