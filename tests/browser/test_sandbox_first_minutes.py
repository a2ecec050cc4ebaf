"""The sandbox's first five minutes, in a real browser: the welcome and its three commands,
the language toggle, people's roles and jobs by their translated names, times in the
project's zone, and the digest and the App Home on a phone (390 × 844, the browser in New
York, the project in Shanghai).

Every step goes page → stand-in → signed HTTP request → the bot, as in `test_sandbox.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.demo.project import DEMO_CHANNEL, PM
from bot.i18n import _, translator
from bot.sandbox import jobs
from bot.sandbox.strings import WELCOME
from tests.browser.conftest import BROWSER_ZONE, PHONE, command

PROJECT_ZONE = ZoneInfo("Asia/Shanghai")
FINANCE_LEAD = "U0FINLEAD"
ZH = translator("zh-Hans")
EN = translator("en")
# A registry identifier shown to people: `weekly_digest`, `finance_lead`, a bare `pm`.
RAW_ID = re.compile(r"\b[a-z]+_[a-z_]+\b|\bpm\b")


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def arrives(sandbox: Any, user: str, page: Any, text: str, action: Callable[[], None]) -> Any:
    """The message with `text` that `action` brings (other tests' messages share the channel,
    so the count before is the workspace's, not what the page has drawn so far)."""
    shown = sandbox.workspace.timeline(DEMO_CHANNEL, user)
    before = sum(1 for m in shown if text in json.dumps(m, ensure_ascii=False))
    action()
    found = page.locator("#timeline .message", has_text=text)
    expect(found).to_have_count(before + 1)
    return found.last


def no_horizontal_overflow(page: Any) -> None:
    widths = page.evaluate(
        """() => ({
            page: document.documentElement.scrollWidth,
            viewport: window.innerWidth,
            timeline: [document.querySelector('#timeline').scrollWidth,
                       document.querySelector('#timeline').clientWidth],
            home: [document.querySelector('#home').scrollWidth,
                   document.querySelector('#home').clientWidth],
        })"""
    )
    assert widths["viewport"] == PHONE["width"]
    assert widths["page"] <= widths["viewport"], widths
    assert widths["timeline"][0] <= widths["timeline"][1], widths
    assert widths["home"][0] <= widths["home"][1], widths


def smallest_font_px(locator: Any) -> float:
    """The smallest computed font size of the text under `locator`. The page redraws the
    timeline when a message arrives (other tests' jobs post to the channel), so a walk that
    met a replaced node is walked again on the new one."""
    for _attempt in range(5):
        least = float(
            locator.evaluate(
                """(root) => {
                    let least = Infinity;
                    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
                    while (walk.nextNode()) {
                        const node = walk.currentNode;
                        if (!node.textContent.trim() || !node.parentElement.isConnected) continue;
                        least = Math.min(least, parseFloat(getComputedStyle(node.parentElement).fontSize));
                    }
                    return root.isConnected ? least : NaN;
                }"""
            )
        )
        if least == least and least != float("inf"):  # not NaN: a walk of the live page
            return least
    raise AssertionError("no text found to measure")


def sidebar_collapsed(page: Any) -> None:
    expect(page.locator("#sidebar")).to_be_hidden()
    expect(page.locator("#menu-toggle")).to_be_visible()
    expect(page.locator("#menu-toggle")).to_have_attribute("aria-expanded", "false")


# -- the welcome ----------------------------------------------------------------------------
def test_the_channel_opens_with_a_welcome_offering_three_commands(page: Any, sandbox: Any) -> None:
    welcome = page.locator("#timeline #welcome")
    expect(welcome).to_contain_text("欢迎使用 ICRM 沙盒")  # the project's language first
    tries = welcome.locator("button.try")
    expect(tries).to_have_count(3)
    commands = [command for command, _what in WELCOME]
    assert [tries.nth(i).get_attribute("data-command") for i in range(3)] == commands
    for i, (_command, what) in enumerate(WELCOME):
        expect(tries.nth(i)).to_contain_text(ZH(what))

    page.click('#language button[data-lang="en"]')
    expect(welcome).to_contain_text("Welcome to the ICRM sandbox")
    for i, (_command, what) in enumerate(WELCOME):
        expect(tries.nth(i)).to_contain_text(EN(what))

    # A suggestion runs as typed: /funds summary answers the PM with the project's figures.
    page.select_option("#acting-as", PM)
    title = ZH(_("{code} · budget vs actual"), code="HWY-42")  # the bot speaks the project's
    answer = arrives(
        sandbox,
        PM,
        page,
        title,
        lambda: page.click('#welcome button.try[data-command="/funds summary"]'),
    )
    expect(answer).to_have_class(re.compile("ephemeral"))
    expect(answer).to_contain_text(ZH.money(Decimal("1200000000"), "CNY"))


def test_the_welcome_is_in_the_channel_only(page: Any) -> None:
    page.click('button[data-conversation^="D"]')
    expect(page.locator("#conversation-title")).to_have_text("ICRM")
    expect(page.locator("#welcome")).to_have_count(0)
    page.click('button[data-conversation^="C"]')
    expect(page.locator("#welcome")).to_have_count(1)


# -- the language toggle ---------------------------------------------------------------------
def test_the_language_toggle_shows_the_language_in_use(page: Any) -> None:
    chinese = page.locator('#language button[data-lang="zh-Hans"]')
    english = page.locator('#language button[data-lang="en"]')
    expect(chinese).to_have_attribute("aria-pressed", "true")
    expect(chinese).to_have_text("中文 ✓")
    expect(english).to_have_attribute("aria-pressed", "false")
    expect(english).to_have_text("English")
    expect(page.locator(".acting span")).to_have_text("当前身份")

    english.click()
    expect(english).to_have_attribute("aria-pressed", "true")
    expect(english).to_have_text("English ✓")
    expect(chinese).to_have_attribute("aria-pressed", "false")
    expect(chinese).to_have_text("中文")
    expect(page.locator(".acting span")).to_have_text("Acting as")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.reload()  # the choice is remembered
    expect(page.locator('#language button[data-lang="en"]')).to_have_text("English ✓")
    expect(page.locator(".acting span")).to_have_text("Acting as")


# -- people and jobs by their names ----------------------------------------------------------
def test_roles_and_jobs_read_as_words_in_both_languages(page: Any) -> None:
    options = page.locator("#acting-as option")
    expect(options.first).to_have_text("Wang Lei 王磊 · 项目经理")
    expect(page.locator("#acting-as")).to_contain_text("Li Na 李娜 · 财务部负责人")
    expect(page.locator("#acting-as")).to_contain_text("Zhang Wei 张伟 · 财务部成员")
    names = page.locator("#jobs .job-name")
    expect(names).to_have_count(len(jobs.available()))
    expect(page.locator("#jobs")).to_contain_text("周报")
    expect(page.locator("#jobs")).to_contain_text("月度评估")
    for shown in [*options.all_inner_texts(), *names.all_inner_texts()]:
        assert not RAW_ID.search(shown), shown

    page.click('#language button[data-lang="en"]')
    expect(options.first).to_have_text("Wang Lei 王磊 · PM")  # 'PM' is the English word
    expect(page.locator("#acting-as")).to_contain_text("Li Na 李娜 · Finance lead")
    expect(page.locator("#jobs")).to_contain_text("Weekly digest")
    expect(page.locator("#jobs")).to_contain_text("Runway check")
    for shown in names.all_inner_texts():
        assert not RAW_ID.search(shown), shown
    describe = page.locator('#jobs li.job:has(button[data-job="weekly_digest"])')
    expect(describe).to_have_attribute("title", EN(jobs.DESCRIPTIONS["weekly_digest"]))


def test_the_job_log_names_the_job_and_its_outcome_in_words(page: Any) -> None:
    page.select_option("#acting-as", PM)
    page.click('button[data-job="runway_check"]')
    line = page.locator("#job-log li", has_text="资金可支撑周数检查")
    expect(line).to_be_visible()
    expect(line).to_contain_text(re.compile("已完成|本期已运行"))
    assert not RAW_ID.search(line.inner_text()), line.inner_text()

    page.click('#language button[data-lang="en"]')  # the log follows the page's language
    expect(page.locator("#job-log li", has_text="Runway check").first).to_be_visible()
    assert "runway_check" not in page.locator("#job-log").inner_text()


# -- times in the project's zone ---------------------------------------------------------------
def shanghai(epoch: float, fmt: str) -> str:
    return dt.datetime.fromtimestamp(epoch, PROJECT_ZONE).strftime(fmt)


def test_slack_date_tokens_show_in_the_project_zone_not_the_browsers(phone: Any) -> None:
    expect(phone.locator("#welcome")).to_be_visible()  # the page and its state are loaded
    # 20:00 UTC on 1 December: 04:00 on 2 December in Shanghai, 15:00 on 1 December in New York.
    epoch = int(dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.UTC).timestamp())
    token = f"<!date^{epoch}^{{date_short_pretty}} {{time}}|fallback>"
    shown = phone.evaluate("(token) => mrkdwn(token)", token)
    assert "12月2日" in shown and "04:00" in shown, shown
    assert "15:00" not in shown and "12月1日" not in shown, shown
    browser_zone = phone.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    assert browser_zone == BROWSER_ZONE  # the test proves something only in another zone


def test_message_times_and_feedback_dates_show_in_the_project_zone(
    phone: Any, sandbox: Any
) -> None:
    phone.select_option("#acting-as", FINANCE_LEAD)  # finance's lead: feedback finance received
    asked = time.time()
    command(phone, "/feedback list")
    title = ZH(
        _("Feedback received by {departments} ({project})"), departments="财务部", project="HWY-42"
    )
    answer = phone.locator("#timeline .message.ephemeral", has_text=title).last
    expect(answer).to_be_visible()
    posted = float(answer.get_attribute("data-posted-at"))
    assert asked - 1 <= posted <= time.time()  # when it arrived, not the stand-in's counter
    expect(answer.locator(".time")).to_have_text(shanghai(posted, "%H:%M"))
    new_york = dt.datetime.fromtimestamp(posted, ZoneInfo(BROWSER_ZONE)).strftime("%H:%M")
    assert answer.locator(".time").inner_text() != new_york

    # The list dates each item with a Slack date token: shown as Shanghai's calendar and clock.
    raw = phone.evaluate(
        "(ts) => JSON.stringify(ui.data.messages.find((m) => m.ts === ts))",
        str(answer.get_attribute("data-ts")),
    )
    epochs = [int(e) for e in re.findall(r"<!date\^(\d+)\^", raw)]
    assert epochs, "the feedback list dates its items with <!date^…> tokens"
    for epoch in epochs[:3]:
        expect(answer).to_contain_text(shanghai(epoch, "%H:%M"))


# -- the phone --------------------------------------------------------------------------------
def test_the_sidebar_is_a_drawer_on_a_phone(phone: Any) -> None:
    sidebar_collapsed(phone)
    expect(phone.locator("#timeline")).to_be_visible()
    phone.click("#menu-toggle")
    expect(phone.locator("#sidebar")).to_be_visible()
    expect(phone.locator("#menu-toggle")).to_have_attribute("aria-expanded", "true")
    box = phone.locator("#sidebar").bounding_box()
    assert box["x"] == 0 and box["width"] < PHONE["width"]  # a drawer over the channel
    phone.click("#nav-home")  # choosing where to go closes it
    sidebar_collapsed(phone)
    expect(phone.locator("#conversation-title")).to_have_text("应用主页")
    phone.click("#menu-toggle")
    phone.mouse.click(PHONE["width"] - 10, PHONE["height"] // 2)  # a tap beside it too
    sidebar_collapsed(phone)


def test_the_digest_reads_well_on_a_phone(phone: Any, sandbox: Any) -> None:
    from bot.services import digest
    from jobs.registry import last_fire
    from jobs.weekly_digest import KIND

    phone.select_option("#acting-as", PM)
    phone.click('#welcome button.try[data-command="/icrm digest"]')
    header = ZH(digest_header(), code="HWY-42")
    posted = phone.locator("#timeline .message", has_text=header).last
    expect(posted).to_be_visible()
    # This ISO week's digest: posted by /icrm digest now, or earlier by the job's "Run now"
    # for its Monday fire time; the figures are those of the week the message names.
    now = sandbox.deps.now()
    with sandbox.deps.uow() as uow:
        project = uow.projects.by_code("T0DEMO", "HWY-42")
        assert project is not None
        fired = last_fire(KIND.trigger(project), now, KIND.lookback)
        weeks = [digest.weekly(uow, project_id=project.id, at=at) for at in (now, fired) if at]
    text = posted.inner_text()
    [week] = [w for w in weeks if ZH.date(w.first) in text and ZH.date(w.last) in text][:1]
    this_week = ZH.money(week.use.this_week, "CNY")
    to_date = ZH.money(week.use.to_date, "CNY")
    assert this_week != to_date  # ten weeks of demo: the week is a part of the total
    expect(posted).to_contain_text(this_week)
    expect(posted).to_contain_text(to_date)
    # The digest's chart (Slack's own bar chart: the demo has 7 budget lines) fits the screen
    # and names every line.
    chart = posted.locator(".block-data_visualization")
    expect(chart).to_be_visible()
    left, right = chart.evaluate(
        "(c) => { c.scrollIntoView(); const r = c.getBoundingClientRect(); return [r.left, r.right]; }"
    )
    assert left >= 0 and right <= PHONE["width"]
    for line in [line.name for line in week.lines]:
        expect(chart).to_contain_text(line)
    sidebar_collapsed(phone)
    no_horizontal_overflow(phone)
    assert smallest_font_px(posted.locator(".body")) >= 12
    assert smallest_font_px(posted.locator(".block-section").first) >= 15


def digest_header() -> Any:
    from bot.i18n import _

    return _("Weekly digest · {code}")


def test_the_app_home_reads_well_on_a_phone(phone: Any) -> None:
    phone.select_option("#acting-as", PM)
    phone.click("#menu-toggle")
    phone.click("#nav-home")
    sidebar_collapsed(phone)
    home = phone.locator("#home")
    expect(home).to_contain_text("HWY-42")
    expect(home).to_contain_text("项目经理")  # the PM's role, in words
    expect(home).to_contain_text("#hwy-42-command-centre")  # a channel by its name, as Slack
    expect(home).not_to_contain_text("#C0DEMOHWY")
    expect(home).to_contain_text(ZH.money(Decimal("1200000000"), "CNY"))
    expect(home.locator(".btn").first).to_be_visible()
    assert not RAW_ID.search(home.inner_text())
    no_horizontal_overflow(phone)
    assert smallest_font_px(home) >= 12
    # Every button big enough to tap and on the screen (measured in one go: the Home is
    # redrawn whenever the bot publishes it again).
    boxes = home.evaluate(
        """(home) => [...home.querySelectorAll('.btn')].map((b) => {
            const r = b.getBoundingClientRect(); return [r.left, r.right, r.height]; })"""
    )
    assert len(boxes) >= 3
    for left, right, height in boxes:
        assert height >= 28 and left >= 0 and right <= PHONE["width"], boxes
