"""The command line: `run` without Slack credentials explains what to set and fails."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
    result = run_cli("run", env={"PYTHONPATH": str(ROOT)}, cwd=tmp_path)  # no .env there
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
