"""Which slices of a survey's answers may be shown without exposing anyone. Pure functions.

A *slice* is a group of respondents whose answers are summarised together (the respondents
of one department). The rules:

1. a slice with fewer respondents than the minimum is suppressed;
2. when a total is shown, the suppressed slices together must not be recoverable by
   subtracting the shown slices from the total: while the suppressed slices add up to fewer
   than the minimum (in particular when only one is suppressed), the smallest shown slice is
   suppressed as well;
3. when the total itself is under the minimum, everything is suppressed.

After this, every shown slice has at least `minimum` respondents, and what subtraction can
reveal — the union of the suppressed slices — has at least `minimum` respondents too, so
no suppressed slice on its own can be worked out.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Generic, TypeVar

if TYPE_CHECKING:
    from storage.models import Project

K = TypeVar("K", bound=Hashable)

# The smallest group any result may describe; survey leaders' default is RECOMMENDED.
MIN_ANONYMITY: Final = 3
RECOMMENDED_ANONYMITY: Final = 5


def minimum_group(project: Project) -> int:
    """The fewest people a figure from answers or ratings may describe in `project`: its
    setting, never below the floor."""
    return max(project.anonymity_min, MIN_ANONYMITY)


@dataclass(frozen=True)
class Suppression(Generic[K]):
    total_hidden: bool
    hidden: frozenset[K]

    def shows(self, key: K) -> bool:
        return not self.total_hidden and key not in self.hidden


def suppress(slices: Mapping[K, int], minimum: int) -> Suppression[K]:
    """Decide which of `slices` (key → respondents; they partition the total) to hide.

    Slices with no respondents are neither shown nor hidden: callers leave them out.
    Ties between equally small slices are broken by `repr` of the key, so the answer is
    deterministic.
    """
    present = {k: n for k, n in slices.items() if n > 0}
    total = sum(present.values())
    if total < minimum:
        return Suppression(True, frozenset(present))
    hidden = {k for k, n in present.items() if n < minimum}
    shown = sorted((k for k in present if k not in hidden), key=lambda k: (present[k], repr(k)))
    while hidden and sum(present[k] for k in hidden) < minimum and shown:
        hidden.add(shown.pop(0))
    return Suppression(False, frozenset(hidden))


def comments_shown(count: int, comment_minimum: int) -> bool:
    """Free-text answers are shown only when at least `comment_minimum` people wrote one."""
    return count >= comment_minimum
