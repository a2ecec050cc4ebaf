"""The budget alert thresholds: when a line has used 90 % or all of its allocation.

One rule for the alerts at entry, the running `alerted_percent`, the agenda, Home and the
flags the renderers draw. Pure; the caller chooses the allocation it measures against
(the revised figure for alerts, see `bot/services/funds`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

WARN_PERCENT: Final = 90
FULL_PERCENT: Final = 100
THRESHOLDS: Final = (WARN_PERCENT, FULL_PERCENT)  # ascending


def reaches(spent: Decimal, allocated: Decimal, percent: int) -> bool:
    """True when `spent` (some use) is at least `percent` % of `allocated`; any use of
    nothing allocated reaches every threshold."""
    return spent > 0 and spent * 100 >= allocated * percent


def crossed_threshold(spent: Decimal, allocated: Decimal) -> int:
    """The highest alert threshold (0, 90 or 100 %) that `spent` has reached of `allocated`."""
    return max((t for t in THRESHOLDS if reaches(spent, allocated, t)), default=0)


def flag_level(spent: Decimal, allocated: Decimal) -> int:
    """The threshold a renderer flags (0, 90 or 100): as `crossed_threshold`, but a line
    with nothing allocated has no percentage and is not flagged."""
    return crossed_threshold(spent, allocated) if allocated > 0 else 0
