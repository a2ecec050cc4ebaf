"""Planning the fund tables: funding sources, drawdowns and fund-use history."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from bot.i18n import Amount, _
from bot.imports.parse import Record
from bot.imports.schema import Table
from bot.services.budget import rebased_alerts
from bot.services.funds.sources import new_source
from bot.services.imports.plan import PlannerBase, Repeats, name_key
from storage.models import BudgetLine, FundingSource


class FundTables(PlannerBase):
    def sources_table(self) -> None:
        records, counts = self.rows(Table.SOURCES, unique="name")
        for record in records:
            v = record.values
            if not v["name"] or not v["kind"] or v["committed"] is None:
                continue
            existing = self.sources.get(name_key(v["name"]))
            if existing is None:
                counts.create += 1
                source = new_source(
                    self.project, v["name"], v["kind"], v["committed"], now=self.uow.now()
                )
                self.new_sources[name_key(v["name"])] = source
                self.plan._steps.append(functools.partial(self.uow.funds.add_source, source))
                continue
            if existing.drawn > v["committed"]:
                self.problem(
                    record,
                    Table.SOURCES,
                    "committed",
                    _(
                        "{drawn} is already drawn from this source; the commitment cannot be less.",
                        drawn=Amount(existing.drawn, self.project.currency),
                    ),
                )
                continue
            if (existing.kind, existing.committed) == (v["kind"], v["committed"]):
                counts.unchanged += 1
                continue
            counts.update += 1

            def update(
                s: FundingSource = existing,
                kind: str = v["kind"],
                committed: Decimal = v["committed"],
            ) -> None:
                s.kind, s.committed = kind, committed

            self.plan._steps.append(update)

    def drawdowns_table(self, user_id: str) -> None:
        records, counts = self.rows(Table.DRAWDOWNS)
        if not records:
            return
        repeats = Repeats(self.uow.funds.drawdown_keys(self.project.id))
        added: dict[str, Decimal] = defaultdict(Decimal)
        new: list[tuple[FundingSource, Record]] = []
        for record in records:
            v = record.values
            if not v["source"] or v["amount"] is None or v["date"] is None:
                continue
            key = name_key(v["source"])
            source = self.sources.get(key) or self.new_sources.get(key)
            if source is None:
                self.problem(
                    record,
                    Table.DRAWDOWNS,
                    "source",
                    _(
                        "There is no funding source “{name}” in the project or the file.",
                        name=v["source"],
                    ),
                )
                continue
            ident = (source.id, v["date"], v["amount"], v["reference"] or "")
            if repeats.already_there(ident) and source.id is not None:
                counts.unchanged += 1
                continue
            committed = self._committed(key, source)
            added[key] += v["amount"]
            if source.drawn + added[key] > committed:
                self.problem(
                    record,
                    Table.DRAWDOWNS,
                    "amount",
                    _(
                        "The drawdowns exceed what is committed from “{name}”.",
                        name=source.name,
                    ),
                )
                continue
            counts.create += 1
            new.append((source, record))
        if new:
            self.plan._steps.append(self._add_drawdowns(new, user_id))

    def _committed(self, key: str, source: FundingSource) -> Decimal:
        """The commitment after this import (a sources sheet may change it)."""
        for record in self.records(Table.SOURCES):
            if (
                record.values["name"]
                and name_key(record.values["name"]) == key
                and record.values["committed"] is not None
            ):
                return Decimal(record.values["committed"])
        return source.committed

    def _add_drawdowns(
        self, new: list[tuple[FundingSource, Record]], user_id: str
    ) -> Callable[[], None]:
        def step() -> None:
            self.uow.flush()
            rows = []
            for source, record in new:
                v = record.values
                rows.append(
                    dict(
                        project_id=self.project.id,
                        source_id=source.id,
                        amount=v["amount"],
                        drawn_on=v["date"],
                        reference=v["reference"] or "",
                        recorded_by=user_id,
                        created_at=self.uow.now(),
                    )
                )
                source.drawn = source.drawn + v["amount"]
            self.uow.funds.insert_drawdowns(rows)

        return step

    def history_table(self, user_id: str, now: dt.datetime) -> None:
        records, counts = self.rows(Table.HISTORY)
        if not records:
            return
        repeats = Repeats(self.uow.funds.entry_keys(self.project.id))
        new: list[tuple[str, Record, str]] = []
        for record in records:
            v = record.values
            if (
                not v["line"]
                or v["amount"] is None
                or v["date"] is None
                or not v["purpose"]
                or not v["reference"]
            ):
                continue
            key = name_key(v["line"])
            line = self.lines.get(key)
            if line is None and key not in self.new_lines:
                self.problem(
                    record,
                    Table.HISTORY,
                    "line",
                    _(
                        "There is no budget line “{name}” in the project or the file.",
                        name=v["line"],
                    ),
                )
                continue
            reporter = (
                self.user(record, Table.HISTORY, "reporter", v["reporter"])
                if v["reporter"]
                else user_id
            )
            if reporter is None:
                continue
            line_id = line.id if line is not None else None
            ident = (line_id, v["date"], v["amount"], v["reference"])
            if repeats.already_there(ident) and line_id is not None:
                counts.unchanged += 1
                continue
            counts.create += 1
            new.append((key, record, reporter))
        if new:
            self.plan._steps.append(self._add_history(new, now))

    def _add_history(
        self, new: list[tuple[str, Record, str]], now: dt.datetime
    ) -> Callable[[], None]:
        def step() -> None:
            self.uow.flush()
            days: dict[dt.date, Decimal] = defaultdict(Decimal)
            touched: dict[int, BudgetLine] = {}
            batch: list[dict[str, Any]] = []
            for key, record, reporter in new:
                line, v = self.lines[key], record.values
                batch.append(
                    dict(
                        project_id=self.project.id,
                        budget_line_id=line.id,
                        amount=v["amount"],
                        spent_on=v["date"],
                        purpose=v["purpose"],
                        reference=v["reference"],
                        reporter=reporter,
                        created_at=now,
                    )
                )
                line.spent = line.spent + v["amount"]
                days[v["date"]] += v["amount"]
                touched[line.id] = line
                if len(batch) >= 5000:
                    self.uow.funds.insert_entries(batch)
                    batch = []
            if batch:
                self.uow.funds.insert_entries(batch)
            for day, amount in days.items():
                self.uow.funds.add_to_day(self.project.id, day, amount)
            # Opening history is not news: the 90 % / 100 % alerts start from where it ends.
            for line in touched.values():
                line.alerted_percent = max(line.alerted_percent, rebased_alerts(line))

        return step
