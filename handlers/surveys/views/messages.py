"""Block Kit for surveys: pure functions of data and a translator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction

from slack_sdk.models.blocks import (
    Block,
)

from bot.i18n import Msg, Translator, _
from bot.services.survey_results import (
    QuestionResult,
    Summary,
    SurveyResults,
)
from bot.services.surveys import (
    SurveyRow,
)
from handlers import blocks as b
from handlers.surveys.ids import SurveyAction
from handlers.text import esc, slack_time, strong
from storage.models import QuestionKind

KIND_LABEL: dict[str, Msg] = {
    QuestionKind.RATING: _("Rating 1–5"),
    QuestionKind.NPS: _("0–10 (NPS)"),
    QuestionKind.CHOICE: _("Single choice"),
    QuestionKind.TEXT: _("Free text"),
}


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
        closes=slack_time(closes_at),
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


def _department_lines(
    tr: Translator, results: SurveyResults, department_names: Mapping[int, str]
) -> list[str]:
    """One line per rated department: its CSAT / NPS, or that it is suppressed."""
    lines = []
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
            lines.append(f"• *{strong(name)}*: " + " · ".join(parts))
    return lines


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
    department_lines = _department_lines(tr, results, department_names)
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
            state_label[row.state], closes=slack_time(row.closes_at), opens=slack_time(row.opens_at)
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
