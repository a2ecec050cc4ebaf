"""Find every message marked with `_()` / `_n()` (with its `context=`) in the source.

`python -m tests.i18n_extract` prints, in `.po` syntax, each message that has no Simplified
Chinese translation yet: append them to the domain's file under `bot/locale/zh_Hans/`.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("bot", "handlers", "jobs", "storage")
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_][a-z0-9_]*)\}(?!\})")


@dataclass(frozen=True)
class Marked:
    msgid: str
    plural: str | None
    where: str
    context: str | None = None

    @property
    def key(self) -> tuple[str | None, str]:
        """The catalog key, as `bot.i18n.Msg.key`."""
        return (self.context, self.msgid)


def extract() -> list[Marked]:
    found: list[Marked] = []
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                    continue
                if node.func.id not in ("_", "_n") or not node.args:
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                args = node.args
                if not all(
                    isinstance(a, ast.Constant) and isinstance(a.value, str)
                    for a in args[: 2 if node.func.id == "_n" else 1]
                ):
                    raise ValueError(f"{where}: _() needs a literal string, not an expression")
                singular = args[0].value  # type: ignore[attr-defined]
                plural = args[1].value if node.func.id == "_n" else None  # type: ignore[attr-defined]
                found.append(Marked(singular, plural, where, _context(node, where)))
    return found


def _context(call: ast.Call, where: str) -> str | None:
    for keyword in call.keywords:
        if keyword.arg == "context":
            value = keyword.value
            if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                raise ValueError(f"{where}: context= needs a literal string")
            return value.value
    return None


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from bot.i18n import ZH, catalog

    catalog.cache_clear()
    known = catalog(ZH)
    seen: set[tuple[str | None, str]] = set()
    for marked in extract():
        if marked.key in known or marked.key in seen:
            continue
        seen.add(marked.key)
        print(f"#: {marked.where}")
        if marked.context is not None:
            print(f"msgctxt {_po_quote(marked.context)}")
        print(f"msgid {_po_quote(marked.msgid)}")
        if marked.plural:
            print(f"msgid_plural {_po_quote(marked.plural)}")
            print('msgstr[0] ""\n')
        else:
            print('msgstr ""\n')


if __name__ == "__main__":
    main()
