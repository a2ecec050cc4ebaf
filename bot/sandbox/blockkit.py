"""Slack's Block Kit rules, as the stand-in enforces them on every call (and tests assert).

The limits are Slack's (docs.slack.dev, Block Kit reference): a message holds 50 blocks, a
modal or Home tab 100; `block_id` is unique within a message or view, `action_id` among the
elements of one block; section text 3,000 characters, up to 10 fields of 2,000; a header's
plain text 150; context up to 10 elements; actions up to 25 elements; button text 75 and
value 2,000; a static select up to 100 options, option text 75 and value 150; block and
action ids 255; a modal's title, submit and close 24, and a modal with input blocks needs a
submit; private_metadata 3,000; input labels 2,000 and placeholders 150.

Charts and tables (`data_visualization`, 2026-06; `data_table`, 2026-05) are message blocks:
at most two charts per message, a title of at most 50 characters, a pie of 1–6 segments, a
bar / area / line of 1–6 uniquely named series over the axis categories (labels of at most
20 characters, at most 20 points); a data table of a header plus 1–100 rows of 1–20 equal
columns, 10,000 characters across its cells (and across every table of the message).

Each problem reads like Slack's own: a reason and a `[json-pointer:/blocks/…]`.
"""

from __future__ import annotations

import json
from collections.abc import Sized
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
    "data_visualization",
    "data_table",
}
MESSAGE_ONLY = {"data_visualization", "data_table"}
MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}
MAX_PRIVATE_METADATA = 3000
MAX_BUTTON_VALUE = 2000
MAX_OPTION_VALUE = 150


def _at(where: str) -> str:
    return f"[json-pointer:{where}]"


def _at_most(items: Sized, most: int, where: str, problems: list[str]) -> None:
    """Slack's refusal of a list (at `where`) longer than `most`."""
    if len(items) > most:
        problems.append(f"must provide no more than {most} items {_at(where)}")


def _elements(block: dict[str, Any], most: int, where: str, problems: list[str]) -> list[Any]:
    """A context or actions block's elements; a problem unless there are 1 to `most`."""
    elements: list[Any] = block.get("elements") or []
    if not 1 <= len(elements) <= most:
        problems.append(f"must provide 1 to {most} items {_at(where + '/elements')}")
    return elements


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
    _at_most(options, 100, f"{where}/options", problems)
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


CHART_TYPES = {"pie", "bar", "area", "line"}
MAX_CHARTS = 2
MAX_CHART_TITLE = 50
MAX_SEGMENTS = 6
MAX_SERIES = 6
MAX_POINTS = 20
MAX_CHART_LABEL = 20
MAX_AXIS_LABEL = 50
MAX_TABLE_ROWS = 101  # the header and 100 rows
MAX_TABLE_COLUMNS = 20
MAX_TABLE_CHARACTERS = 10_000


def _label(value: Any, limit: int, where: str, problems: list[str]) -> None:
    if not isinstance(value, str) or not value:
        problems.append(f"must be a non-empty string {_at(where)}")
    elif len(value) > limit:
        problems.append(f"must be less than {limit + 1} characters {_at(where)}")


def _number(value: Any, where: str, problems: list[str], *, positive: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        problems.append(f"must be a number {_at(where)}")
    elif value in (float("inf"), float("-inf")):
        problems.append(f"must be a finite number {_at(where)}")
    elif positive and value < 0:
        problems.append(f"must not be negative {_at(where)}")


def _count(items: Any, low: int, high: int, where: str, problems: list[str]) -> list[Any]:
    if not isinstance(items, list):
        problems.append(f"must be an array {_at(where)}")
        return []
    if not low <= len(items) <= high:
        problems.append(f"must provide {low} to {high} items {_at(where)}")
    return items


def _chart(chart: Any, where: str, problems: list[str]) -> None:
    if not isinstance(chart, dict) or chart.get("type") not in CHART_TYPES:
        kind = chart.get("type") if isinstance(chart, dict) else None
        problems.append(f"unknown chart type {kind!r} {_at(where + '/type')}")
        return
    if chart["type"] == "pie":
        segments = _count(chart.get("segments"), 1, MAX_SEGMENTS, f"{where}/segments", problems)
        for i, segment in enumerate(segments):
            at = f"{where}/segments/{i}"
            _label(segment.get("label"), MAX_CHART_LABEL, f"{at}/label", problems)
            _number(segment.get("value"), f"{at}/value", problems, positive=True)
        return
    axis = chart.get("axis_config")
    if not isinstance(axis, dict):
        problems.append(f"must provide axis_config {_at(where + '/axis_config')}")
        axis = {}
    categories = _count(
        axis.get("categories"), 1, MAX_POINTS, f"{where}/axis_config/categories", problems
    )
    for i, category in enumerate(categories):
        _label(category, MAX_CHART_LABEL, f"{where}/axis_config/categories/{i}", problems)
    for key in ("x_label", "y_label"):
        if axis.get(key) is not None:
            _label(axis[key], MAX_AXIS_LABEL, f"{where}/axis_config/{key}", problems)
    names: set[str] = set()
    series = _count(chart.get("series"), 1, MAX_SERIES, f"{where}/series", problems)
    for i, one in enumerate(series):
        at = f"{where}/series/{i}"
        name = one.get("name")
        _label(name, MAX_CHART_LABEL, f"{at}/name", problems)
        if name in names:
            problems.append(f'series name "{name}" already exists {_at(at + "/name")}')
        names.add(name)
        for j, point in enumerate(_count(one.get("data"), 1, MAX_POINTS, f"{at}/data", problems)):
            _label(point.get("label"), MAX_CHART_LABEL, f"{at}/data/{j}/label", problems)
            if point.get("label") not in categories:
                problems.append(
                    f"label must be one of axis_config.categories {_at(f'{at}/data/{j}/label')}"
                )
            _number(point.get("value"), f"{at}/data/{j}/value", problems)


def _cell_characters(cell: Any, where: str, header: bool, problems: list[str]) -> int:
    kind = cell.get("type") if isinstance(cell, dict) else None
    if kind == "raw_text":
        text = cell.get("text")
        _label(text, MAX_TABLE_CHARACTERS, f"{where}/text", problems)
        return len(text) if isinstance(text, str) else 0
    if kind == "raw_number":
        _number(cell.get("value"), f"{where}/value", problems)
        text = cell.get("text")
        _label(text, MAX_TABLE_CHARACTERS, f"{where}/text", problems)
        return len(text) if isinstance(text, str) else 0
    if kind == "rich_text":
        if header:
            problems.append(f"rich_text cannot be used in the header row {_at(where)}")
        return len(json.dumps(cell.get("elements", []), ensure_ascii=False))
    problems.append(f"a cell must be raw_text, raw_number or rich_text {_at(where)}")
    return 0


def _table(block: dict[str, Any], where: str, problems: list[str]) -> int:
    """Checks a data_table; returns the characters across its cells."""
    caption = block.get("caption")
    if not isinstance(caption, str) or not caption:
        problems.append(f"must provide a caption {_at(where + '/caption')}")
    rows = _count(block.get("rows"), 2, MAX_TABLE_ROWS, f"{where}/rows", problems)
    width = len(rows[0]) if rows and isinstance(rows[0], list) else 0
    if rows and not 1 <= width <= MAX_TABLE_COLUMNS:
        problems.append(f"must provide 1 to {MAX_TABLE_COLUMNS} items {_at(where + '/rows/0')}")
    characters = 0
    for i, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != width:
            problems.append(f"every row must have {width} cells {_at(f'{where}/rows/{i}')}")
            continue
        for j, cell in enumerate(row):
            characters += _cell_characters(cell, f"{where}/rows/{i}/{j}", i == 0, problems)
    if characters > MAX_TABLE_CHARACTERS:
        problems.append(
            f"the cells hold more than {MAX_TABLE_CHARACTERS} characters {_at(where + '/rows')}"
        )
    page_size = block.get("page_size")
    if page_size is not None and (
        not isinstance(page_size, int) or isinstance(page_size, bool) or not 1 <= page_size <= 100
    ):
        problems.append(f"must be between 1 and 100 {_at(where + '/page_size')}")
    header = block.get("row_header_column_index")
    if header is not None and (
        not isinstance(header, int) or isinstance(header, bool) or not 0 <= header < max(width, 1)
    ):
        problems.append(f"must be a column index {_at(where + '/row_header_column_index')}")
    return characters


def _data_blocks(blocks: list[dict[str, Any]], surface: str, problems: list[str]) -> None:
    """The chart and table rules that look at the whole message."""
    charts = 0
    characters = 0
    for i, block in enumerate(blocks):
        kind = block.get("type")
        where = f"/blocks/{i}"
        if kind not in MESSAGE_ONLY:
            continue
        if surface != "message":
            problems.append(f"{kind} blocks are only allowed in messages {_at(where)}")
        if kind == "data_visualization":
            charts += 1
            if charts == MAX_CHARTS + 1:
                problems.append(
                    f"a message holds at most {MAX_CHARTS} data_visualization blocks {_at(where)}"
                )
            _label(block.get("title"), MAX_CHART_TITLE, f"{where}/title", problems)
            _chart(block.get("chart"), f"{where}/chart", problems)
        else:
            characters += _table(block, where, problems)
    if characters > MAX_TABLE_CHARACTERS:
        problems.append(
            f"the tables of a message hold more than {MAX_TABLE_CHARACTERS} characters "
            f"{_at('/blocks')}"
        )


def problems_in_blocks(blocks: list[dict[str, Any]], surface: str) -> list[str]:
    """What breaks Slack's limits in `blocks` shown on `surface` (message, modal, home)."""
    problems: list[str] = []
    _at_most(blocks, MAX_BLOCKS[surface], "/blocks", problems)
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
            _at_most(fields, 10, f"{where}/fields", problems)
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
            for j, element in enumerate(_elements(block, 10, where, problems)):
                if element.get("type") in ("plain_text", "mrkdwn"):
                    _text(element, 3000, f"{where}/elements/{j}", problems)
        elif kind == "actions":
            elements = _elements(block, 25, where, problems)
            for j, element in enumerate(elements):
                _element(element, f"{where}/elements/{j}", problems)
            _unique_actions(elements, where, problems)
        elif kind == "input":
            if surface == "message":
                problems.append(f"input blocks are not allowed in messages {_at(where)}")
            _text(block.get("label"), 2000, f"{where}/label", problems)
            _text(block.get("hint"), 2000, f"{where}/hint", problems)
            _element(block.get("element") or {}, f"{where}/element", problems)
    _data_blocks(blocks, surface, problems)
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
        _at_most(items, 100, f"/{key}", problems)
    if problems:
        return problems
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
