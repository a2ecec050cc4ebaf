"""`handlers.errors.first_input`: the block a form's error goes on when nothing else is
named (the kit's refusals and the lock timeout share it)."""

from __future__ import annotations

from handlers.errors import first_input


def test_the_first_input_block_past_other_blocks() -> None:
    view = {
        "blocks": [
            {"type": "section", "block_id": "intro"},
            {"type": "input", "block_id": "title"},
            {"type": "input", "block_id": "description"},
        ]
    }
    assert first_input(view) == "title"


def test_without_input_blocks_the_first_submitted_value() -> None:
    view = {"blocks": [{"type": "section"}], "state": {"values": {"reason": {}, "other": {}}}}
    assert first_input(view) == "reason"


def test_nothing_to_name() -> None:
    assert first_input({}) is None
