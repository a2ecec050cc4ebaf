"""`python -m bot …`: run, serve, socket, clock, migrate, jobs, demo, sandbox, purge-team."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import signal
import sys
import time
from typing import Any

from bot.settings import SLACK_REQUEST_PATH, Settings

MISSING_TOKENS = """\
The ICRM bot needs Slack credentials to start. Missing: {missing}.

1. Create the Slack app from the manifest in this repository:
   https://api.slack.com/apps?new_app=1  →  "From a manifest"  →  pick your workspace
   →  paste the contents of app_manifest.yml  →  Create.
2. Install it to the workspace ("Install App"), then copy:
   - SLACK_BOT_TOKEN       "OAuth & Permissions" → Bot User OAuth Token (xoxb-…)
   - SLACK_SIGNING_SECRET  "Basic Information" → App Credentials → Signing Secret
   - SLACK_APP_TOKEN       (optional, for Socket Mode, no public URL needed)
                           "Basic Information" → App-Level Tokens → Generate, scope
                           connections:write (xapp-…); then enable "Socket Mode".
3. Put them in a .env file next to the Makefile (or export them):
     SLACK_BOT_TOKEN=xoxb-…
     SLACK_SIGNING_SECRET=…
     SLACK_APP_TOKEN=xapp-…
   Or, for an app installed to many workspaces ("Add to Slack", OAuth): instead of
   SLACK_BOT_TOKEN set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET ("Basic Information" →
   App Credentials) and open /slack/install on the bot's public URL.
4. Run `make run` again. Without SLACK_APP_TOKEN the bot serves HTTP on $PORT (default
   3000) at {path}: set that URL as the Request URL of the slash commands,
   interactivity and event subscriptions in the app's settings.
"""


def _settings() -> Settings:
    return Settings()


def _require_tokens(settings: Settings) -> None:
    missing = settings.missing_slack_credentials()
    if missing:
        print(
            MISSING_TOKENS.format(missing=", ".join(missing), path=SLACK_REQUEST_PATH),
            file=sys.stderr,
        )
        raise SystemExit(2)


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> None:
    from storage.migrate import upgrade

    upgrade(settings.database_url)
    print("database is up to date")


def gunicorn_command(port: int | str = "$PORT") -> list[str]:
    """The production server command; the Procfile's `web:` line is this, verbatim."""
    return [
        "gunicorn",
        "--bind",
        f"0.0.0.0:{port}",
        "--workers",
        "2",
        "--threads",
        "8",
        "--worker-class",
        "gthread",
        "--timeout",
        "30",
        "--access-logfile",
        "-",
        "bot.web:create_wsgi_app()",
    ]


def cmd_serve(settings: Settings, _args: argparse.Namespace) -> None:
    _require_tokens(settings)
    command = gunicorn_command(settings.port)
    print("starting:", shlex.join(command), flush=True)
    os.execvp(command[0], command)


def cmd_socket(settings: Settings, _args: argparse.Namespace) -> None:
    _require_tokens(settings)
    _socket_mode(settings, with_clock=False)


def _socket_mode(settings: Settings, *, with_clock: bool) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.app import create_bolt_app, make_deps
    from bot.log import configure_logging

    configure_logging(settings.log_level, _secrets(settings))
    deps = make_deps(settings)
    app = create_bolt_app(deps)
    if with_clock:
        _start_clock(deps)
    SocketModeHandler(app, settings.secret("slack_app_token")).start()  # type: ignore[no-untyped-call]


def _start_clock(deps: Any) -> Any:
    from jobs.scheduler import Clock

    clock = Clock(deps)
    clock.start()
    return clock


def _secrets(settings: Settings) -> list[str]:
    return [
        settings.secret(n)
        for n in (
            "slack_bot_token",
            "slack_signing_secret",
            "slack_app_token",
            "slack_client_secret",
        )
    ]


SANDBOX_INSTEAD = """\
No Slack credentials, so here is the local Slack sandbox instead: the bot with the demo
project, driven from your browser. (`python -m bot run --no-sandbox` only prints the above.)
"""


def cmd_run(settings: Settings, args: argparse.Namespace) -> None:
    """One process: migrate, then Socket Mode or HTTP, with the clock inside.

    Without Slack credentials it explains how to get them, then starts the local sandbox
    (or, with `--no-sandbox`, exits 2 as a deployment should).
    """
    missing = settings.missing_slack_credentials()
    if missing and not getattr(args, "no_sandbox", False):
        print(
            MISSING_TOKENS.format(missing=", ".join(missing), path=SLACK_REQUEST_PATH),
            file=sys.stderr,
        )
        print(SANDBOX_INSTEAD, file=sys.stderr, flush=True)
        cmd_sandbox(settings, args)
        return
    _require_tokens(settings)
    cmd_migrate(settings, args)
    if settings.slack_app_token:
        _socket_mode(settings, with_clock=True)
        return
    from gunicorn.app.base import BaseApplication

    from bot.app import make_deps
    from bot.web import create_wsgi_app

    class OneProcess(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"0.0.0.0:{settings.port}")
            self.cfg.set("workers", 1)
            self.cfg.set("threads", 8)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("post_worker_init", lambda _worker: _start_clock(make_deps(settings)))

        def load(self) -> Any:
            return create_wsgi_app(settings)

    print(f"ICRM bot on http://localhost:{settings.port}{SLACK_REQUEST_PATH}", flush=True)
    OneProcess().run()


def cmd_clock(settings: Settings, _args: argparse.Namespace) -> None:
    from bot.app import make_deps
    from bot.log import configure_logging

    configure_logging(settings.log_level, _secrets(settings))
    # SIGTERM (a deploy, `heroku ps:stop`) ends the clock cleanly: runs under way finish
    # and the lock is handed over at once instead of when the lease runs out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    clock = _start_clock(make_deps(settings))
    try:
        while True:  # the scheduler runs in its own thread
            time.sleep(3600)
    finally:
        clock.stop()


def cmd_jobs(settings: Settings, args: argparse.Namespace) -> None:
    from bot.app import make_deps
    from jobs import manual

    deps = make_deps(settings)
    if args.jobs_command == "list":
        rows = manual.schedule(deps)
        if not rows:
            print("no active projects, so nothing is scheduled")
        for row in rows:
            when = row.next_run.strftime("%a %Y-%m-%d %H:%M %Z") if row.next_run else "never"
            print(f"{row.job:20} {row.project:12} {when}  ({row.timezone})")
        return
    at = dt.datetime.fromisoformat(args.at) if args.at else None
    if at is not None and at.tzinfo is None:
        print("--at needs a timezone offset, like 2026-12-07T09:00+08:00", file=sys.stderr)
        raise SystemExit(2)
    try:
        results = manual.run_now(deps, args.name, project_code=args.project, at=at)
    except KeyError:
        from jobs.registry import REGISTRY

        print(
            f"unknown job {args.name!r}; known jobs: {', '.join(sorted(REGISTRY))}", file=sys.stderr
        )
        raise SystemExit(2) from None
    except LookupError:
        print(f"no active project has the code {args.project!r}", file=sys.stderr)
        raise SystemExit(2) from None
    for result in results:
        detail = f": {result.error}" if result.error else ""
        if result.reason is not None and not result.error:
            detail = f": {result.explain()}"
        print(
            f"{result.job} project {result.project_id} period {result.period_key}: "
            f"{result.outcome}, {result.sent} message(s) sent{detail}"
        )
    if any(r.outcome == "failed" for r in results):
        raise SystemExit(1)


def cmd_demo(settings: Settings, _args: argparse.Namespace) -> None:
    from bot.app import make_deps
    from bot.demo import load_demo

    cmd_migrate(settings, _args)
    code = load_demo(make_deps(settings))
    print(f"demo project {code} loaded into {settings.database_url}")


def cmd_purge_team(settings: Settings, args: argparse.Namespace) -> None:
    """Delete every row of one workspace, after the operator types its id (or `--yes`)."""
    from bot.app import make_deps
    from bot.services import workspaces

    deps = make_deps(settings)
    team = args.team_id
    with deps.uow() as uow:
        codes = [p.code for p in uow.workspaces.projects(team)]
    print(
        f"This deletes everything the bot keeps for workspace {team}: "
        f"{len(codes)} project(s) ({', '.join(codes) or 'none'}) with their departments, "
        "budgets, fund use, risks, feedback, reports, surveys, scorecards and jobs, its audit "
        "log, and its installation. It cannot be undone."
    )
    if not args.yes:
        try:
            typed = input(f"Type {team} to confirm: ")
        except EOFError:
            typed = ""
        if typed.strip() != team:
            print("not confirmed; nothing deleted", file=sys.stderr)
            raise SystemExit(1)
    with deps.uow() as uow:
        deleted = workspaces.purge(uow, team_id=team)
    for table, count in sorted(deleted.items()):
        print(f"{table:24} {count} row(s) deleted")
    print(f"workspace {team} purged")


def cmd_sandbox(settings: Settings, args: argparse.Namespace) -> None:
    """The bot behind a local Slack stand-in, on 127.0.0.1 only, until Ctrl-C."""
    from bot.sandbox.server import DEFAULT_DATABASE, start_sandbox

    database = getattr(args, "database", None) or DEFAULT_DATABASE
    sandbox = start_sandbox(
        port=settings.port, database_url=database, log_level=settings.log_level, clock=True
    )
    print(
        f"ICRM sandbox: open {sandbox.url} in your browser (database {database}; Ctrl-C stops)",
        flush=True,
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sandbox.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot", description="The ICRM Slack bot")
    sub = parser.add_subparsers(dest="command", required=True)
    run_cmd = sub.add_parser(
        "run", help="one process: Socket Mode or HTTP, scheduler inside; no tokens: the sandbox"
    )
    run_cmd.add_argument(
        "--no-sandbox", action="store_true", help="without Slack tokens, explain and exit 2"
    )
    sandbox = sub.add_parser("sandbox", help="a local Slack stand-in in the browser, demo loaded")
    sandbox.add_argument("--database", help="database URL (default a SQLite file of its own)")
    sub.add_parser("serve", help="HTTP with the production server (gunicorn)")
    sub.add_parser("socket", help="Socket Mode only")
    sub.add_parser("clock", help="the scheduler only")
    sub.add_parser("migrate", help="upgrade the database schema")
    sub.add_parser("demo", help="load a realistic demo project")
    purge = sub.add_parser(
        "purge-team", help="delete all data of one workspace (asks you to type its id)"
    )
    purge.add_argument("team_id")
    purge.add_argument("--yes", action="store_true", help="do not ask (for scripts)")
    jobs = sub.add_parser("jobs", help="list or run scheduled jobs")
    jobs_sub = jobs.add_subparsers(dest="jobs_command", required=True)
    jobs_sub.add_parser("list")
    run = jobs_sub.add_parser("run")
    run.add_argument("name")
    run.add_argument("--project")
    run.add_argument("--at")
    args = parser.parse_args(argv)
    commands = {
        "run": cmd_run,
        "serve": cmd_serve,
        "socket": cmd_socket,
        "clock": cmd_clock,
        "migrate": cmd_migrate,
        "jobs": cmd_jobs,
        "demo": cmd_demo,
        "sandbox": cmd_sandbox,
        "purge-team": cmd_purge_team,
    }
    commands[args.command](_settings(), args)


if __name__ == "__main__":
    main()
