"""Block Kit for surveys: pure functions of data and a translator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    InputBlock,
    PlainTextObject,
    StaticMultiSelectElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.i18n import Msg, Translator, _
from bot.services.survey_results import (
    NPS_SCALE,
    RATING_SCALE,
    QuestionResult,
    Summary,
    SurveyResults,
)
from bot.services.surveys import (
    ANONYMOUS,
    LIVE,
    QuestionForm,
    SurveyForm,
    SurveyRow,
    answer_block,
    question_block,
)
from bot.services.surveys import SurveyField as F
from handlers import blocks as b
from handlers.ids import VALUE
from handlers.surveys.ids import SurveyAction, SurveyView
from handlers.text import esc, strong
from storage.models import QuestionKind, SurveyTemplate

KIND_LABEL: dict[str, Msg] = {
    QuestionKind.RATING: _("Rating 1–5"),
    QuestionKind.NPS: _("0–10 (NPS)"),
    QuestionKind.CHOICE: _("Single choice"),
    QuestionKind.TEXT: _("Free text"),
}


def when(moment: dt.datetime, tr: Translator) -> str:
    """A Slack date token: each reader sees the time in their own timezone."""
    fallback = moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def _multi_select(
    block_id: str,
    label: str,
    choices: Sequence[tuple[str, str]],
    initial: Sequence[str],
    *,
    optional: bool,
    hint: str | None = None,
) -> InputBlock:
    options = [b.option(v, t) for v, t in choices[:100]]
    chosen = [o for o in options if o.value in initial]
    return InputBlock(
        block_id=block_id,
        label=PlainTextObject(text=b.clip(label, 2000)),
        element=StaticMultiSelectElement(
            action_id=VALUE, options=options, initial_options=chosen or None
        ),
        optional=optional,
        hint=PlainTextObject(text=b.clip(hint, 2000)) if hint else None,
    )


def new_survey_modal(
    tr: Translator,
    form: SurveyForm,
    departments: Sequence[tuple[int, str]],
    *,
    metadata: str,
) -> View:
    """The first modal: what kind of survey, about whom, for whom, when, and its options."""
    names = [(str(i), n) for i, n in departments]
    templates = [
        (SurveyTemplate.CSAT, tr(_("CSAT — satisfaction with a department's service"))),
        (SurveyTemplate.NPS, tr(_("NPS — would you recommend working with a department?"))),
        (SurveyTemplate.CUSTOM, tr(_("Custom questions (next screen)"))),
    ]
    option_choices = [
        b.option(ANONYMOUS, tr(_("Anonymous (recommended)"))),
        b.option(LIVE, tr(_("Show results while the survey is open"))),
    ]
    items: list[Block] = [
        b.text_input(F.TITLE, tr(_("Title")), initial=form.title, max_length=150),
        b.select_input(F.TEMPLATE, tr(_("Questions")), templates, initial=form.template),
        _multi_select(
            F.RATED,
            tr(_("Departments rated")),
            names,
            form.rated,
            optional=True,
            hint=tr(_("Required for CSAT and NPS: each is rated on its own.")),
        ),
        _multi_select(
            F.AUDIENCE_DEPARTMENTS,
            tr(_("Who answers: departments")),
            names,
            form.audience_departments,
            optional=True,
            hint=tr(_("Their leads and members get the survey by direct message.")),
        ),
        b.users_input(
            F.AUDIENCE_PEOPLE,
            tr(_("Who answers: more people")),
            initial=form.audience_people,
            optional=True,
        ),
        b.date_input(F.OPENS_DATE, tr(_("Opens on")), initial=form.opens_date),
        b.time_input(F.OPENS_TIME, tr(_("Opens at")), initial=form.opens_time),
        b.date_input(F.CLOSES_DATE, tr(_("Closes on")), initial=form.closes_date),
        b.time_input(F.CLOSES_TIME, tr(_("Closes at")), initial=form.closes_time),
        InputBlock(
            block_id=F.OPTIONS,
            label=PlainTextObject(text=tr(_("Options"))),
            element=CheckboxesElement(
                action_id=VALUE,
                options=option_choices,
                initial_options=[o for o in option_choices if o.value in form.options] or None,
            ),
            optional=True,
        ),
        b.context(
            tr(
                _(
                    "Times are in the project's time zone. Results stay hidden until the survey closes unless you tick live results; groups too small to stay anonymous are never shown."
                )
            )
        ),
    ]
    return b.modal(
        SurveyView.NEW,
        tr(_("New survey")),
        items,
        submit=tr(_("Next") if form.template == SurveyTemplate.CUSTOM else _("Start survey")),
        close=tr(_("Cancel")),
        private_metadata=metadata,
    )


def questions_modal(
    tr: Translator, questions: Sequence[QuestionForm], slots: int, *, metadata: str
) -> View:
    """The pushed modal for custom questions: `slots` question slots, empty ones ignored."""
    kinds = [(k, tr(label)) for k, label in KIND_LABEL.items()]
    items: list[Block] = [
        b.context(
            tr(
                _(
                    "Up to {n} questions. Rating and 0–10 questions are asked about each rated department. Leave a slot empty to skip it.",
                    n=10,
                )
            )
        )
    ]
    for index in range(slots):
        given = questions[index] if index < len(questions) else QuestionForm()
        items += [
            b.divider(),
            b.text_input(
                question_block(index, "prompt"),
                tr(_("Question {n}", n=index + 1)),
                initial=given.prompt,
                optional=index > 0,
                max_length=300,
            ),
            b.select_input(
                question_block(index, "kind"),
                tr(_("Answer")),
                kinds,
                initial=given.kind or QuestionKind.RATING,
                optional=index > 0,
            ),
            b.text_input(
                question_block(index, "choices"),
                tr(_("Choices (single choice only, one per line)")),
                initial=given.choices,
                optional=True,
                multiline=True,
            ),
        ]
    if slots < 10:
        items.append(
            b.actions(b.button(tr(_("Add a question")), SurveyAction.ADD_QUESTION, str(slots)))
        )
    return b.modal(
        SurveyView.QUESTIONS,
        tr(_("Survey questions")),
        items,
        submit=tr(_("Start survey")),
        close=tr(_("Back")),
        private_metadata=metadata,
    )


def answer_modal(
    tr: Translator,
    *,
    title: str,
    questions: Sequence[tuple[int, str, str, Sequence[str]]],
    privacy: str,
    metadata: str,
) -> View:
    """The survey itself: (question id, kind, prompt, choices) per question."""
    items: list[Block] = [b.section(f"*{strong(title)}*"), b.context(privacy)]
    for question_id, kind, prompt, choices in questions:
        block_id = answer_block(question_id)
        if kind == QuestionKind.TEXT:
            items.append(
                b.text_input(block_id, prompt, optional=True, multiline=True, max_length=2000)
            )
            continue
        if kind == QuestionKind.RATING:
            options = [(str(v), str(v)) for v in RATING_SCALE]
        elif kind == QuestionKind.NPS:
            options = [(str(v), str(v)) for v in NPS_SCALE]
        else:
            options = [(str(i), c) for i, c in enumerate(choices)]
        items.append(
            InputBlock(
                block_id=block_id,
                label=PlainTextObject(text=b.clip(prompt, 2000)),
                element=StaticSelectElement(
                    action_id=VALUE, options=[b.option(v, t) for v, t in options]
                ),
            )
        )
    return b.modal(
        SurveyView.ANSWER,
        tr(_("Survey")),
        items,
        submit=tr(_("Send answers")),
        close=tr(_("Cancel")),
        private_metadata=metadata,
    )


def invitation(
    tr: Translator,
    *,
    survey_id: int,
    title: str,
    project: str,
    closes_at: dt.datetime,
    privacy: str,
    reminder: bool = False,
) -> tuple[str, list[Block]]:
    """The DM that invites (or reminds) someone to answer, with the answer button."""
    text = tr(
        _("Reminder: “{title}” ({project}) closes {closes}. You have not answered yet.")
        if reminder
        else _("You are invited to answer “{title}” ({project}). It closes {closes}."),
        title=esc(title),
        project=project,
        closes=when(closes_at, tr),
    )
    blocks: list[Block] = [
        b.section(text),
        b.actions(b.button(tr(_("Answer")), SurveyAction.ANSWER, str(survey_id), style="primary")),
        b.context(privacy),
    ]
    return text, blocks


def _pct(ratio: Fraction, tr: Translator) -> str:
    return tr.percent(float(ratio))


def _summary_text(summary: Summary, tr: Translator) -> str:
    parts = []
    if summary.mean is not None:
        parts.append(tr(_("mean {mean}", mean=tr.number(float(summary.mean), 1))))
    if summary.csat is not None:
        parts.append(tr(_("CSAT {value}", value=_pct(summary.csat, tr))))
    if summary.nps is not None:
        parts.append(tr(_("NPS {value}", value=f"{float(summary.nps):+.0f}")))
    parts.append(tr(_("n = {n}", n=summary.n)))
    return " · ".join(parts)


def _comment(text: str, respondent: str | None) -> str:
    """A free-text answer quoted; in a named survey, its author's mention after it."""
    author = f" — <@{respondent}>" if respondent else ""
    return f"> {esc(b.clip(text, 500))}{author}"


def _question_text(
    result: QuestionResult,
    tr: Translator,
    department_names: Mapping[int, str],
    minimum: int,
    comment_minimum: int,
) -> str:
    prompt = f"*{strong(result.question.prompt)}*"
    if result.question.kind == QuestionKind.TEXT:
        if result.comments_hidden:
            return (
                prompt
                + "\n"
                + tr(
                    _(
                        "_Comments are shown only when at least {n} people wrote one._",
                        n=max(minimum, comment_minimum),
                    )
                )
            )
        return prompt + "\n" + "\n".join(_comment(text, who) for text, who in result.comments)
    if result.hidden:
        return prompt + "\n" + tr(_("_Suppressed: fewer than {n} answers._", n=minimum))
    lines = [prompt]
    if result.summary is not None:
        lines.append(_summary_text(result.summary, tr))
    lines.append(" ".join(f"`{strong(label)}`×{count}" for label, count in result.distribution))
    for group in result.groups:
        name = (
            esc(department_names.get(group.department_id, "?"))
            if group.department_id is not None
            else tr(_("People named individually"))
        )
        if group.hidden or group.summary is None:
            lines.append(
                "• "
                + tr(
                    _(
                        "{group}: suppressed (too few answers, or it would reveal a smaller group)",
                        group=name,
                    )
                )
            )
        else:
            lines.append(f"• {name}: {_summary_text(group.summary, tr)}")
    return "\n".join(lines)


def results_blocks(
    tr: Translator,
    *,
    title: str,
    results: SurveyResults,
    department_names: Mapping[int, str],
    closed: bool,
) -> tuple[str, list[Block]]:
    """The results message: counts, per rated department, per question; small slices hidden."""
    rate = _pct(results.rate, tr) if results.rate is not None else "—"
    about = _("Results of “{title}”") if closed else _("Live results of “{title}” (still open)")
    heading = tr(about, title=title)  # a header: plain text, shown as typed
    text = tr(about, title=esc(title))
    counts = tr(
        _("{n} respondents of {invited} invited ({rate})."),
        n=results.respondents,
        invited=results.invited,
        rate=rate,
    )
    blocks: list[Block] = [b.header(heading), b.section(counts)]
    if results.hidden:
        note = tr(
            _(
                "Fewer than {n} people answered, so no results are shown: they could identify someone.",
                n=results.minimum,
            )
        )
        blocks.append(b.section(note))
        return f"{text}\n{counts}\n{note}", blocks
    department_lines = []
    for d in results.departments:
        name = department_names.get(d.department_id, "?")
        parts = []
        for summary, hidden, label in (
            (d.csat, d.csat_hidden, "CSAT"),
            (d.nps, d.nps_hidden, "NPS"),
        ):
            if summary is None:
                continue
            if hidden:
                parts.append(
                    tr(_("{label} suppressed (fewer than {n})", label=label, n=results.minimum))
                )
            elif summary.csat is not None:
                parts.append(f"CSAT {_pct(summary.csat, tr)} (n = {summary.n})")
            elif summary.nps is not None:
                parts.append(f"NPS {float(summary.nps):+.0f} (n = {summary.n})")
        if parts:
            department_lines.append(f"• *{strong(name)}*: " + " · ".join(parts))
    if department_lines:
        blocks.append(b.section("\n".join(department_lines)))
    for result in results.questions[:40]:
        blocks.append(
            b.section(
                _question_text(
                    result, tr, department_names, results.minimum, results.comment_minimum
                )
            )
        )
    blocks.append(
        b.context(
            tr(
                _(
                    "CSAT = share of ratings 4–5 on 1–5. NPS = % promoters (9–10) − % detractors (0–6) on 0–10. Groups under {n} respondents are suppressed, and so is the next-smallest group when a suppressed one could be worked out by subtraction.",
                    n=results.minimum,
                )
            )
        )
    )
    return f"{text}\n{counts}", blocks[: b.MAX_BLOCKS]


def list_blocks(
    tr: Translator, rows: Sequence[SurveyRow], *, project: str
) -> tuple[str, list[Block]]:
    """`/survey list`: open and scheduled surveys, what the reader still owes, rates for PMs."""
    if not rows:
        text = tr(
            _("No surveys in {project} yet. PMs start one with `/survey new`.", project=project)
        )
        return text, [b.section(text)]
    state_label = {
        "open": _("open until {closes}"),
        "scheduled": _("opens {opens}"),
        "closed": _("closed {closes}"),
    }
    lines = []
    for row in rows:
        state = tr(
            state_label[row.state], closes=when(row.closes_at, tr), opens=when(row.opens_at, tr)
        )
        line = f"*#{row.id}* {esc(row.title)} — {state}"
        if row.invited and row.state == "open":
            line += " · " + tr(
                _("✅ answered") if row.answered else _("⏳ waiting for your answer")
            )
        if row.counts is not None:
            invited, answered = row.counts
            rate = tr.percent(answered / invited) if invited else "—"
            line += " · " + tr(
                _("{answered}/{invited} answered ({rate})"),
                answered=answered,
                invited=invited,
                rate=rate,
            )
        lines.append(line)
    heading = tr(_("Surveys of {project}", project=project))
    return heading, [
        b.section(f"*{heading}*"),
        b.section("\n".join(lines)),
        b.context(tr(_("`/survey results <id>` shows results once a survey has closed."))),
    ]
