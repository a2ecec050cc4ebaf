"""Checking the risk form: clean values and one error per bad field."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from bot.forms import Form, check_date, stripped, whole_in
from bot.i18n import Msg, _
from bot.periods import today_in as today_in  # re-exported for handlers and jobs
from bot.services.risks.cards import RiskField
from storage.models import RiskCategory, RiskTreatment

REVIEW_AFTER: Final = dt.timedelta(days=14)


MAX_TEXT: Final = 3000


def too_long(limit: int = MAX_TEXT) -> Msg:
    """The error of a risk text over `limit` characters."""
    return _("Keep this under {n} characters.", context="risks", n=limit)


def validate_form(
    form: Form[RiskField], *, today: dt.date, departments: set[int]
) -> tuple[dict[str, Any], dict[str, Msg]]:
    """Check every field; return the clean values and an error per bad field."""
    errors: dict[str, Msg] = {}
    values: dict[str, Any] = {}
    required = _("This field is required.")

    title = stripped(form.text(RiskField.TITLE))
    if not title:
        errors[RiskField.TITLE] = required
    elif len(title) > 200:
        errors[RiskField.TITLE] = too_long(200)
    values["title"] = title
    for field, key in (
        (RiskField.DESCRIPTION, "description"),
        (RiskField.MITIGATION, "mitigation"),
    ):
        text = stripped(form.text(field))
        if len(text) > MAX_TEXT:
            errors[field] = too_long()
        values[key] = text

    category = stripped(form.text(RiskField.CATEGORY))
    if not category:
        errors[RiskField.CATEGORY] = required
    elif category not in set(RiskCategory):
        errors[RiskField.CATEGORY] = _("Choose a category from the list.")
    values["category"] = category

    for field in (RiskField.LIKELIHOOD, RiskField.IMPACT):
        raw = stripped(form.text(field))
        number = whole_in(raw, 1, 5)
        if not raw:
            errors[field] = required
        elif number is None:
            errors[field] = _("Choose a value from 1 to 5.")
        values[field.value] = number

    values["owner_id"] = stripped(form.text(RiskField.OWNER)) or None
    _validate_choices(form, departments, values, errors)
    _validate_dates(form, today, values, errors)
    return values, errors


def _validate_choices(
    form: Form[RiskField], departments: set[int], values: dict[str, Any], errors: dict[str, Msg]
) -> None:
    """The department and the treatment, into `values` (or `errors`)."""
    department = stripped(form.text(RiskField.DEPARTMENT))
    if not department:
        values["department_id"] = None
    elif not department.isdigit() or int(department) not in departments:
        errors[RiskField.DEPARTMENT] = _("Choose one of this project's departments.")
    else:
        values["department_id"] = int(department)

    treatment = stripped(form.text(RiskField.TREATMENT)) or None
    if treatment is not None and treatment not in set(RiskTreatment):
        errors[RiskField.TREATMENT] = _("Choose a treatment from the list.")
    values["treatment"] = treatment


def _validate_dates(
    form: Form[RiskField], today: dt.date, values: dict[str, Any], errors: dict[str, Msg]
) -> None:
    """The due and review dates (today or later; review defaults to two weeks on)."""
    for field, key in ((RiskField.DUE, "due_on"), (RiskField.REVIEW, "review_on")):
        day = check_date(form, field, errors) if stripped(form.text(field)) else None  # optional
        if day is not None and day < today:
            errors[field] = _("Choose today or a later date.")
        values[key] = day
    if values.get("review_on") is None and RiskField.REVIEW not in errors:
        values["review_on"] = today + REVIEW_AFTER
