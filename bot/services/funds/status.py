"""What fund callers get back: lines and sources with their running totals, liquidity, outcomes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from bot.errors import UserError
from bot.i18n import Msg
from bot.services.fund_checks import Finding
from bot.services.fund_policy import LineLevel, Role
from bot.services.thresholds import flag_level
from storage.models import BudgetLine

BURN_WEEKS: Final = 4


CENT: Final = Decimal("0.01")


class _Spending:
    """What a budget line, or all of them, has left of what was allocated.

    `allocated` is the original allocation; `changes` the approved change orders (net),
    `revised` their sum. `pending` is fund use waiting for approval, `pending_changes` change
    orders waiting (net). Spent counts approved (posted) entries only."""

    if TYPE_CHECKING:  # fields of a line, properties of the sum

        @property
        def allocated(self) -> Decimal: ...

        @property
        def spent(self) -> Decimal: ...

        @property
        def pending(self) -> Decimal: ...

        @property
        def changes(self) -> Decimal: ...

        @property
        def pending_changes(self) -> Decimal: ...

    @property
    def revised(self) -> Decimal:
        """Original allocation + approved changes."""
        return self.allocated + self.changes

    @property
    def variance(self) -> Decimal:
        """Revised − spent: what is left (negative when over budget)."""
        return self.revised - self.spent

    @property
    def ratio(self) -> Decimal | None:
        """Spent / revised, or None with nothing allocated."""
        return self.spent / self.revised if self.revised > 0 else None

    @property
    def alert_level(self) -> int:
        """The alert threshold (0, 90 or 100 %) spent has reached of the revised figure."""
        return flag_level(self.spent, self.revised)

    @property
    def projected(self) -> Decimal:
        """Spent + pending entries: the use if everything waiting is approved."""
        return self.spent + self.pending

    @property
    def projected_allocation(self) -> Decimal:
        """Revised + pending changes: the allocation if every change waiting is approved."""
        return self.revised + self.pending_changes

    @property
    def projected_remaining(self) -> Decimal:
        return self.projected_allocation - self.projected


@dataclass(frozen=True)
class LineStatus(_Spending):
    id: int
    name: str
    category: str
    department_id: int | None
    allocated: Decimal
    spent: Decimal
    pending: Decimal = Decimal(0)
    changes: Decimal = Decimal(0)
    pending_changes: Decimal = Decimal(0)
    closed: bool = False
    department: str | None = None  # the department's name, where the caller looked it up

    @property
    def ratio_of_allocated(self) -> Decimal | None:
        """Spent / the original allocation (the budget list, where allocations are set)."""
        return self.spent / self.allocated if self.allocated else None

    @classmethod
    def of(cls, line: BudgetLine, department: str | None = None) -> LineStatus:
        return cls(
            line.id,
            line.name,
            line.category,
            line.department_id,
            line.allocated,
            line.spent,
            line.pending or Decimal(0),
            line.changes or Decimal(0),
            line.pending_changes or Decimal(0),
            bool(line.closed),
            department,
        )


@dataclass(frozen=True)
class SourceStatus:
    id: int
    name: str
    kind: str
    committed: Decimal
    drawn: Decimal

    @property
    def undrawn(self) -> Decimal:
        return self.committed - self.drawn


@dataclass(frozen=True)
class Liquidity:
    """The project's cash position. `runway_weeks` is None when nothing was spent in the last
    four weeks (no burn, so no runway limit); it is 0 when cash on hand is not positive."""

    sources: list[SourceStatus]
    spent: Decimal
    burn_4w: Decimal
    threshold_weeks: int

    @property
    def committed(self) -> Decimal:
        return sum((s.committed for s in self.sources), Decimal(0))

    @property
    def drawn(self) -> Decimal:
        return sum((s.drawn for s in self.sources), Decimal(0))

    @property
    def undrawn(self) -> Decimal:
        return self.committed - self.drawn

    @property
    def cash(self) -> Decimal:
        return self.drawn - self.spent

    @property
    def weekly_burn(self) -> Decimal:
        return (self.burn_4w / BURN_WEEKS).quantize(CENT)

    @property
    def runway_weeks(self) -> Decimal | None:
        if self.cash <= 0:
            return Decimal(0)
        if self.burn_4w <= 0:
            return None
        return (self.cash * BURN_WEEKS / self.burn_4w).quantize(Decimal("0.1"))

    @property
    def below_threshold(self) -> bool:
        """Runway under the project's threshold; never when no funding source is set up."""
        runway = self.runway_weeks
        return bool(self.sources) and runway is not None and runway < self.threshold_weeks


class _Total:
    """A figure of `LineTotals`: the sum of the lines' figure of the same name."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.figure = name

    def __get__(self, totals: LineTotals, owner: type | None = None) -> Decimal:
        return sum((getattr(line, self.figure) for line in totals.lines), Decimal(0))


class LineTotals:
    """The sums over `lines` of a line's figures (the fund summary, the budget list)."""

    if TYPE_CHECKING:  # a field of the dataclasses that use it

        @property
        def lines(self) -> Sequence[LineStatus]: ...

    allocated = _Total()
    spent = _Total()
    pending = _Total()
    changes = _Total()
    pending_changes = _Total()


@dataclass(frozen=True)
class Lines(LineTotals, _Spending):
    """Budget lines with the sums of their figures, and what the sums give (`revised`, …)."""

    lines: list[LineStatus]

    def revised_budget(self, total_budget: Decimal) -> Decimal:
        """A project's `total_budget` following the approved changes (transfers net out)."""
        return total_budget + self.changes


@dataclass(frozen=True)
class Summary(Lines):
    liquidity: Liquidity
    total_budget: Decimal  # the project's total budget, beside the sum of the lines

    @property
    def revised_total(self) -> Decimal:
        return self.revised_budget(self.total_budget)


@dataclass(frozen=True)
class BudgetUsed:
    """How much of the budget is used, against both bases, so every surface shows (and
    names) the same two figures: None where the base is zero."""

    of_total: Decimal | None  # spent / the project's total budget
    of_allocated: Decimal | None  # spent / what the budget lines allocate


def budget_used(spent: Decimal, *, total_budget: Decimal, allocated: Decimal) -> BudgetUsed:
    return BudgetUsed(
        of_total=spent / total_budget if total_budget > 0 else None,
        of_allocated=spent / allocated if allocated > 0 else None,
    )


@dataclass(frozen=True)
class LineAlert:
    """A budget line crossed `percent` % of its allocation."""

    line_name: str
    percent: int
    spent: Decimal
    allocated: Decimal


@dataclass(frozen=True)
class Outcome:
    """What a change did and what the command channel should be told."""

    id: int
    amount: Decimal
    label: str  # the budget line's or funding source's name
    line_alerts: list[LineAlert] = field(default_factory=list)
    runway_alert: Liquidity | None = None
    # Fund use waiting for approval: the role it waits for and who was asked.
    pending_role: Role | None = None
    approvers: list[str] = field(default_factory=list)
    # The line after the entry, and the tolerance level it reached (a warning to show).
    line: LineStatus | None = None
    level: LineLevel = LineLevel.OK
    findings: list[Finding] = field(default_factory=list)


class NeedsReason(UserError):
    """The checks at entry found something the reporter must confirm with a reason; nothing
    was saved. `errors` says, per modal field, what was found."""

    def __init__(self, findings: list[Finding], errors: dict[str, Msg]) -> None:
        super().__init__(next(iter(errors.values())))
        self.findings = findings
        self.errors = errors


@dataclass(frozen=True)
class EntryRow:
    id: int
    spent_on: dt.date
    amount: Decimal
    line_name: str
    department_id: int | None
    purpose: str
    reference: str
    reporter: str


@dataclass(frozen=True)
class Entries:
    entries: list[EntryRow]
    total: Decimal


@dataclass(frozen=True)
class WeekUse:
    this_week: Decimal
    to_date: Decimal
    allocated: Decimal  # revised: original + approved changes
    total_budget: Decimal  # the project's, following approved changes
    pending: Decimal = Decimal(0)  # waiting for approval, not in `to_date`
