"""The database itself refuses an author on anonymous feedback (moved from
tests/e2e/test_feedback_anonymity.py, which checks the whole flow)."""

from __future__ import annotations

import pytest

from bot.app import Deps
from storage.models import Feedback
from tests.e2e.test_feedback_anonymity import AUTHOR
from tests.factories import make_project


def test_the_database_refuses_an_author_on_anonymous_feedback(deps: Deps) -> None:
    from sqlalchemy.exc import IntegrityError

    made = make_project(deps)
    with deps.uow() as uow:
        uow.session.add(
            Feedback(
                project_id=made.project_id,
                to_department_id=made.departments["finance"],
                from_department_id=made.departments["engineering"],
                rating=3,
                comment="x",
                anonymous=True,
                author_user_id=AUTHOR,
                status="new",
                created_at=deps.now(),
            )
        )
        with pytest.raises(IntegrityError):
            uow.session.flush()
