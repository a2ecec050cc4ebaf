"""`/icrm import` on the sandbox page: the file input uploads to the stand-in, the bot
fetches the file from it, the preview and the applied result show in the modal."""

from __future__ import annotations

import re
from typing import Any

from bot.demo.project import PM
from tests.browser.conftest import command


def test_import_a_csv_from_the_page(page: Any) -> None:
    from playwright.sync_api import expect

    page.select_option("#acting-as", PM)
    command(page, "/icrm import")
    expect(page.locator("#modal-backdrop")).to_be_visible()
    content = "预算科目,类别,预算\n沙盒导入科目,other,5万\n".encode()
    page.set_input_files(
        "#in-import_file", files=[{"name": "预算.csv", "mimeType": "text/csv", "buffer": content}]
    )
    block = page.locator('#modal-body [data-block-id="import_file"]')
    expect(block).to_have_attribute("data-file", re.compile(r'"id"'))
    page.click("#modal-submit")
    expect(page.locator("#modal-body")).to_contain_text("1 项新建")
    page.click("#modal-submit")  # 应用
    expect(page.locator("#modal-body")).to_contain_text("已导入")
