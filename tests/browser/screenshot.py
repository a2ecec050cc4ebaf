"""`python -m tests.browser.screenshot`: pictures of the sandbox for the README, in docs/.

Starts a sandbox on a scratch database and saves, using Debian's Chromium:
docs/sandbox.png (laptop): the PM's channel after `/icrm digest`, the welcome above it and
the jobs in the sidebar; docs/sandbox-phone.png (390 px, the browser in another timezone):
the same digest on a phone, the sidebar folded behind its button.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from bot.demo.project import PM
from bot.sandbox.server import start_sandbox
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, phone_context

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _show_digest_top(page: object) -> None:
    """Scroll the channel so the digest's header is at the top (the page stays at the end)."""
    page.evaluate(  # type: ignore[attr-defined]
        """() => {
            const header = [...document.querySelectorAll('#timeline .block-header')]
                .filter((h) => h.textContent.includes('HWY-42')).pop();
            const message = header.closest('.message');
            const timeline = document.querySelector('#timeline');
            timeline.scrollTop = message.offsetTop - timeline.offsetTop - 8;
        }"""
    )


def main(out: Path = DOCS) -> None:
    folder = tempfile.mkdtemp(prefix="icrm-shot-")
    sandbox = start_sandbox(
        port=0, database_url=f"sqlite:///{Path(folder) / 'shot.db'}", configure_log=False
    )
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            laptop = browser.new_page(viewport={"width": 1280, "height": 820})
            laptop.goto(sandbox.url)
            laptop.select_option("#acting-as", PM)
            expect(laptop.locator("#welcome")).to_be_visible()
            laptop.click('#welcome button.try[data-command="/icrm digest"]')
            chart = "#timeline .block-data_visualization, #timeline img.image"
            expect(laptop.locator(chart).first).to_be_visible(timeout=60_000)
            laptop.wait_for_function(
                "() => [...document.querySelectorAll('#timeline img')].every((i) => i.complete)"
            )
            laptop.wait_for_timeout(300)
            laptop.evaluate("document.querySelector('#timeline').scrollTop = 0")
            laptop.screenshot(path=str(out / "sandbox.png"))

            phone = phone_context(browser).new_page()
            phone.goto(sandbox.url)
            phone.select_option("#acting-as", PM)
            expect(
                phone.locator("#timeline .block-header", has_text="HWY-42").first
            ).to_be_visible()
            phone.wait_for_timeout(300)
            _show_digest_top(phone)
            phone.wait_for_timeout(200)
            phone.screenshot(path=str(out / "sandbox-phone.png"))
            browser.close()
    finally:
        sandbox.stop()
    print(f"saved {out / 'sandbox.png'} and {out / 'sandbox-phone.png'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS)
