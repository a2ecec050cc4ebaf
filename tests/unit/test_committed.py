"""`project_rows.committed`: what a change causes is queued before the one commit."""

from typing import Any

from bot.services.project_rows import committed


class _Uow:
    def __init__(self) -> None:
        self.steps: list[str] = []

    def commit(self) -> None:
        self.steps.append("commit")


def test_the_queue_runs_before_the_commit_and_the_result_comes_back() -> None:
    uow = _Uow()

    def queue(got: Any, done: str) -> None:
        assert got is uow
        uow.steps.append(f"queue {done}")

    assert committed(uow, "card", queue) == "card"  # type: ignore[arg-type]
    assert uow.steps == ["queue card", "commit"]


def test_without_a_queue_it_only_commits() -> None:
    uow = _Uow()
    assert committed(uow, 7, None) == 7  # type: ignore[arg-type]
    assert uow.steps == ["commit"]
