"""Risks: raise, score, own, acknowledge, update and close them; and what the clock asks.

Score = likelihood × impact (each 1–5); the level follows from the score. High and critical
risks are escalated to the project's command channel by the Slack edge. Who may do what:

- anyone in the project (a PM, a department lead or member) raises a risk, takes ownership
  of an open one, or adds an update (so does whoever raised it);
- the owner, the lead of the risk's department or a PM acknowledges or closes it.

The package: `cards` (scores, levels, the form, what callers get back), `validation`,
`similar` (titles like a new one), `changes` (raise, escalate, acknowledge, own, update,
close) and `reading` (find, list, and what the clock and the agenda read).
"""

from bot.periods import today_in
from bot.services.risks.cards import (
    HIGH_SCORE,
    NOT_CLOSED,
    RiskCard,
    RiskField,
    RiskLevel,
    Scored,
    UpdateCard,
    is_escalated,
    level_of,
    score_of,
)
from bot.services.risks.changes import (
    acknowledge,
    add_update,
    claim_escalation,
    close_risk,
    create_risk,
    escalation_people,
    finish_escalation,
    record_alert,
    require_can_close,
    require_can_update,
    take_ownership,
)
from bot.services.risks.reading import (
    ReviewDue,
    RiskMovement,
    Scope,
    card_of,
    department_choices,
    due_for_review,
    find,
    for_agenda,
    list_risks,
    median_ack_hours,
    movement,
    parse_number,
    project_of_risk,
)
from bot.services.risks.similar import (
    MAX_SIMILAR,
    SIMILAR,
    similar_open,
    title_similarity,
)
from bot.services.risks.validation import (
    MAX_TEXT,
    REVIEW_AFTER,
    validate_form,
)

__all__ = [
    "HIGH_SCORE",
    "MAX_SIMILAR",
    "MAX_TEXT",
    "NOT_CLOSED",
    "REVIEW_AFTER",
    "SIMILAR",
    "ReviewDue",
    "RiskCard",
    "RiskField",
    "RiskLevel",
    "RiskMovement",
    "Scope",
    "Scored",
    "UpdateCard",
    "acknowledge",
    "add_update",
    "card_of",
    "claim_escalation",
    "close_risk",
    "create_risk",
    "department_choices",
    "due_for_review",
    "escalation_people",
    "find",
    "finish_escalation",
    "for_agenda",
    "is_escalated",
    "level_of",
    "list_risks",
    "median_ack_hours",
    "movement",
    "parse_number",
    "project_of_risk",
    "record_alert",
    "require_can_close",
    "require_can_update",
    "score_of",
    "similar_open",
    "take_ownership",
    "title_similarity",
    "today_in",  # re-exported for handlers and jobs
    "validate_form",
]
