"""`/funds`: fund use against budget lines, funding sources, drawdowns, liquidity."""
