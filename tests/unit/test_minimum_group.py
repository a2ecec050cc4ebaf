"""`suppression.minimum_group`: a project's anonymity setting, never below the floor."""

from bot.services.suppression import MIN_ANONYMITY, minimum_group
from storage.models import Project


def test_the_projects_setting_above_the_floor() -> None:
    assert minimum_group(Project(anonymity_min=MIN_ANONYMITY + 4)) == MIN_ANONYMITY + 4


def test_never_below_the_floor() -> None:
    assert minimum_group(Project(anonymity_min=1)) == MIN_ANONYMITY
