"""Slack's Block Kit rules, as the stand-in enforces them on every call (and tests assert).

The limits are Slack's (docs.slack.dev, Block Kit reference): a message holds 50 blocks, a
modal or Home tab 100; `block_id` is unique within a message or view, `action_id` among the
elements of one block; section text 3,000 characters, up to 10 fields of 2,000; a header's
plain text 150; context up to 10 elements; actions up to 25 elements; button text 75 and
value 2,000; a static select up to 100 options, option text 75 and value 150; block and
action ids 255; a modal's title, submit and close 24, and a modal with input blocks needs a
submit; private_metadata 3,000; input labels 2,000 and placeholders 150.

Each problem reads like Slack's own: a reason and a `[json-pointer:/blocks/…]`.
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
MAX_PRIVATE_METADATA = 3000
MAX_BUTTON_VALUE = 2000
MAX_OPTION_VALUE = 150


def _at(where: str) -> str:
    return f"[json-pointer:{where}]"


def _text(obj: Any, limit: int, where: str, problems: list[str]) -> None:
    if obj is None:
        return
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
        problems.append(f"must be a text object {_at(where)}")
        return
    text = obj.get("text", "")
    if not text:
        problems.append(f"must be more than 0 characters {_at(where + '/text')}")
    if len(text) > limit:
        problems.append(f"must be less than {limit + 1} characters {_at(where + '/text')}")


def _id(value: Any, where: str, problems: list[str]) -> None:
    if value is not None and len(str(value)) > 255:
        problems.append(f"must be less than 256 characters {_at(where)}")


def _element(element: dict[str, Any], where: str, problems: list[str]) -> None:
    _id(element.get("action_id"), f"{where}/action_id", problems)
    if element.get("type") == "button":
        _text(element.get("text"), 75, f"{where}/text", problems)
        if len(element.get("value") or "") > MAX_BUTTON_VALUE:
            problems.append(
                f"must be less than {MAX_BUTTON_VALUE + 1} characters {_at(where + '/value')}"
            )
        if element.get("url") and len(element["url"]) > 3000:
            problems.append(f"must be less than 3001 characters {_at(where + '/url')}")
    _text(element.get("placeholder"), 150, f"{where}/placeholder", problems)
    if element.get("type") in ("external_select", "multi_external_select"):
        if "options" in element or "option_groups" in element:
            problems.append(f"options are not allowed in an external select {_at(where)}")
        min_query = element.get("min_query_length", 3)
        if not isinstance(min_query, int) or isinstance(min_query, bool) or min_query < 0:
            problems.append(f"must be a non-negative integer {_at(where + '/min_query_length')}")
    options = element.get("options") or []
    if len(options) > 100:
        problems.append(f"must provide no more than 100 items {_at(where + '/options')}")
    for i, option in enumerate(options):
        _text(option.get("text"), 75, f"{where}/options/{i}/text", problems)
        if len(option.get("value", "")) > MAX_OPTION_VALUE:
            problems.append(
                f"must be less than {MAX_OPTION_VALUE + 1} characters "
                f"{_at(f'{where}/options/{i}/value')}"
            )


def _unique_actions(elements: list[dict[str, Any]], where: str, problems: list[str]) -> None:
    seen: set[str] = set()
    for j, element in enumerate(elements):
        action_id = element.get("action_id")
        if action_id is None:
            continue
        if action_id in seen:
            problems.append(
                f'action_id "{action_id}" already exists {_at(f"{where}/elements/{j}/action_id")}'
            )
        seen.add(action_id)


def problems_in_blocks(blocks: list[dict[str, Any]], surface: str) -> list[str]:
    """What breaks Slack's limits in `blocks` shown on `surface` (message, modal, home)."""
    problems: list[str] = []
    if len(blocks) > MAX_BLOCKS[surface]:
        problems.append(f"must provide no more than {MAX_BLOCKS[surface]} items {_at('/blocks')}")
    block_ids: set[str] = set()
    for i, block in enumerate(blocks):
        kind = block.get("type")
        where = f"/blocks/{i}"
        if kind not in BLOCK_TYPES:
            problems.append(f"unknown block type {kind!r} {_at(where)}")
            continue
        block_id = block.get("block_id")
        _id(block_id, f"{where}/block_id", problems)
        if block_id is not None:
            if block_id in block_ids:
                problems.append(f'block_id "{block_id}" already exists {_at(where + "/block_id")}')
            block_ids.add(block_id)
        if kind == "section":
            if block.get("text") is None and not block.get("fields"):
                problems.append(f"must provide text or fields {_at(where)}")
            _text(block.get("text"), 3000, f"{where}/text", problems)
            fields = block.get("fields") or []
            if len(fields) > 10:
                problems.append(f"must provide no more than 10 items {_at(where + '/fields')}")
            for j, field in enumerate(fields):
                _text(field, 2000, f"{where}/fields/{j}", problems)
            if block.get("accessory"):
                _element(block["accessory"], f"{where}/accessory", problems)
        elif kind == "header":
            text = block.get("text") or {}
            if text.get("type") != "plain_text":
                problems.append(f"must be a plain_text object {_at(where + '/text')}")
            _text(text, 150, f"{where}/text", problems)
        elif kind == "context":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= 10:
                problems.append(f"must provide 1 to 10 items {_at(where + '/elements')}")
            for j, element in enumerate(elements):
                if element.get("type") in ("plain_text", "mrkdwn"):
                    _text(element, 3000, f"{where}/elements/{j}", problems)
        elif kind == "actions":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= 25:
                problems.append(f"must provide 1 to 25 items {_at(where + '/elements')}")
            for j, element in enumerate(elements):
                _element(element, f"{where}/elements/{j}", problems)
            _unique_actions(elements, where, problems)
        elif kind == "input":
            if surface == "message":
                problems.append(f"input blocks are not allowed in messages {_at(where)}")
            _text(block.get("label"), 2000, f"{where}/label", problems)
            _text(block.get("hint"), 2000, f"{where}/hint", problems)
            _element(block.get("element") or {}, f"{where}/element", problems)
    return problems


def problems_in_options(answer: dict[str, Any]) -> list[str]:
    """What Slack refuses in an app's answer to a `block_suggestion` (an external select's
    options): at most 100 options or option groups, each option as in a static select."""
    problems: list[str] = []
    options = answer.get("options")
    groups = answer.get("option_groups")
    if options is None and groups is None:
        return [f"must provide options or option_groups {_at('/options')}"]
    for key, items in (("options", options), ("option_groups", groups)):
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(f"must be an array {_at('/' + key)}")
            continue
        if len(items) > 100:
            problems.append(f"must provide no more than 100 items {_at('/' + key)}")
    _element({"options": options or []}, "", problems)
    for i, group in enumerate(groups or []):
        _text(group.get("label"), 75, f"/option_groups/{i}/label", problems)
        _element({"options": group.get("options") or []}, f"/option_groups/{i}", problems)
    return problems


def problems_in_view(view: dict[str, Any] | str) -> list[str]:
    """What breaks Slack's limits in a modal or Home view."""
    shown: dict[str, Any] = json.loads(view) if isinstance(view, str) else view
    surface = shown.get("type", "modal")
    if surface not in MAX_BLOCKS or surface == "message":
        return [f"unknown view type {surface!r} {_at('/view/type')}"]
    blocks = shown.get("blocks") or []
    problems = problems_in_blocks(blocks, surface)
    if len(shown.get("private_metadata") or "") > MAX_PRIVATE_METADATA:
        problems.append(
            f"must be less than {MAX_PRIVATE_METADATA + 1} characters "
            f"{_at('/view/private_metadata')}"
        )
    _id(shown.get("callback_id"), "/view/callback_id", problems)
    if surface == "modal":
        for key in ("title", "submit", "close"):
            _text(shown.get(key), 24, f"/view/{key}", problems)
        if shown.get("title") is None:
            problems.append(f"a modal needs a title {_at('/view/title')}")
        if shown.get("submit") is None and any(b.get("type") == "input" for b in blocks):
            problems.append(f"a modal with input blocks needs submit {_at('/view/submit')}")
    return problems


def assert_valid_view(view: dict[str, Any] | str) -> None:
    found = problems_in_view(view)
    assert not found, "\n".join(found)


def assert_valid_blocks(blocks: list[dict[str, Any]] | str | None, surface: str) -> None:
    if blocks is None:
        return
    listed: list[dict[str, Any]] = json.loads(blocks) if isinstance(blocks, str) else blocks
    found = problems_in_blocks(list(listed), surface)
    assert not found, "\n".join(found)
