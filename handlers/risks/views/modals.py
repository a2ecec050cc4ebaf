"""Block Kit for risks: pure functions of data and a translator."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.forms import Form
from bot.i18n import Msg, Translator, _
from bot.services.choices import Kind
from bot.services.risks import RiskCard, RiskField
from handlers import blocks as b
from handlers.risks import ids
from handlers.risks.ids import RiskView
from handlers.risks.views.labels import (
    CATEGORY,
    IMPACT,
    LIKELIHOOD,
    STATUS,
    TREATMENT,
)
from handlers.suggest import picker
from handlers.text import esc
from storage.models import RiskStatus

F = RiskField

# The risk modal's label of each field, also naming it in a workflow step's error.
RISK_LABELS: Final[dict[str, Msg]] = {
    F.TITLE: _("Title"),
    F.DESCRIPTION: _("What could happen, and why"),
    F.CATEGORY: _("Category"),
    F.LIKELIHOOD: _("How likely is it?"),
    F.IMPACT: _("How bad would it be?"),
    F.OWNER: _("Owner"),
    F.DEPARTMENT: _("Owning department"),
    F.MITIGATION: _("Mitigation"),
    F.TREATMENT: _("Treatment"),
    F.DUE: _("Mitigation due by"),
    F.REVIEW: _("Next review"),
}


def _notes(field: RiskField, label: str, initial: str | None) -> Block:
    """An optional text of a few paragraphs: what could happen, what is done about it."""
    return b.text_input(
        field, label, initial=initial, multiline=True, optional=True, max_length=3000
    )


def _response_inputs(
    form: Form[F], tr: Translator, departments: Sequence[tuple[str, str]], review: str
) -> list[Block]:
    """The risk modal's second half: who owns it and what is done about it."""
    return [
        b.user_input(F.OWNER, tr(RISK_LABELS[F.OWNER]), initial=form.text(F.OWNER), optional=True),
        b.select_input(
            F.DEPARTMENT,
            tr(RISK_LABELS[F.DEPARTMENT]),
            list(departments),
            initial=form.text(F.DEPARTMENT),
            optional=True,
            **picker(Kind.DEPARTMENT, tr),
        ),
        _notes(F.MITIGATION, tr(RISK_LABELS[F.MITIGATION]), form.text(F.MITIGATION)),
        b.select_input(
            F.TREATMENT,
            tr(RISK_LABELS[F.TREATMENT]),
            b.labelled(TREATMENT, tr),
            initial=form.text(F.TREATMENT),
            optional=True,
        ),
        b.date_input(F.DUE, tr(RISK_LABELS[F.DUE]), initial=form.text(F.DUE), optional=True),
        b.date_input(
            F.REVIEW,
            tr(RISK_LABELS[F.REVIEW]),
            initial=form.text(F.REVIEW) or review,
            optional=True,
        ),
    ]


def risk_modal(
    form: Form[F],
    tr: Translator,
    *,
    project_label: str,
    departments: Sequence[tuple[str, str]],
    review: str,
    metadata: str,
    link: str | None = None,
) -> View:
    """The "flag a risk" modal, prefilled from `form`; `review` is the next review date
    (ISO) offered when `form` has none."""
    items: list[Block] = [b.context(tr(_("Project: {project}"), project=project_label))]
    if link:
        items.append(b.context(tr(_("Raised from <{link}|this message>."), link=link)))
    items += [
        b.text_input(F.TITLE, tr(RISK_LABELS[F.TITLE]), initial=form.text(F.TITLE), max_length=200),
        _notes(F.DESCRIPTION, tr(RISK_LABELS[F.DESCRIPTION]), form.text(F.DESCRIPTION)),
        b.select_input(
            F.CATEGORY,
            tr(RISK_LABELS[F.CATEGORY]),
            b.labelled(CATEGORY, tr),
            initial=form.text(F.CATEGORY),
        ),
        b.select_input(
            F.LIKELIHOOD,
            tr(RISK_LABELS[F.LIKELIHOOD]),
            b.numbered(LIKELIHOOD, tr, first=1),
            initial=form.text(F.LIKELIHOOD),
        ),
        b.select_input(
            F.IMPACT,
            tr(RISK_LABELS[F.IMPACT]),
            b.numbered(IMPACT, tr, first=1),
            initial=form.text(F.IMPACT),
            hint=tr(
                _(
                    "Likelihood × impact gives the score: 10 or more is high and is posted to the command channel at once."
                )
            ),
        ),
        *_response_inputs(form, tr, departments, review),
    ]
    return b.form_modal(
        RiskView.CREATE,
        tr(_("Flag a risk")),
        items,
        tr,
        submit=tr(_("Flag risk")),
        metadata=metadata,
    )


def pick_project_modal(
    tr: Translator, projects: Sequence[tuple[str, str]], *, metadata: str
) -> View:
    """Asked first when a shortcut is used outside a project channel by someone in several."""
    items: list[Block] = [
        b.select_input(ids.PROJECT_FIELD, tr(_("Which project is this risk about?")), projects),
        b.context(tr(_("In a project's channel this step is skipped."))),
    ]
    return b.form_modal(
        RiskView.PICK_PROJECT,
        tr(_("Flag a risk")),
        items,
        tr,
        submit=tr(_("Next")),
        metadata=metadata,
    )


def update_modal(card: RiskCard, tr: Translator, *, metadata: str) -> View:
    choices = [(s, tr(STATUS[s])) for s in (RiskStatus.OPEN, RiskStatus.MITIGATING)]
    items: list[Block] = [
        b.section(f"*{card.ref}* · {esc(card.title)}"),
        b.text_input(ids.UPDATE_TEXT, tr(_("Update")), multiline=True, max_length=3000),
        b.select_input(ids.UPDATE_STATUS, tr(_("Status")), choices, initial=card.status),
    ]
    return b.form_modal(
        RiskView.UPDATE,
        tr(_("Update {ref}"), ref=card.ref),
        items,
        tr,
        metadata=metadata,
    )


def close_modal(card: RiskCard, tr: Translator, *, metadata: str) -> View:
    return b.reason_modal(
        RiskView.CLOSE,
        tr(_("Close {ref}"), ref=card.ref),
        f"*{card.ref}* · {esc(card.title)}",
        b.reason_input(
            ids.CLOSE_NOTE,
            tr(_("Why can it be closed?")),
            max_length=3000,
            placeholder=tr(_("e.g. the bridge loan was signed on 3 March")),
        ),
        tr,
        submit=tr(_("Close risk")),
        metadata=metadata,
    )
