"""JSON too long to ride in a button `value` or a view's `private_metadata`, kept here and
carried by a short id instead (Slack refuses longer values; JSON is never truncated)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import UTCDateTime


class Payload(Base):
    __tablename__ = "payloads"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, unguessable
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
