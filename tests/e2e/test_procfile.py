"""The Procfile's `web:` command, started as a deployment would, serves Slack and /healthz."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx

from tests.conftest import BOT_TOKEN, CHANNEL, PM, SIGNING_SECRET
from tests.fake_slack import FakeSlack
from tests.pg import free_port
from tests.slack_driver import SlackDriver

ROOT = Path(__file__).resolve().parents[2]


def procfile_command(kind: str) -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith(f"{kind}:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"no {kind}: line in the Procfile")


@contextmanager
def web_process(database_url: str, fake: FakeSlack) -> Iterator[str]:
    port = free_port()
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "PORT": str(port),
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.api_url,
        "DEFAULT_LOCALE": "en",
    }
    env.pop("SLACK_APP_TOKEN", None)
    process = subprocess.Popen(
        ["bash", "-c", "exec " + procfile_command("web")],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(url + "/healthz", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None:
                    raise AssertionError(
                        process.stdout.read().decode() if process.stdout else ""
                    ) from None
                time.sleep(0.2)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=20)[0].decode()
        assert BOT_TOKEN not in output and SIGNING_SECRET not in output


def test_web_line_is_a_production_server() -> None:
    command = shlex.split(procfile_command("web"))
    assert command[0] == "gunicorn" and "$PORT" in procfile_command("web")
    assert procfile_command("release") == "python -m bot migrate"
    assert procfile_command("clock") == "python -m bot clock"


def test_web_process_serves_health_and_signed_slack_requests(
    database_url: str, fake_slack: FakeSlack
) -> None:
    with web_process(database_url, fake_slack) as url:
        health = httpx.get(url + "/healthz")
        assert health.status_code == 200 and health.json() == {"status": "ok"}
        # The server is another process, on the real wall clock even in a run shifted with
        # --shift-days: sign with its time (its Date header), as Slack's clock agrees with it.
        stamp = str(int(parsedate_to_datetime(health.headers["date"]).timestamp()))
        slack = SlackDriver(url + "/slack/events", SIGNING_SECRET, fake_slack)
        answer = slack.command("/icrm", "help", user=PM, channel=CHANNEL, timestamp=stamp)
        assert answer.status_code == 200 and "/icrm setup" in json.dumps(answer.json())
        assert slack.form({"command": "/icrm"}, signature="v0=bad").status_code == 401
        slack.http.close()  # an open keep-alive connection holds up gunicorn's graceful stop


def test_health_is_503_without_a_database(tmp_path: Path, fake_slack: FakeSlack) -> None:
    missing = f"sqlite:///{tmp_path}/no/such/dir/icrm.db"
    with web_process(missing, fake_slack) as url:
        health = httpx.get(url + "/healthz")
        assert health.status_code == 503 and health.json()["status"] != "ok"
