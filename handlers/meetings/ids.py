"""Action and callback ids of the meeting reminder."""

from __future__ import annotations

from enum import StrEnum

from storage.models import Rsvp


class Action(StrEnum):
    RSVP_GOING = "meeting_rsvp_going"
    RSVP_NOT_GOING = "meeting_rsvp_not_going"
    RSVP_MAYBE = "meeting_rsvp_maybe"
    ADD_ITEM = "meeting_add_item"


class View(StrEnum):
    ADD_ITEM = "meeting_add_item"


RSVP_OF: dict[str, Rsvp] = {
    Action.RSVP_GOING: Rsvp.GOING,
    Action.RSVP_NOT_GOING: Rsvp.NOT_GOING,
    Action.RSVP_MAYBE: Rsvp.MAYBE,
}
