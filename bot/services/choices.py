"""The project's own things a person picks in a modal, for type-ahead (Slack's
`external_select`): budget lines, departments and funding sources.

A select built from project data holds all of them while there are at most `MAX_OPTIONS`
(Slack refuses more in a static select); beyond that the modal asks Slack to load them as
the person types, and `suggest` answers. The answer is scoped to one project of the
caller's workspace and only given to the project's people; what comes back in the
submission is still checked by the service that saves it (a tampered id is a field error).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from bot.i18n import Translator, translator
from bot.labels import BUDGET_CATEGORY, DEPARTMENT_KIND
from bot.services.membership import require_member
from bot.services.projects import get_project
from storage.uow import UnitOfWork

MAX_OPTIONS: Final = 100  # Slack's limit for a static select and for an options response
MIN_QUERY: Final = 1  # one character is a word in Chinese (土 finds 土地征收)


class Kind(StrEnum):
    """What a type-ahead select offers; also its `action_id` (`app.options` matches it)."""

    BUDGET_LINE = "suggest_budget_line"
    DEPARTMENT = "suggest_department"
    FUNDING_SOURCE = "suggest_funding_source"


@dataclass(frozen=True)
class Choice:
    value: str  # the id the submission carries back
    label: str  # what the option shows
    terms: tuple[str, ...] = ()  # more words it is found by (category, kind, code)


def fold(text: str) -> str:
    """Text compared without case or width (ＡＢＣ = abc), so Chinese and Latin both match."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def matching(choices: Sequence[Choice], query: str, *, limit: int = MAX_OPTIONS) -> list[Choice]:
    """The choices whose label or terms contain `query` (case- and width-insensitive),
    those starting with it first, at most `limit`. An empty query matches everything."""
    wanted = fold(query)
    if not wanted:
        return list(choices[:limit])
    starts: list[Choice] = []
    contains: list[Choice] = []
    for choice in choices:
        words = [fold(choice.label), *(fold(t) for t in choice.terms)]
        if any(w.startswith(wanted) for w in words):
            starts.append(choice)
        elif any(wanted in w for w in words):
            contains.append(choice)
    return (starts + contains)[:limit]


def project_choices(
    uow: UnitOfWork, kind: Kind, *, project_id: int, tr: Translator
) -> list[Choice]:
    """Every choice of `kind` in the project, labelled as the modals label them."""
    if kind is Kind.BUDGET_LINE:
        return [
            Choice(
                str(line.id),
                line.name,
                (line.category, tr(BUDGET_CATEGORY[line.category]), f"#{line.id}")
                if line.category in BUDGET_CATEGORY
                else (line.category, f"#{line.id}"),
            )
            for line in uow.funds.lines(project_id)
        ]
    if kind is Kind.DEPARTMENT:
        return [
            Choice(
                str(d.id),
                d.name,
                (d.kind, tr(DEPARTMENT_KIND[d.kind])) if d.kind in DEPARTMENT_KIND else (d.kind,),
            )
            for d in uow.projects.departments(project_id)
        ]
    return [Choice(str(s.id), s.name, (s.kind,)) for s in uow.funds.sources(project_id)]


def suggest(
    uow: UnitOfWork,
    kind: Kind,
    *,
    team_id: str,
    project_id: int,
    user_id: str,
    query: str,
) -> list[Choice]:
    """At most `MAX_OPTIONS` choices of `kind` in the project matching `query`.

    Raises `NotFound` for a project of another workspace (or none) and `PermissionDenied`
    for someone who is not one of the project's people."""
    project = get_project(uow, team_id, project_id)
    require_member(uow, project, user_id)
    choices = project_choices(uow, kind, project_id=project.id, tr=translator(project.locale))
    return matching(choices, query)
