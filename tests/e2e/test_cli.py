"""The command line: `run` without Slack credentials explains what to set, then starts the
local sandbox (or, with `--no-sandbox`, fails)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, **(env or {})},
        cwd=cwd,
    )


def test_run_without_tokens_explains_and_exits_non_zero(tmp_path: Path) -> None:
    result = run_cli("run", "--no-sandbox", env={"PYTHONPATH": str(ROOT)}, cwd=tmp_path)
    assert result.returncode == 2
    message = result.stderr
    for needed in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "app_manifest.yml",
        ".env",
    ):
        assert needed in message


def test_run_without_tokens_explains_then_serves_the_sandbox_on_loopback(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(PYTHONPATH=str(ROOT), PORT="0", PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,  # no .env there; the sandbox's SQLite file lands here too
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until the sandbox is up (or the process ends)
        match = re.search(r"open (http://127\.0\.0\.1:\d+/)", line)
        assert match, line
        page = httpx.get(match.group(1), timeout=10)
        assert page.status_code == 200
        assert "sandbox.js" in page.text
        state = httpx.get(match.group(1) + "sandbox/state", timeout=10).json()
        assert state["conversations"][0]["id"] == "C0DEMOHWY"  # the demo was loaded
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=30)
    assert "SLACK_BOT_TOKEN" in errors  # the set-up instructions came first
    assert (tmp_path / "icrm-sandbox.db").exists()


def test_migrate_and_demo_on_a_fresh_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    migrated = run_cli("migrate", env={"DATABASE_URL": url})
    assert migrated.returncode == 0, migrated.stderr
    demo = run_cli("demo", env={"DATABASE_URL": url})
    assert demo.returncode == 0 and "HWY-42" in demo.stdout, demo.stderr


def test_jobs_run_unknown_name_is_refused(tmp_path: Path) -> None:
    result = run_cli(
        "jobs", "run", "no_such_job", env={"DATABASE_URL": f"sqlite:///{tmp_path / 'j.db'}"}
    )
    assert result.returncode == 2 and "unknown job" in result.stderr
