"""The Block Kit validator lives with the Slack stand-in, which enforces it on every call;
re-exported here so tests keep importing `tests.blockkit`."""

from bot.sandbox.blockkit import (
    BLOCK_TYPES,
    MAX_BLOCKS,
    assert_valid_blocks,
    assert_valid_view,
    problems_in_blocks,
    problems_in_view,
)

__all__ = [
    "BLOCK_TYPES",
    "MAX_BLOCKS",
    "assert_valid_blocks",
    "assert_valid_view",
    "problems_in_blocks",
    "problems_in_view",
]
