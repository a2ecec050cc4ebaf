"""The sandbox page in a real browser: commands, modals with field errors, jobs, App Home.

Every step goes page → stand-in → signed HTTP request → the bot's `/slack/events`, and back
through the Web API calls the bot makes; nothing here talks to a handler directly.
"""

from __future__ import annotations

import re
from typing import Any

from bot.demo.project import PM
from bot.i18n import translator
from bot.sandbox import jobs
from bot.sandbox.jobs import label
from tests.browser.conftest import command

MEMBER = "U0FIN1"


def shown(page: Any) -> int:
    """How many messages the timeline shows once it has drawn the conversation and user just
    picked (a switch redraws it when the page's next poll answers, not at the click)."""
    page.wait_for_function("() => ui.shownVersion !== -1")
    return int(page.locator("#timeline .message").count())


def new_message(page: Any, before: int) -> Any:
    """The message that arrives after `before` were shown (waits for it)."""
    from playwright.sync_api import expect

    arrived = page.locator("#timeline .message").nth(before)
    expect(arrived).to_be_visible()
    return arrived


def test_icrm_help_is_shown_to_the_caller_only(page: Any) -> None:
    from playwright.sync_api import expect

    page.select_option("#acting-as", PM)
    before = shown(page)
    command(page, "/icrm help")
    answer = new_message(page, before)
    expect(answer).to_contain_text("/icrm setup")
    expect(answer).to_have_class(re.compile("ephemeral"))

    page.select_option("#acting-as", MEMBER)  # someone else in the channel does not see it
    expect(page.locator("#timeline .message", has_text="/icrm setup")).to_have_count(0)


def test_funds_modal_shows_field_errors_then_records(page: Any) -> None:
    from playwright.sync_api import expect

    page.select_option("#acting-as", PM)
    before = shown(page)
    command(page, "/funds summary")
    summary_before = new_message(page, before).inner_text()

    command(page, "/funds")
    expect(page.locator("#modal-backdrop")).to_be_visible()
    page.select_option("#in-line", label="勘察设计")
    page.fill("#in-amount", "twelve")
    page.fill("#in-purpose", "Geological survey, section 3")
    page.fill("#in-reference", "INV-SBX-0001")
    page.click("#modal-submit")
    error = page.locator('#modal-body [data-block-id="amount"] .field-error')
    expect(error).to_have_text(re.compile(r"\S"))  # the bot's own words, under the field
    expect(page.locator("#modal-backdrop")).to_be_visible()

    page.fill("#in-amount", "12345")
    page.click("#modal-submit")
    expect(page.locator("#modal-backdrop")).to_be_hidden()
    expect(page.locator("#timeline .message", has_text="¥12,345.00").first).to_be_visible()

    count = page.locator("#timeline .message").count()
    command(page, "/funds summary")
    summary_after = new_message(page, count).inner_text()
    assert summary_after != summary_before


def test_run_a_scheduled_job_from_the_page(page: Any) -> None:
    from playwright.sync_api import expect

    names = [j.name for j in jobs.available()]
    posts_to_channel = ("weekly_digest", "meeting_reminder")
    wanted = next((n for n in posts_to_channel if n in names), names[0])
    page.select_option("#acting-as", PM)
    page.click('button[data-conversation^="C"]')
    before = shown(page)
    page.click(f'button[data-job="{wanted}"]')
    # The log names the job in words (the page's language), not by its registry id.
    expect(
        page.locator("#job-log li", has_text=translator("zh-Hans")(label(wanted)))
    ).to_be_visible()
    if wanted in posts_to_channel:
        arrived = new_message(page, before)
        expect(arrived).not_to_have_class(re.compile("ephemeral"))  # everyone sees it
        expect(arrived.locator(".block").first).to_be_visible()
        if wanted == "weekly_digest":  # its chart: Slack's own (7 lines), a PNG beyond 20
            chart = "#timeline .block-data_visualization, #timeline img.image"
            expect(page.locator(chart).first).to_be_visible()


def test_app_home_is_published_for_the_acting_user(page: Any) -> None:
    from playwright.sync_api import expect

    page.select_option("#acting-as", PM)
    page.click("#nav-home")
    expect(page.locator("#home .block").first).to_be_visible()
    expect(page.locator("#home")).to_contain_text("HWY-42")
