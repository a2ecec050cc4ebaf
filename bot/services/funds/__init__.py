"""Fund use against budget lines, funding sources and drawdowns, and the liquidity they give.

Every change keeps its running totals (`BudgetLine.spent`, `FundingSource.drawn`, the daily
totals in `fund_days`) in the same transaction as the row it writes, under a row lock, so a
summary costs one row per budget line and funding source whatever the number of entries.

The package: `forms` (the modals' fields), `status` (what callers get back), `access`
(who may, the project's dates, shared field checks), `entries` (recording and voiding fund
use), `sources` (funding sources, drawdowns, the runway alert), `summary` (reading).
Everything public is importable from `bot.services.funds`.
"""

from bot.forms import check_amount
from bot.periods import project_today
from bot.services.funds.access import (
    check_text,
    locked_entry,
    locked_line,
    managed_project,
    managers,
    member_project,
    project_began,
    require_manager,
    require_member,
)
from bot.services.funds.entries import (
    crossed_alerts,
    record_entry,
    void_entry,
)
from bot.services.funds.forms import (
    DrawdownField,
    FundField,
    SourceField,
)
from bot.services.funds.sources import (
    check_runway,
    rearm_runway_alert,
    record_drawdown,
    save_source,
)
from bot.services.funds.status import (
    BURN_WEEKS,
    CENT,
    BudgetUsed,
    Entries,
    EntryRow,
    LineAlert,
    LineStatus,
    Liquidity,
    NeedsReason,
    Outcome,
    SourceStatus,
    Summary,
    WeekUse,
    budget_used,
)
from bot.services.funds.summary import (
    entries_between,
    lines,
    lines_over,
    liquidity,
    summary,
    week_use,
)
from bot.services.projects import get_project as project_of  # handlers call it funds.project_of

__all__ = [
    "BURN_WEEKS",
    "CENT",
    "BudgetUsed",
    "DrawdownField",
    "Entries",
    "EntryRow",
    "FundField",
    "LineAlert",
    "LineStatus",
    "Liquidity",
    "NeedsReason",
    "Outcome",
    "SourceField",
    "SourceStatus",
    "Summary",
    "WeekUse",
    "budget_used",
    "check_amount",
    "check_runway",
    "check_text",
    "crossed_alerts",
    "entries_between",
    "lines",
    "lines_over",
    "liquidity",
    "locked_entry",
    "locked_line",
    "managed_project",
    "managers",
    "member_project",
    "project_began",
    "project_of",
    "project_today",
    "rearm_runway_alert",
    "record_drawdown",
    "record_entry",
    "require_manager",
    "require_member",
    "save_source",
    "summary",
    "void_entry",
    "week_use",
]
