"""The monthly department scorecard (月度评估): gather each department's month, score it with
`bot.scoring` (the only place of that arithmetic) and keep the result as a snapshot.

What callers may rely on:
- a month is stored once, when it is over (project time), as one `ScorecardMonth` row and one
  `ScorecardEntry` per department; reading it again returns the stored numbers unchanged, so
  history does not shift when late data arrives. Only a PM's explicit recompute replaces it;
- a month in which no department has any data is not stored (there is nothing to compare);
- "change" is against the stored composite of the month before (none when that month was
  never stored);
- a month not over yet can be looked at provisionally: computed the same way, never stored.

The package: `values` (what callers get back, constants), `months` (months in project
time), `weights`, `measuring` (a month's inputs and scores), `snapshots` (storing a month
once, reading it back, the trend, posting once). Everything public is importable from
`bot.services.scorecard`.
"""

from bot.services.scorecard.measuring import (
    measure,
    score_lines,
)
from bot.services.scorecard.months import (
    is_over,
    last_month,
    local_month,
    month_key,
    parse_month,
    previous_month,
)
from bot.services.scorecard.snapshots import (
    claim_post,
    compute_month,
    provisional,
    release_post,
    show,
    trend,
)
from bot.services.scorecard.values import (
    HISTORY_MONTHS,
    NEVER,
    Q2,
    SYSTEM,
    WEIGHT_MAX,
    Line,
    Measured,
    MonthNotOver,
    Scorecard,
    Trend,
    round2,
)
from bot.services.scorecard.weights import (
    set_weights,
    weights,
)

__all__ = [
    "HISTORY_MONTHS",
    "NEVER",
    "Q2",
    "SYSTEM",
    "WEIGHT_MAX",
    "Line",
    "Measured",
    "MonthNotOver",
    "Scorecard",
    "Trend",
    "claim_post",
    "compute_month",
    "is_over",
    "last_month",
    "local_month",
    "measure",
    "month_key",
    "parse_month",
    "previous_month",
    "provisional",
    "release_post",
    "round2",
    "score_lines",
    "set_weights",
    "show",
    "trend",
    "weights",
]
