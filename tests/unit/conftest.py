"""Unit tests are pure: no fake Slack, no database, no app.

`tests/conftest.py` gives every test a migrated database and a fake Slack (its autouse
`_fresh_state` empties them after each test); here that fixture does nothing, and a unit test
that asks for one of the fixtures below, or connects to a database, fails: it belongs in
`tests/storage` (a real database) or `tests/e2e` (signed HTTP into the app).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

# The fixtures of tests/conftest.py that start a server, migrate a database or build the app.
NOT_IN_UNIT_TESTS = frozenset(
    {
        "slack",
        "fake_slack",
        "app_url",
        "database_url",
        "settings",
        "deps",
        "engine",
        "oauth_deps",
        "oauth_url",
    }
)


@pytest.fixture(autouse=True)
def _fresh_state() -> None:
    """Nothing to empty: a unit test has no database and no fake Slack (this replaces the
    fixture of the same name in tests/conftest.py, which would start them)."""


def pytest_runtest_setup(item: pytest.Item) -> None:
    wanted = NOT_IN_UNIT_TESTS.intersection(getattr(item, "fixturenames", ()))
    if wanted:
        pytest.fail(
            f"{item.nodeid} is a unit test but uses {', '.join(sorted(wanted))}: unit tests are "
            "pure (no fake Slack, no database); move it to tests/storage or tests/e2e",
            pytrace=False,
        )


def _refuse(*_: Any) -> None:
    raise AssertionError(
        "a unit test opened a database connection: unit tests are pure; "
        "move it to tests/storage (a real database) or tests/e2e"
    )


@pytest.fixture(autouse=True)
def _no_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Creating an engine, or checking a connection out of any pool, fails the test."""
    import storage.db

    monkeypatch.setattr(storage.db, "create_engine", _refuse)
    monkeypatch.setattr("sqlalchemy.create_engine", _refuse)
    event.listen(Pool, "checkout", _refuse)
    try:
        yield
    finally:
        event.remove(Pool, "checkout", _refuse)


SNAPSHOTS = Path(__file__).parent / "snapshots"


class Snapshot:
    """Compares a renderer's output with `tests/unit/snapshots/<name>.json`.

    `pytest --update-snapshots` writes the files from what the renderers return now (then
    read the diff: `git diff tests/unit/snapshots`)."""

    def __init__(self, update: bool) -> None:
        self.update = update

    def __call__(self, name: str, rendered: Any) -> None:
        path = SNAPSHOTS / f"{name}.json"
        text = json.dumps(rendered, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        if self.update:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        if not path.exists():
            pytest.fail(f"no snapshot {path.name}: run `pytest --update-snapshots` and commit it")
        expected = json.loads(path.read_text(encoding="utf-8"))
        assert json.loads(text) == expected, (
            f"{name} renders differently from {path.relative_to(SNAPSHOTS.parents[2])}; "
            "if the change is meant, run `pytest --update-snapshots` and commit the diff"
        )


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Snapshot:
    return Snapshot(bool(request.config.getoption("--update-snapshots")))
