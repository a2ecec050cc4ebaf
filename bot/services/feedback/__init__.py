"""Feedback between departments: give it, answer it, list it, and a month's ratings.

Anonymous feedback keeps nothing that names its author, anywhere: the feedback row has no
user id (the database refuses one), the audit log's actor is "anonymous" with nothing about
the author in before/after, and both times are cut to the start of the project-local day so
they cannot be matched against who was online when. Only the giver's department is kept.
And it is not written when given: it waits sealed until the project's daily release
(`release`), which inserts the day's anonymous feedback all at once, shuffled.

The package: `cards` (the form, what callers get back, shared lookups), `giving`,
`answering` (who may, acknowledge, reply), `release` (anonymous feedback's wait) and `reading` (what a department received, the
monthly ratings).
"""

from bot.periods import month_bounds
from bot.services.feedback.answering import (
    acknowledge,
    for_responder,
    reply,
)
from bot.services.feedback.cards import (
    ANONYMOUS_ACTOR,
    MAX_COMMENT,
    MAX_REPLY,
    RATINGS,
    RELEASE_AT,
    DepartmentChoice,
    DepartmentRatings,
    FeedbackField,
    FeedbackItem,
    Held,
    Received,
    start_of_day,
)
from bot.services.feedback.giving import (
    default_form,
    department_choices,
    give_feedback,
)
from bot.services.feedback.reading import (
    NewFeedback,
    counted,
    mean_rating,
    monthly_ratings,
    received,
    still_new,
)
from bot.services.feedback.release import (
    ReleasedElsewhere,
    release_day,
    release_held,
    release_instant,
    release_now,
    waiting,
)

__all__ = [
    "ANONYMOUS_ACTOR",
    "MAX_COMMENT",
    "MAX_REPLY",
    "RATINGS",
    "RELEASE_AT",
    "DepartmentChoice",
    "DepartmentRatings",
    "FeedbackField",
    "FeedbackItem",
    "Held",
    "NewFeedback",
    "Received",
    "ReleasedElsewhere",
    "acknowledge",
    "counted",
    "default_form",
    "department_choices",
    "for_responder",
    "give_feedback",
    "mean_rating",
    "month_bounds",
    "monthly_ratings",
    "received",
    "release_day",
    "release_held",
    "release_instant",
    "release_now",
    "reply",
    "start_of_day",
    "still_new",
    "waiting",
]
