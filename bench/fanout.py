"""Weekly meeting reminders for many projects (one channel each) against a fake Slack that
enforces Slack's limits: chat.postMessage one a second per channel after a small burst, a
workspace-wide rate, and the method tiers for everything else.

    .venv/bin/python bench/fanout.py [--projects 500] [--per-minute 600] [--workers 8]

Prints delivered / duplicated / lost, the time taken, and its ratio to the least time the
limits allow ((projects − burst) / workspace rate; one message per channel never waits on
the per-channel limit). Runs on a throwaway SQLite database unless --database-url is given.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import make_deps
from bot.settings import Settings
from jobs.scheduler import Clock
from storage.migrate import upgrade
from storage.models import Project
from tests.fake_slack import FakeSlack, RateLimits

REMINDER = dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC)  # Monday 09:00 in Shanghai


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--per-minute", type=int, default=600, help="workspace message limit")
    parser.add_argument("--burst", type=int, default=10, help="workspace burst")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'fanout.db'}"
    upgrade(url)
    fake = FakeSlack(
        rate_limits=RateLimits(
            channel_rate=1.0,
            channel_burst=3,
            workspace_per_minute=args.per_minute,
            workspace_burst=args.burst,
        )
    ).start()
    rate = args.per_minute / 60
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token="xoxb-bench",
        slack_signing_secret="bench",
        slack_api_url=fake.api_url,
        database_url=url,
        slack_workspace_rate=rate,
        log_level="WARNING",
    )
    now = REMINDER + dt.timedelta(seconds=10)
    deps = make_deps(settings, now=lambda: now)
    with deps.uow() as uow:
        for i in range(args.projects):
            uow.session.add(
                Project(
                    team_id="T0TEST",
                    code=f"P-{i:04d}",
                    name=f"Project {i}",
                    currency="CNY",
                    total_budget=1_000_000,
                    channel_id=f"C{i:06d}",
                    timezone="Asia/Shanghai",
                    locale="en",
                    meeting_weekday=0,
                    meeting_time=dt.time(10, 0),
                    reminder_lead_minutes=60,
                    report_anchor=dt.date(2026, 11, 2),
                    created_by="UPM",
                    created_at=REMINDER - dt.timedelta(days=30),
                )
            )
        uow.commit()

    clock = Clock(deps, workers=args.workers)
    clock.active = True
    started = time.monotonic()
    results = clock.catch_up()
    elapsed = time.monotonic() - started
    fake.stop()

    counts = [len(fake.messages.get(f"C{i:06d}", [])) for i in range(args.projects)]
    delivered = sum(1 for n in counts if n >= 1)
    duplicated = sum(n - 1 for n in counts if n > 1)
    lost = args.projects - delivered
    minimum = max(args.projects - args.burst, 0) / rate
    failed = sum(1 for r in results if r.outcome != "done")
    print(f"projects {args.projects}, workers {args.workers}, database {url.split(':')[0]}")
    print(
        f"limits: chat.postMessage 1/s per channel (burst 3), {args.per_minute}/min per "
        f"workspace (burst {args.burst}); other methods by tier"
    )
    print(f"delivered {delivered}, duplicated {duplicated}, lost {lost}, failed runs {failed}")
    print(f"429 answers from the fake: {fake.rejected}")
    print(
        f"time {elapsed:.1f} s, minimum the limits allow {minimum:.1f} s, ratio {elapsed / minimum:.3f}"
    )


if __name__ == "__main__":
    main()
