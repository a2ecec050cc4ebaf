"""Write a `.po` catalog from a dict (used when adding a domain's translations)."""

from __future__ import annotations

from pathlib import Path


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
