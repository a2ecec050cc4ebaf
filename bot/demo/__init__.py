"""`python -m bot demo`: a realistic project to look at — a highway PPP in Guangdong.

`bot/demo/project.py` creates the project; each domain adds its records with a module here
whose `seed(deps, project_id)` is listed in `SEEDS`.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.app import Deps
from bot.demo import feedback, funds, reports, risks, scorecard, surveys
from bot.demo.project import DEMO_CODE, DEMO_TEAM, create_project

SEEDS: list[Callable[[Deps, int], None]] = [
    feedback.seed,
    funds.seed,
    reports.seed,
    risks.seed,
    surveys.seed,
    scorecard.seed,  # last: it scores what the others seeded
]


def load_demo(deps: Deps) -> str:
    """Load the demo project once (a second run changes nothing); return its code."""
    with deps.uow() as uow:
        if uow.projects.by_code(DEMO_TEAM, DEMO_CODE) is not None:
            return DEMO_CODE
    project_id = create_project(deps)
    for seed in SEEDS:
        seed(deps, project_id)
    return DEMO_CODE


__all__ = ["DEMO_CODE", "DEMO_TEAM", "load_demo"]
