"""`python -m tests.browser.screenshot`: pictures of the sandbox for the README, in docs/.

Starts a sandbox on a scratch database, runs a few commands as the PM and saves
docs/sandbox.png (laptop) and docs/sandbox-phone.png (phone width), using Debian's Chromium.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from bot.demo.project import PM
from bot.sandbox.server import start_sandbox
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

DOCS = Path(__file__).resolve().parents[2] / "docs"


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
            page = browser.new_page(viewport={"width": 1280, "height": 820})
            page.goto(sandbox.url)
            page.select_option("#acting-as", PM)
            for text in ("/funds summary", "/risk list"):
                count = page.locator("#timeline .message").count()
                page.fill("#composer-input", text)
                page.press("#composer-input", "Enter")
                expect(page.locator("#timeline .message")).to_have_count(count + 1)
            page.fill("#composer-input", "/funds")
            page.press("#composer-input", "Enter")
            expect(page.locator("#modal-backdrop")).to_be_visible()
            page.select_option("#in-line", label="勘察设计")
            page.fill("#in-amount", "-5")
            page.fill("#in-purpose", "地质补勘（第三标段）")
            page.fill("#in-reference", "INV-2026-0418")
            page.click("#modal-submit")
            page.wait_for_timeout(800)
            page.screenshot(path=str(out / "sandbox.png"))
            page.click("#modal-close")
            page.set_viewport_size({"width": 390, "height": 844})
            page.wait_for_timeout(300)
            page.screenshot(path=str(out / "sandbox-phone.png"))
            browser.close()
    finally:
        sandbox.stop()
    print(f"saved {out / 'sandbox.png'} and {out / 'sandbox-phone.png'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS)
