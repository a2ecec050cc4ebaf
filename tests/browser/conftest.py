"""Browser tests of the sandbox: Playwright for Python driving Debian's Chromium.

One sandbox (stand-in, bot, SQLite with the demo) and one browser serve every test here.
Playwright's own browser download does not work on our machines, so the system Chromium is
used; `make test` installs it (apt, as root). Without it these tests are skipped, saying why.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox.server import Sandbox, start_sandbox

CHROMIUM = os.environ.get("ICRM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _skip_reason() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "browser tests need Playwright: pip install -e '.[dev]' (make test does)"
    if not Path(CHROMIUM).exists():
        return (
            f"browser tests need Chromium at {CHROMIUM}: apt-get install chromium "
            "(make test does when run as root)"
        )
    return None


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    folder = tempfile.mkdtemp(prefix="icrm-sandbox-")
    running = start_sandbox(
        port=0, database_url=f"sqlite:///{Path(folder) / 'sandbox.db'}", configure_log=False
    )
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser(sandbox: Sandbox) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, sandbox: Sandbox) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    context.set_default_timeout(10_000)
    opened = context.new_page()
    opened.goto(sandbox.url)
    yield opened
    context.close()


# A phone (iPhone 12–15 size) in a timezone other than the project's (Asia/Shanghai): the
# sandbox must show the project's times, as Slack shows each member's own.
PHONE = {"width": 390, "height": 844}
BROWSER_ZONE = "America/New_York"


def command(page: Any, text: str) -> None:
    """Type `text` into the sandbox's composer and send it (a slash command or a message)."""
    page.fill("#composer-input", text)
    page.press("#composer-input", "Enter")


def phone_context(browser: Any) -> Any:
    """A browser context like a phone's: 390 px wide, 2x pixels, touch, in New York."""
    return browser.new_context(
        viewport=PHONE,
        timezone_id=BROWSER_ZONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )


@pytest.fixture
def phone(browser: Any, sandbox: Sandbox) -> Iterator[Any]:
    context = phone_context(browser)
    context.set_default_timeout(15_000)
    opened = context.new_page()
    opened.goto(sandbox.url)
    yield opened
    context.close()
