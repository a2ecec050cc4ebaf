"""Shared fixtures: a real database (SQLite, or PostgreSQL with ICRM_TEST_DB=postgres), a fake
Slack Web API over HTTP, and the real app served over HTTP for signed requests."""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from sqlalchemy import Engine, text

from bot.app import Deps, make_deps
from bot.log import ContextExecutor
from bot.settings import SLACK_REQUEST_PATH, Settings
from bot.web import WebApp
from handlers.people import KNOWN
from handlers.routing import REFS
from storage.migrate import upgrade
from storage.models import Base
from tests.fake_slack import FakeSlack
from tests.slack_driver import SlackDriver

BOT_TOKEN = "xoxb-test-1234567890-secret"
SIGNING_SECRET = "test-signing-secret-0123456789"
PM, LEAD, MEMBER, OTHER = "UPM", "ULEAD", "UMEMBER", "UOTHER"
CHANNEL = "CPROJ"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--shift-days",
        type=int,
        default=0,
        metavar="N",
        help="run with the wall clock moved N days ahead (still ticking), for everything in "
        "the process: proves that nothing depends on today's date, only on `deps.now`",
    )
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="rewrite the expected JSON of the renderer snapshot tests "
        "(tests/unit/snapshots/) from what the renderers return now, instead of comparing",
    )


def pytest_configure(config: pytest.Config) -> None:
    days = config.getoption("--shift-days")
    if days:
        import time_machine  # a dev dependency, needed only here

        traveller = time_machine.travel(
            dt.datetime.now(dt.UTC) + dt.timedelta(days=days), tick=True
        )
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_report_header(config: pytest.Config) -> str | None:
    days = config.getoption("--shift-days")
    if not days:
        return None
    return f"wall clock shifted {days:+d} days: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"


class Clock:
    """`deps.now` for tests: real time unless a test freezes it."""

    def __init__(self) -> None:
        self.frozen: dt.datetime | None = None

    def __call__(self) -> dt.datetime:
        return self.frozen or dt.datetime.now(dt.UTC)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    if os.environ.get("ICRM_TEST_DB") == "postgres":
        url = os.environ.get("TEST_DATABASE_URL")
        server = None
        if not url:
            from tests import pg

            server = pg.start()
            url = server.url
        upgrade(url)
        yield url
        if server is not None:
            server.stop()
    else:
        folder = tempfile.mkdtemp(prefix="icrm-test-")
        url = f"sqlite:///{Path(folder) / 'test.db'}"
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def clock() -> Clock:
    return Clock()


class Sleeps(list[float]):
    """`deps.sleep` for tests: the Web API clients' retries (a 429's Retry-After, a 5xx
    back-off) are recorded here instead of waited out. Emptied after each test."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture(scope="session")
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def settings(database_url: str, fake_slack: FakeSlack) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake_slack.api_url,
        database_url=database_url,
        default_locale="en",
        default_timezone="Asia/Shanghai",
        default_currency="CNY",
        log_level="DEBUG",
        slack_workspace_rate=500.0,  # fan-outs to hundreds of DMs are paced, not slowed
    )


# Our loggers and the libraries', all at DEBUG: the strictest setting anyone could run.
LOGGERS = ("", "icrm", "slack_sdk", "slack_bolt", "sqlalchemy", "urllib3", "httpx")


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """`caplog`, with every one of `LOGGERS` captured at DEBUG (the anonymity tests read all
    that was logged)."""
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


@pytest.fixture
def cli(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., str]:
    """`python -m bot ARGS…` against the test database and the fake Slack: what it printed."""
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SLACK_API_URL", settings.slack_api_url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)

    def run(*args: str) -> str:
        from bot.__main__ import main

        main(list(args))
        return capsys.readouterr().out

    return run


@pytest.fixture(scope="session")
def deps(settings: Settings, clock: Clock, sleeps: Sleeps) -> Deps:
    return make_deps(settings, now=clock, sleep=sleeps)


@pytest.fixture(scope="session")
def engine(deps: Deps) -> Engine:
    return deps.engine


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def app_url(deps: Deps) -> Iterator[str]:
    app = WebApp(deps)
    server = make_server(
        "127.0.0.1", 0, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def slack(app_url: str, fake_slack: FakeSlack) -> SlackDriver:
    return SlackDriver(
        app_url + SLACK_REQUEST_PATH, SIGNING_SECRET, fake_slack, bot_token=BOT_TOKEN
    )


@pytest.fixture(autouse=True)
def _fresh_state(
    clock: Clock, fake_slack: FakeSlack, engine: Engine, sleeps: Sleeps
) -> Iterator[None]:
    """Each test starts with an empty database, a clean fake Slack and a running clock."""
    yield
    # Listeners keep working after their ack (republishing a Home, uploading a file):
    # let them finish before the tables are emptied under them.
    ContextExecutor.wait_all_idle(timeout=10)
    ContextExecutor.wait_all_idle(timeout=10)  # and what they handed to `deps.background`
    malformed = fake_slack.malformed()
    clock.frozen = None
    sleeps.clear()
    fake_slack.reset()
    _truncate(engine)
    REFS.clear()  # the next test's project may reuse this test's channel
    KNOWN.clear()  # people Slack confirmed: the next test's fake Slack may not know them
    # Slack refused something the bot sent as malformed (blocks, view, text): a bug.
    assert not malformed, "Slack refused:\n" + "\n".join(
        f"{c.method} {c.error}: {c.args.get('channel', '')} " + "; ".join(c.reasons)
        for c in malformed
    )


def _truncate(engine: Engine) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture(scope="session")
def oauth_deps(settings: Settings, fake_slack: FakeSlack, clock: Clock, sleeps: Sleeps) -> Deps:
    """The bot in OAuth mode ("Add to Slack", tokens per workspace), on the same database."""
    from tests.workspaces import oauth_settings

    return make_deps(oauth_settings(settings, fake_slack), now=clock, sleep=sleeps)


@pytest.fixture(scope="session")
def oauth_url(oauth_deps: Deps) -> Iterator[str]:
    from tests.workspaces import serve

    with serve(WebApp(oauth_deps)) as url:
        yield url
