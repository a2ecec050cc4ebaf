"""The Slack edge does not depend on the app factory: `bot/app.py` imports `handlers`
(to register them), so `handlers/` importing `bot.app` would be a cycle. Read with `ast`,
so nothing is imported or built."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("bot.app", "bot.web", "bot.__main__")


def _imports(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found.extend((node.lineno, f"{node.module}.{a.name}") for a in node.names)
    return found


def _edge_files() -> list[Path]:
    return sorted((ROOT / "handlers").rglob("*.py"))


def test_the_edge_never_imports_the_app_factory() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in _edge_files()
        for line, name in _imports(path)
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)
    ]
    assert offenders == []


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from bot.app import Deps\nimport bot.web\nfrom bot.deps import Deps\n")
    names = [name for _line, name in _imports(bad)]
    assert "bot.app" in names and "bot.web" in names
    assert not any(n.startswith("bot.app") for n in names if n.startswith("bot.deps"))


def test_deps_does_not_import_the_edge() -> None:
    names = [name for _line, name in _imports(ROOT / "bot" / "deps.py")]
    assert not any(n == "handlers" or n.startswith("handlers.") for n in names)
    assert not any(n == "bot.app" or n.startswith("bot.app.") for n in names)


def test_every_edge_module_imports_without_the_app_factory() -> None:
    """Transitively too: import every `handlers` module in a fresh interpreter."""
    import subprocess
    import sys

    script = (
        "import importlib, pkgutil, sys\n"
        "import handlers\n"
        "for m in pkgutil.walk_packages(handlers.__path__, 'handlers.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n in ('bot.app', 'bot.web')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", done.stderr


def test_only_storage_touches_the_session() -> None:
    """Repositories own the queries: services, handlers, jobs and the demo go through
    `uow.<repository>`, never `uow.session` (docs/architecture.md)."""
    root = Path(__file__).resolve().parents[2]
    found = [
        f"{path.relative_to(root)}:{n}"
        for folder in ("bot", "handlers", "jobs")
        for path in sorted((root / folder).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "uow.session" in line
    ]
    assert found == []


def test_the_edge_never_commits() -> None:
    """Handlers hold no commit: a service commits its change (with the messages it queues),
    `jobs.outbox.queued` a queueing of its own (docs/architecture.md)."""
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in _edge_files()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".commit()" in line
    ]
    assert found == []
