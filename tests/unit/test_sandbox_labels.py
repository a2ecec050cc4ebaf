"""The sandbox names jobs and outcomes in words, in both languages (pure: no database)."""

from __future__ import annotations

import re

from bot.i18n import Msg, _, translator
from bot.sandbox import jobs
from bot.sandbox.strings import WELCOME, page_strings, welcome_commands

ZH = translator("zh-Hans")
EN = translator("en")
SNAKE = re.compile(r"[a-z]+_[a-z_]+")


def test_every_registered_job_has_a_name_and_a_description_in_both_languages() -> None:
    names = [j.name for j in jobs.available()]
    assert "weekly_digest" in names and "report_summary" in names
    for name in names:
        assert name in jobs.LABELS and name in jobs.DESCRIPTIONS, f"{name} needs sandbox words"
        for tr in (ZH, EN):
            assert not SNAKE.search(tr(jobs.label(name))), name
            assert not SNAKE.search(tr(jobs.DESCRIPTIONS[name])), name
        assert ZH(jobs.label(name)) != EN(jobs.label(name)), f"{name} lacks Chinese"
    assert ZH(jobs.label("weekly_digest")) == "周报"
    assert ZH(jobs.label("monthly_scorecard")) == "月度评估"


def test_an_unknown_job_reads_as_words_not_as_its_identifier() -> None:
    assert EN(jobs.label("quarterly_lender_pack")) == "Quarterly lender pack"


def test_a_log_line_names_the_job_the_outcome_and_why_in_the_page_language() -> None:
    why = _("No reports were due for {start} – {end}: no period was opened.", start="A", end="B")
    line = jobs.RunLine(
        "report_summary", results=[jobs.RunLine("report_summary", "already done", 0, why)]
    )
    assert EN(line.show(EN)) == (
        "Report summary: already done, 0 sent (No reports were due for A – B: no period was opened.)"
    )
    assert ZH(line.show(ZH)).startswith("资金使用报告汇总：本期已运行，已发送 0 条（")
    both = jobs.RunLine("survey_open", results=[jobs.RunLine("survey_open", "done", 3)] * 2)
    assert both.show(ZH) == "调查邀请：已完成，已发送 3 条; 调查邀请：已完成，已发送 3 条"


def test_a_failed_run_shows_its_error_and_an_unknown_outcome_is_kept_as_is() -> None:
    failed = jobs.RunLine("runway_check", "failed", error="RuntimeError: boom")
    assert failed.show(EN) == "Runway check: failed, 0 sent (RuntimeError: boom)"
    assert failed.show(ZH) == "资金可支撑周数检查：失败，已发送 0 条（RuntimeError: boom）"
    odd = jobs.RunLine("weekly_digest", "paused", 1)
    assert odd.show(EN) == "Weekly digest: paused, 1 sent"


def test_the_welcome_offers_three_commands_described_in_both_languages() -> None:
    assert [c for c, _what in WELCOME] == ["/icrm digest", "/funds summary", "/risk list"]
    for tr in (ZH, EN):
        shown = welcome_commands(tr)
        assert [c["command"] for c in shown] == [c for c, _what in WELCOME]
        assert all(c["what"] and not isinstance(c["what"], Msg) for c in shown)
    assert welcome_commands(ZH)[0]["what"] != welcome_commands(EN)[0]["what"]
    zh, en = page_strings(ZH), page_strings(EN)
    for key in ("welcome_title", "welcome_text", "welcome_more", "language", "menu"):
        assert zh[key] != en[key], key
