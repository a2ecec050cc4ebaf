"""The monthly department scorecard: the project's weights and the stored monthly snapshots.

A snapshot is written once per (project, month) and read back unchanged afterwards, so the
history a PM compares against does not move when late data arrives.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IndexedProjectRef, ProjectKey, ProjectRef
from storage.types import Hundredths, UTCDateTime


class ScorecardWeights(Base):
    """A project's weights of the five components (0–10 each); no row: all equal."""

    __tablename__ = "scorecard_weights"

    project_id: Mapped[ProjectKey]
    satisfaction: Mapped[int] = mapped_column(Integer, default=1)
    nps: Mapped[int] = mapped_column(Integer, default=1)
    timeliness: Mapped[int] = mapped_column(Integer, default=1)
    responsiveness: Mapped[int] = mapped_column(Integer, default=1)
    acknowledgement: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ScorecardMonth(Base):
    """One stored month of a project's scorecard: the weights used, when it was computed,
    and when it was posted to the command channel (the monthly job posts it once)."""

    __tablename__ = "scorecard_months"
    __table_args__ = (UniqueConstraint("project_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[ProjectRef]
    month: Mapped[dt.date] = mapped_column(Date)  # the first day of the month
    weights: Mapped[dict[str, int]] = mapped_column(JSON)
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    computed_by: Mapped[str] = mapped_column(String(32))  # a Slack user id or "system"
    posted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ScorecardEntry(Base):
    """One department's line of a stored month: every component's score (None: no data),
    the raw inputs behind them, the composite, rank and change vs the month before."""

    __tablename__ = "scorecard_entries"
    __table_args__ = (UniqueConstraint("project_id", "month", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[IndexedProjectRef]
    month: Mapped[dt.date] = mapped_column(Date)
    # No foreign key: the history outlives a department that is later removed.
    department_id: Mapped[int] = mapped_column(Integer)
    department_name: Mapped[str] = mapped_column(String(100))

    satisfaction: Mapped[Decimal | None] = mapped_column(Hundredths)
    nps: Mapped[Decimal | None] = mapped_column(Hundredths)
    timeliness: Mapped[Decimal | None] = mapped_column(Hundredths)
    responsiveness: Mapped[Decimal | None] = mapped_column(Hundredths)
    acknowledgement: Mapped[Decimal | None] = mapped_column(Hundredths)
    composite: Mapped[Decimal | None] = mapped_column(Hundredths)
    rank: Mapped[int | None] = mapped_column(Integer)
    change: Mapped[Decimal | None] = mapped_column(Hundredths)

    # raw inputs, as measured when the month was computed
    feedback_count: Mapped[int] = mapped_column(Integer, default=0)
    feedback_mean: Mapped[Decimal | None] = mapped_column(Hundredths)
    feedback_acknowledged: Mapped[int] = mapped_column(Integer, default=0)
    survey_csat: Mapped[Decimal | None] = mapped_column(Hundredths)  # % of 4–5 ratings
    survey_csat_respondents: Mapped[int] = mapped_column(Integer, default=0)
    survey_nps: Mapped[Decimal | None] = mapped_column(Hundredths)  # −100…100
    survey_nps_respondents: Mapped[int] = mapped_column(Integer, default=0)
    reports_due: Mapped[int] = mapped_column(Integer, default=0)
    reports_on_time: Mapped[int] = mapped_column(Integer, default=0)
    ack_median_hours: Mapped[Decimal | None] = mapped_column(Hundredths)
