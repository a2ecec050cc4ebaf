"""One clock: the bot reads the time from `Deps.now` (tests freeze it, `--shift-days` moves the
wall clock under it), never from the wall clock itself, so what is due, what is late and what
is stamped in the database never depends on the day the code runs."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "jobs", "storage")

# Calls that read the wall clock, by the tail of their dotted name.
WALL_CLOCK = ("datetime.now", "datetime.utcnow", "datetime.today", "date.today", "time.time",
              "time.time_ns", "func.now", "func.current_timestamp")  # fmt: skip

# The reads that are meant (path → how many), each with its reason.
ALLOWED = {
    "bot/deps.py": 1,  # the default `Deps.now`: the one clock itself
    "jobs/scheduler.py": 1,  # when APScheduler wakes up is on its own (wall) clock
    "bot/sandbox/workspace.py": 5,  # the sandbox plays Slack: Slack's timestamps and ids
    "bot/sandbox/slack_api.py": 1,  # the stand-in is Slack: an uploaded file's `created` stamp
}


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Name):
        return node.id
    return "?"


def _reads(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            if name.endswith(WALL_CLOCK) or name.split(".")[-1] == "utcnow":
                found.append(f"{node.lineno}: {name}()")
            if name.split(".")[-1] not in ("mapped_column", "Column"):
                continue
            for keyword in node.keywords:
                # A column default that reads the time, in Python or in the database.
                if keyword.arg == "server_default" or (
                    keyword.arg in ("default", "onupdate") and "now" in _dotted(keyword.value)
                ):
                    found.append(f"{node.lineno}: {keyword.arg}={_dotted(keyword.value)}")
    return found


def test_only_the_injected_clock_reads_the_wall_clock() -> None:
    counts: Counter[str] = Counter()
    unexpected = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            reads = _reads(ast.parse(path.read_text(encoding="utf-8")))
            counts[name] += len(reads)
            if len(reads) > ALLOWED.get(name, 0):
                unexpected += [f"{name}:{read}" for read in reads]
    assert not unexpected, "read the time from deps.now / uow.now instead:\n" + "\n".join(
        unexpected
    )
    # An allowance left over is a stale exception: tighten it.
    assert {k: counts[k] for k in ALLOWED} == ALLOWED


def test_the_guard_sees_the_usual_spellings() -> None:
    source = """
import datetime as dt, time
a = dt.datetime.now(dt.UTC)
b = datetime.date.today()
c = time.time()
d = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
e = Column(DateTime, server_default=func.now())
f = utcnow()
g = time.monotonic()
"""
    reads = _reads(ast.parse(source))
    assert len(reads) == 8, reads  # all but the monotonic clock (timeouts and pacing)
