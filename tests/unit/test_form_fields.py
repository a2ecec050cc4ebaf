"""A modal's block ids (`XField`) are the fields of the pydantic form its submission is
read into, for the two modals that are not one value per field (every other modal is read as
`bot.forms.Form[XField]`, which has no second list to keep in step).

`Request.form(XForm)` validates the view's values by block id, and pydantic drops a key it
has no field for: a block id spelt differently from its form field would be lost without an
error. Each pair below must agree, apart from the ids named as another modal's."""

from __future__ import annotations

from enum import StrEnum

import pytest
from pydantic import BaseModel

from bot.services.roles import RoleField, RolesForm
from bot.services.surveys.forms import SurveyField, SurveyForm

# (block ids, form, ids that belong to another modal, form fields filled another way)
PAIRS: list[tuple[type[StrEnum], type[BaseModel], set[str], set[str]]] = [
    (RoleField, RolesForm, set(), {"roles"}),  # a block per department (`role_field`)
    (SurveyField, SurveyForm, set(), {"questions"}),  # the second screen's
]


@pytest.mark.parametrize(
    ("ids", "form", "elsewhere", "filled"), PAIRS, ids=[p[1].__name__ for p in PAIRS]
)
def test_block_ids_are_the_form_fields(
    ids: type[StrEnum], form: type[BaseModel], elsewhere: set[str], filled: set[str]
) -> None:
    assert {i.value for i in ids} - elsewhere == set(form.model_fields) - filled
