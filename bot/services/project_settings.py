"""A project's schedule and thresholds: reminders, report deadlines, anonymity, runway, digest."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Final

from bot.errors import FieldErrors
from bot.forms import Form, check_time, check_weekday, stripped, whole_in
from bot.i18n import Msg, _
from bot.scoring import Component
from bot.services import scorecard, suppression
from bot.services.project_rows import audit_in
from bot.services.projects import pm_project
from storage.models import Project
from storage.uow import UnitOfWork

# The smallest group whose answers may be shown; below 3 one answer can be singled out.
MIN_ANONYMITY: Final = suppression.MIN_ANONYMITY


class SettingsField(StrEnum):
    REMINDER_LEAD_MINUTES = "reminder_lead_minutes"
    REPORT_DUE_DAYS = "report_due_days"
    NUDGE_HOURS = "nudge_hours"
    ANONYMITY_MIN = "anonymity_min"
    COMMENT_ANONYMITY_MIN = "comment_anonymity_min"
    RUNWAY_THRESHOLD_WEEKS = "runway_threshold_weeks"
    DIGEST_WEEKDAY = "digest_weekday"
    DIGEST_TIME = "digest_time"
    WEIGHT_SATISFACTION = "weight_satisfaction"
    WEIGHT_NPS = "weight_nps"
    WEIGHT_TIMELINESS = "weight_timeliness"
    WEIGHT_RESPONSIVENESS = "weight_responsiveness"
    WEIGHT_ACKNOWLEDGEMENT = "weight_acknowledgement"


F = SettingsField
# Whole-number settings: field → (lowest, highest) accepted.
RANGES: Final[dict[SettingsField, tuple[int, int]]] = {
    F.REMINDER_LEAD_MINUTES: (0, 7 * 24 * 60),  # up to a week before the meeting
    F.REPORT_DUE_DAYS: (0, 13),  # due before the next fortnight ends
    F.NUDGE_HOURS: (1, 7 * 24),
    F.ANONYMITY_MIN: (MIN_ANONYMITY, 1000),
    F.COMMENT_ANONYMITY_MIN: (MIN_ANONYMITY, 1000),
    F.RUNWAY_THRESHOLD_WEEKS: (1, 104),
}
# The monthly scorecard's weight of each component, as a settings field (0 leaves it out).
WEIGHT_FIELDS: Final[dict[Component, SettingsField]] = {
    Component.SATISFACTION: F.WEIGHT_SATISFACTION,
    Component.NPS: F.WEIGHT_NPS,
    Component.TIMELINESS: F.WEIGHT_TIMELINESS,
    Component.RESPONSIVENESS: F.WEIGHT_RESPONSIVENESS,
    Component.ACKNOWLEDGEMENT: F.WEIGHT_ACKNOWLEDGEMENT,
}
RANGES.update({f: (0, scorecard.WEIGHT_MAX) for f in WEIGHT_FIELDS.values()})


def _whole(form: Form[SettingsField], field: SettingsField) -> tuple[int | None, Msg | None]:
    low, high = RANGES[field]
    value = stripped(form.text(field))
    if not value:
        return None, _("This field is required.")
    if field == F.ANONYMITY_MIN and value.isdigit() and int(value) < MIN_ANONYMITY:
        return None, _(
            "At least {n}: smaller groups could let people work out who answered what.",
            n=MIN_ANONYMITY,
        )
    number = whole_in(value, low, high)
    if number is None:
        return None, _("Type a whole number from {low} to {high}.", low=low, high=high)
    return number, None


def anonymity_warning(minimum: int, comment_minimum: int) -> Msg | None:
    """What a minimum group below the survey leaders' 5 costs, in plain words; None at 5+."""
    if minimum >= suppression.RECOMMENDED_ANONYMITY:
        return None
    return _(
        "Note: results will be shown for groups of only {n}. In a group that small a colleague "
        "who knows how two or three others answered can work out the rest, and people tend to "
        "answer less frankly. Survey leaders use {recommended} or more; {comments} is the "
        "minimum for comments. Surveys already set up keep the thresholds they started with.",
        n=minimum,
        recommended=suppression.RECOMMENDED_ANONYMITY,
        comments=comment_minimum,
    )


def validate_settings(form: Form[SettingsField]) -> tuple[dict[str, Any], dict[str, Msg]]:
    """Check every field (pure); return clean values and an error per bad field."""
    values: dict[str, Any] = {}
    errors: dict[str, Msg] = {}
    for field in RANGES:
        number, error = _whole(form, field)
        if error is not None:
            errors[field] = error
        else:
            values[field] = number
    anonymity, comments = values.get(F.ANONYMITY_MIN), values.get(F.COMMENT_ANONYMITY_MIN)
    if anonymity is not None and comments is not None and comments < anonymity:
        errors[F.COMMENT_ANONYMITY_MIN] = _(
            "Free-text comments need at least as many respondents as ratings: {n} or more.",
            n=anonymity,
        )
    weighting = [values.get(f) for f in WEIGHT_FIELDS.values()]
    if None not in weighting and not any(weighting):
        errors[F.WEIGHT_SATISFACTION] = _(
            "At least one scorecard weight must be above 0, or nothing could be scored."
        )
    values[F.DIGEST_WEEKDAY] = check_weekday(form, F.DIGEST_WEEKDAY, errors)
    values[F.DIGEST_TIME] = check_time(form, F.DIGEST_TIME, errors)
    return values, errors


def _snapshot(uow: UnitOfWork, project: Project) -> dict[str, Any]:
    weighting = scorecard.weights(uow, project.id)
    return {
        **{f.value: weighting[c] for c, f in WEIGHT_FIELDS.items()},
        F.REMINDER_LEAD_MINUTES.value: project.reminder_lead_minutes,
        F.REPORT_DUE_DAYS.value: project.report_due_days,
        F.NUDGE_HOURS.value: project.nudge_hours,
        F.ANONYMITY_MIN.value: project.anonymity_min,
        F.COMMENT_ANONYMITY_MIN.value: project.comment_anonymity_min,
        F.RUNWAY_THRESHOLD_WEEKS.value: project.runway_threshold_weeks,
        F.DIGEST_WEEKDAY.value: project.digest_weekday,
        F.DIGEST_TIME.value: project.digest_time.isoformat(timespec="minutes"),
    }


def settings_form(
    uow: UnitOfWork, *, team_id: str, project_id: int, user_id: str
) -> Form[SettingsField]:
    """The settings modal filled from the project; PMs only."""
    project = pm_project(uow, team_id, project_id, user_id)
    return Form.of(F, **{k: str(v) for k, v in _snapshot(uow, project).items()})


def save_settings(
    uow: UnitOfWork, *, team_id: str, project_id: int, user_id: str, form: Form[SettingsField]
) -> None:
    """Store the schedule and thresholds; PMs only. `FieldErrors` (nothing saved) on bad input."""
    project = pm_project(uow, team_id, project_id, user_id)
    values, errors = validate_settings(form)
    if errors:
        raise FieldErrors(errors)
    before = _snapshot(uow, project)
    weighting = {c: values.pop(f) for c, f in WEIGHT_FIELDS.items()}
    for key, value in values.items():
        setattr(project, key, value)
    scorecard.set_weights(uow, project.id, weighting, now=uow.now())
    after = _snapshot(uow, project)
    audit_in(uow, project, user_id, "update", "project_settings", project_id, before, after)
    uow.commit()
