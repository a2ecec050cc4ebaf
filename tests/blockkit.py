"""A small Block Kit validator for tests: block count, block types and text lengths.

The limits are Slack's (docs.slack.dev, Block Kit reference): a message holds 50 blocks, a
modal or Home tab 100; section text 3,000 characters, up to 10 fields of 2,000; a header's
plain text 150; context up to 10 elements; actions up to 25 elements; button text 75 and
value 2,000; block and action ids 255; a modal's title, submit and close 24;
private_metadata 3,000; input labels 2,000 and placeholders 150.
"""

from __future__ import annotations

import json
from typing import Any

BLOCK_TYPES = {
    "section",
    "divider",
    "image",
    "actions",
    "context",
    "input",
    "header",
    "file",
    "rich_text",
    "video",
}
MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}


def _text(obj: Any, limit: int, where: str, problems: list[str]) -> None:
    if obj is None:
        return
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
        problems.append(f"{where}: not a text object: {obj!r}"[:200])
        return
    text = obj.get("text", "")
    if not text:
        problems.append(f"{where}: empty text")
    if len(text) > limit:
        problems.append(f"{where}: {len(text)} characters > {limit}")


def _id(value: Any, where: str, problems: list[str]) -> None:
    if value is not None and len(str(value)) > 255:
        problems.append(f"{where}: id longer than 255")


def _element(element: dict[str, Any], where: str, problems: list[str]) -> None:
    _id(element.get("action_id"), where, problems)
    if element.get("type") == "button":
        _text(element.get("text"), 75, f"{where}.text", problems)
        if len(element.get("value") or "") > 2000:
            problems.append(f"{where}: button value longer than 2000")
        if element.get("url") and len(element["url"]) > 3000:
            problems.append(f"{where}: url longer than 3000")
    _text(element.get("placeholder"), 150, f"{where}.placeholder", problems)
    options = element.get("options") or []
    if len(options) > 100:
        problems.append(f"{where}: {len(options)} options > 100")
    for i, option in enumerate(options):
        _text(option.get("text"), 75, f"{where}.options[{i}]", problems)
        if len(option.get("value", "")) > 150:
            problems.append(f"{where}.options[{i}]: value longer than 150")


def problems_in_blocks(blocks: list[dict[str, Any]], surface: str) -> list[str]:
    """What breaks Slack's limits in `blocks` shown on `surface` (message, modal, home)."""
    problems: list[str] = []
    if len(blocks) > MAX_BLOCKS[surface]:
        problems.append(f"{len(blocks)} blocks > {MAX_BLOCKS[surface]} on a {surface}")
    for i, block in enumerate(blocks):
        kind = block.get("type")
        where = f"blocks[{i}]({kind})"
        if kind not in BLOCK_TYPES:
            problems.append(f"{where}: unknown block type")
            continue
        _id(block.get("block_id"), where, problems)
        if kind == "section":
            if block.get("text") is None and not block.get("fields"):
                problems.append(f"{where}: neither text nor fields")
            _text(block.get("text"), 3000, f"{where}.text", problems)
            fields = block.get("fields") or []
            if len(fields) > 10:
                problems.append(f"{where}: {len(fields)} fields > 10")
            for j, field in enumerate(fields):
                _text(field, 2000, f"{where}.fields[{j}]", problems)
            if block.get("accessory"):
                _element(block["accessory"], f"{where}.accessory", problems)
        elif kind == "header":
            text = block.get("text") or {}
            if text.get("type") != "plain_text":
                problems.append(f"{where}: header text must be plain_text")
            _text(text, 150, f"{where}.text", problems)
        elif kind == "context":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= 10:
                problems.append(f"{where}: {len(elements)} elements (1–10)")
            for j, element in enumerate(elements):
                if element.get("type") in ("plain_text", "mrkdwn"):
                    _text(element, 3000, f"{where}.elements[{j}]", problems)
        elif kind == "actions":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= 25:
                problems.append(f"{where}: {len(elements)} elements (1–25)")
            for j, element in enumerate(elements):
                _element(element, f"{where}.elements[{j}]", problems)
        elif kind == "input":
            if surface == "message":
                problems.append(f"{where}: input blocks do not belong in messages")
            _text(block.get("label"), 2000, f"{where}.label", problems)
            _text(block.get("hint"), 2000, f"{where}.hint", problems)
            _element(block.get("element") or {}, f"{where}.element", problems)
    return problems


def problems_in_view(view: dict[str, Any] | str) -> list[str]:
    """What breaks Slack's limits in a modal or Home view."""
    if isinstance(view, str):
        view = json.loads(view)
    surface = view.get("type", "modal")
    problems = problems_in_blocks(view.get("blocks") or [], surface)
    if len(view.get("private_metadata") or "") > 3000:
        problems.append("private_metadata longer than 3000")
    _id(view.get("callback_id"), "callback_id", problems)
    if surface == "modal":
        for key in ("title", "submit", "close"):
            _text(view.get(key), 24, key, problems)
    return problems


def assert_valid_view(view: dict[str, Any] | str) -> None:
    found = problems_in_view(view)
    assert not found, "\n".join(found)


def assert_valid_blocks(blocks: list[dict[str, Any]] | str | None, surface: str) -> None:
    if blocks is None:
        return
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    found = problems_in_blocks(list(blocks), surface)
    assert not found, "\n".join(found)
