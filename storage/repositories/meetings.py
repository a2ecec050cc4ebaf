"""Weekly meetings, their agenda items and RSVPs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from storage.models import AgendaItem, Meeting, MeetingRsvp
from storage.repositories.base import Repository


class MeetingRepository(Repository):
    def add(self, row: Meeting | MeetingRsvp | AgendaItem) -> None:
        self.session.add(row)

    def get(self, meeting_id: int) -> Meeting | None:
        return self.session.get(Meeting, meeting_id)

    def on(self, project_id: int, date: dt.date) -> Meeting | None:
        return self.session.scalar(
            select(Meeting).where(Meeting.project_id == project_id, Meeting.date == date)
        )

    def items(self, meeting_id: int) -> list[AgendaItem]:
        return list(
            self.session.scalars(
                select(AgendaItem)
                .where(AgendaItem.meeting_id == meeting_id)
                .order_by(AgendaItem.id)
            ).all()
        )

    def before(self, project_id: int, starts_at: dt.datetime) -> Meeting | None:
        """The project's latest meeting starting before `starts_at`."""
        return self.session.scalar(
            select(Meeting)
            .where(Meeting.project_id == project_id, Meeting.starts_at < starts_at)
            .order_by(Meeting.starts_at.desc())
            .limit(1)
        )

    def items_added(
        self, project_id: int, since: dt.datetime | None, until: dt.datetime
    ) -> list[AgendaItem]:
        """Items added to any of the project's meetings in [since, until), oldest first."""
        query = (
            select(AgendaItem)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .where(Meeting.project_id == project_id, AgendaItem.added_at < until)
        )
        if since is not None:
            query = query.where(AgendaItem.added_at >= since)
        return list(self.session.scalars(query.order_by(AgendaItem.added_at, AgendaItem.id)))

    def rsvps(self, meeting_id: int) -> list[MeetingRsvp]:
        return list(
            self.session.scalars(
                select(MeetingRsvp)
                .where(MeetingRsvp.meeting_id == meeting_id)
                .order_by(MeetingRsvp.at, MeetingRsvp.user_id)
            ).all()
        )

    def rsvp(self, meeting_id: int, user_id: str) -> MeetingRsvp | None:
        return self.session.get(MeetingRsvp, (meeting_id, user_id))
