"""The pure validation behind `/icrm departments|roles|budget|settings`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bot.forms import Form
from bot.services.budget import BudgetField, crossed_threshold, validate_line
from bot.services.departments import DepartmentField, validate_department
from bot.services.project_settings import SettingsField, validate_settings
from bot.services.roles import validate_roles

FIELDS = ["dept_1", "dept_2", "dept_3"]


def test_department_values_are_cleaned() -> None:
    values, errors = validate_department(
        Form.of(
            DepartmentField,
            name="  Legal   affairs ",
            kind="legal",
            lead="U01",
            members=["U02", "U02", "W03"],
        )
    )
    assert errors == {}
    assert values["name"] == "Legal affairs"
    assert values["members"] == ["U02", "W03"]


def test_department_errors_name_every_bad_field() -> None:
    _, errors = validate_department(
        Form.of(DepartmentField, name="", kind="x", lead="bob", members=["?"])
    )
    assert sorted(errors) == ["kind", "lead", "members", "name"]


@pytest.mark.parametrize(
    ("roles", "bad"),
    [
        ({"dept_1": "R"}, []),
        ({"dept_1": "R", "dept_2": "A", "dept_3": "C"}, []),
        ({"dept_1": "R", "dept_2": "R"}, []),  # shared responsibility is allowed
        ({"dept_1": "C", "dept_2": "I"}, ["dept_1"]),
        ({}, ["dept_1"]),
        ({"dept_1": "R", "dept_2": "A", "dept_3": "A"}, ["dept_3"]),
        ({"dept_1": "A", "dept_2": "A", "dept_3": "A"}, ["dept_1", "dept_2", "dept_3"]),
        ({"dept_1": "R", "dept_2": "Z"}, ["dept_2"]),
        ({"dept_1": "R", "dept_2": "-", "dept_3": None}, []),
    ],
)
def test_roles_rules(roles: dict[str, str | None], bad: list[str]) -> None:
    assert sorted(validate_roles(roles, FIELDS)) == bad


@pytest.mark.parametrize(
    ("spent", "allocated", "expected"),
    [
        ("0", "100", 0),
        ("89.99", "100", 0),
        ("90", "100", 90),
        ("99.99", "100", 90),
        ("100", "100", 100),
        ("250", "100", 100),
        ("0", "0", 0),
        ("1", "0", 100),
    ],
)
def test_crossed_threshold(spent: str, allocated: str, expected: int) -> None:
    assert crossed_threshold(Decimal(spent), Decimal(allocated)) == expected


def test_budget_line_values_and_errors() -> None:
    form = Form.of(BudgetField, name=" Land ", category="land", department="7", allocated="1.5万")
    values, errors = validate_line(form, currency="CNY", departments={7: "Legal"})
    assert errors == {}
    assert values == {
        "name": "Land",
        "category": "land",
        "department_id": 7,
        "allocated": Decimal("15000.00"),
    }
    bad = Form.of(BudgetField, name="", category="boats", department="8", allocated="-1")
    _, errors = validate_line(bad, currency="CNY", departments={7: "Legal"})
    assert sorted(errors) == ["allocated", "category", "department", "name"]


def test_settings_values_and_cross_field_rule() -> None:
    given = dict(
        reminder_lead_minutes="0",
        report_due_days="13",
        nudge_hours="168",
        anonymity_min="3",
        comment_anonymity_min="3",
        runway_threshold_weeks="104",
        digest_weekday="6",
        digest_time="08:15",
        weight_satisfaction="10",
        weight_nps="0",
        weight_timeliness="1",
        weight_responsiveness="1",
        weight_acknowledgement="1",
    )
    values, errors = validate_settings(Form.of(SettingsField, **given))
    assert errors == {}
    assert (values["weight_satisfaction"], values["weight_nps"]) == (10, 0)
    assert values["digest_time"] == dt.time(8, 15) and values["anonymity_min"] == 3
    worse = Form.of(SettingsField, **given | {"anonymity_min": "5", "comment_anonymity_min": "4"})
    _, errors = validate_settings(worse)
    assert list(errors) == ["comment_anonymity_min"]
    _, errors = validate_settings(Form(SettingsField))
    assert len(errors) == 13  # 8 schedule and threshold fields, 5 scorecard weights
