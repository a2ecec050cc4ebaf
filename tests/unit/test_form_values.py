"""`bot.forms.Form`: a modal's values read by its field enum."""

from __future__ import annotations

from enum import StrEnum

import pytest

from bot.forms import Form


class Field(StrEnum):
    NAME = "name"
    PEOPLE = "people"
    CLOSED = "closed"


def test_reads_each_kind_of_value_by_field() -> None:
    form = Form(Field, {"name": "Toll road", "people": ["W1", "W2"], "closed": ["closed"]})
    assert form.text(Field.NAME) == "Toll road"
    assert form.many(Field.PEOPLE) == ["W1", "W2"]
    assert form.flag(Field.CLOSED) is True


def test_a_missing_or_wrong_kind_of_value_reads_as_empty() -> None:
    form = Form(Field, {"name": ["not", "text"], "people": "W1", "closed": []})
    assert form.text(Field.NAME) is None
    assert form.many(Field.PEOPLE) == []
    assert form.flag(Field.CLOSED) is False
    empty = Form(Field)
    assert (empty.text(Field.NAME), empty.many(Field.PEOPLE), empty.flag(Field.CLOSED)) == (
        None,
        [],
        False,
    )


def test_keeps_only_its_own_fields() -> None:
    form = Form(Field, {"name": "x", "another_modals_block": "y"})
    assert repr(form) == "Form({'name': 'x'})"


def test_of_refuses_a_name_that_is_not_a_field() -> None:
    assert Form.of(Field, name="x").text(Field.NAME) == "x"
    with pytest.raises(ValueError, match="nmae"):
        Form.of(Field, nmae="x")
