"""Block Kit of the App Home: a pure function of `bot.services.home.Home` data.

The Home tab holds at most 100 blocks whatever the data: each project's lists are cut (with
an "and N more" line naming the command that shows everything), and projects that do not
fit are named in one closing line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from slack_sdk.models.blocks import Block, ButtonElement
from slack_sdk.models.views import View

from bot.i18n import Msg, Translator, _, translator
from bot.services.feedback import FeedbackItem
from bot.services.funds import budget_used
from bot.services.home import (
    Home,
    MyRisk,
    OwedReport,
    PmGlance,
    PmRisk,
    ProjectHome,
    WaitingSurvey,
)
from bot.services.surveys import OpenSurvey
from handlers import blocks as b
from handlers.feedback.ids import FeedbackAction
from handlers.funds.views import used_text
from handlers.home.ids import HomeAction, PmAction
from handlers.reports.ids import OpenValue, ReportAction
from handlers.risks.views.labels import LEVEL, LEVEL_EMOJI
from handlers.surveys.ids import SurveyAction
from handlers.text import esc, percent, period_dates, slack_time, strong

MAX_HOME_BLOCKS: Final = b.MAX_BLOCKS
# Room kept at the end for the "and N more projects" line.
RESERVED: Final = 1
# Departments named one by one (with a *Nudge* button) under missing reports.
MAX_PM_REPORTS: Final = 4


def home_view(home: Home, default_locale: str) -> View:
    """The Home tab for `home.user_id`: one part per project, or how to start."""
    tr = translator(home.locale or default_locale)
    if not home.projects:
        return View(type="home", blocks=newcomer_blocks(tr))
    blocks: list[Block] = [
        b.header(tr(_("Your projects"))),
        b.context(tr(_("Budget, reports you owe and risks you own. Updated as things change."))),
    ]
    shown = 0
    for part in home.projects:
        more = project_blocks(part)
        if len(blocks) + len(more) > MAX_HOME_BLOCKS - RESERVED:
            break
        blocks += more
        shown += 1
    rest = home.projects[shown:]
    if rest:
        codes = ", ".join(p.project.code for p in rest)
        blocks.append(
            b.context(
                tr(
                    _("More projects ({n}): {codes}. Open their channels to see them."),
                    n=len(rest),
                    codes=codes,
                )
            )
        )
    return View(type="home", blocks=blocks)


def newcomer_blocks(tr: Translator) -> list[Block]:
    return [
        b.header(tr(_("Welcome to ICRM"))),
        b.section(
            tr(
                _(
                    "You are not in any project yet. A PM starts one by running `/icrm setup` in the project's channel (its joint command centre): a form asks for the code, name, currency, total budget and schedule, and the project starts with the usual departments (finance, engineering, legal, operations…) and a default responsibility matrix. Then `/icrm departments` adds leads and members — once you are in a department, your projects, reports and risks appear here."
                )
            )
        ),
    ]


def _role(part: ProjectHome, tr: Translator) -> str:
    roles = []
    if part.is_pm:
        roles.append(tr(_("PM")))
    if part.leads:
        roles.append(tr(_("lead of {departments}"), departments=esc(", ".join(part.leads))))
    return " · ".join(roles) or tr(_("member"))


def _budget_fields(part: ProjectHome, tr: Translator) -> list[tuple[str, str]]:
    budget, currency = part.budget, part.project.currency
    used = budget_used(budget.spent, total_budget=budget.total_budget, allocated=budget.allocated)
    runway = (
        tr(_("{weeks} weeks"), weeks=tr.number(budget.runway_weeks, 1))
        if budget.runway_weeks is not None
        else "—"
    )
    if budget.runway_below:
        runway = "⚠️ " + tr(
            _("{runway} (under {n} weeks)"), runway=runway, n=budget.runway_threshold
        )
    fields = [
        (tr(_("Total budget")), tr.money(budget.total_budget, currency)),
        (tr(_("Allocated to lines")), tr.money(budget.allocated, currency)),
        (tr(_("Spent", context="home")), tr.money(budget.spent, currency)),
        (tr(_("Used")), used_text(used, tr)),
        (tr(_("Runway")), runway),
    ]
    if budget.pending:
        fields.append((tr(_("Pending approval")), tr.money(budget.pending, currency)))
    if budget.waiting_for_me:
        fields.append(
            (
                tr(_("Waiting for your approval")),
                tr(_("{n} · `/funds approvals`"), n=budget.waiting_for_me),
            )
        )
    return fields


def _report_block(part: ProjectHome, report: OwedReport, tr: Translator) -> Block:
    dates = period_dates(report.period, tr)
    late = f" · *{tr(_('late'))}*" if report.status == "late" else ""
    text = tr(
        _("*{department}* · {dates} · due {due}"),
        department=strong(report.department_name),
        dates=dates,
        due=slack_time(report.due_at),
    )
    value = OpenValue(p=part.project.id, d=report.department_id, k=report.period.key)
    return b.section(
        text + late,
        accessory=b.button(
            tr(_("Submit")), ReportAction.OPEN, value.model_dump_json(), style="primary"
        ),
    )


def _risk_text(message: Msg, risk: MyRisk | PmRisk, tr: Translator, **more: str) -> str:
    """`message` told of the risk (emoji, number, title, level) and `more`."""
    return tr(
        message,
        emoji=LEVEL_EMOJI[risk.level],
        number=risk.number,
        title=esc(b.clip(risk.title, 200)),
        level=tr(LEVEL[risk.level]),
        **more,
    )


def _risk_line(risk: MyRisk, tr: Translator) -> str:
    due = tr.date(risk.due_on) if risk.due_on else "—"
    review = tr.date(risk.review_on) if risk.review_on else "—"
    return _risk_text(
        _("{emoji} *R-{number}* {title} · {level} · due {due} · review {review}"),
        risk,
        tr,
        due=due,
        review=review,
    )


def _more(shown: int, total: int, command: str, tr: Translator) -> list[Block]:
    if total <= shown:
        return []
    return [b.context(tr(_("and {n} more — {command}"), n=total - shown, command=command))]


def _part(
    title: str, rows: Sequence[Block], total: int, command: str, tr: Translator
) -> list[Block]:
    """A part of the Home: its bold title, a row each of the first items, and where to see
    the rest of the `total`."""
    return [b.section(f"*{title}*"), *rows, *_more(len(rows), total, command, tr)]


def project_blocks(part: ProjectHome) -> list[Block]:
    """One project's part of the Home, in the project's language (at most 31 blocks, and
    for a PM at most 24 more; `home_view` keeps the whole within 100)."""
    tr = part.project.tr
    blocks: list[Block] = [
        b.divider(),
        b.section(
            f"*{b.clip(part.project.code, 20)} · {strong(b.clip(part.project.name, 200))}*  <#{part.project.channel_id}>\n"
            f"{_role(part, tr)}"
        ),
        b.fields(_budget_fields(part, tr)),
    ]
    if part.pm is not None:
        blocks += pm_blocks(part, part.pm, tr)
    if part.leads:
        if part.reports:
            rows = [_report_block(part, r, tr) for r in part.reports]
            title = tr(_("Fortnightly fund-use reports you owe"))
            blocks += _part(title, rows, part.reports_total, "/funds report", tr)
        else:
            blocks.append(b.context(tr(_("No fortnightly report owed. ✓"))))
    if part.risks:
        lines = "\n".join(_risk_line(r, tr) for r in part.risks)
        blocks.append(b.section(f"*{tr(_('Your open risks'))}*\n{lines}"))
        blocks += _more(len(part.risks), part.risks_total, "/risk list mine", tr)
    if part.surveys:
        blocks += _survey_blocks(part, tr)
    if part.feedback:
        blocks += _feedback_blocks(part, tr)
    blocks.append(b.actions(*_quick_actions(part, tr)))
    return blocks


def _survey_line(survey: WaitingSurvey, tr: Translator) -> str:
    return tr(
        _("#{id} {title} · closes {closes}"),
        id=survey.id,
        title=esc(b.clip(survey.title, 150)),
        closes=slack_time(survey.closes_at),
    )


def _survey_blocks(part: ProjectHome, tr: Translator) -> list[Block]:
    """Each survey with its *Answer* button beside it."""
    rows = [
        b.section(
            _survey_line(s, tr),
            accessory=b.button(
                tr(_("Answer #{id}"), id=s.id), b.indexed(SurveyAction.ANSWER, i), str(s.id)
            ),
        )
        for i, s in enumerate(part.surveys)
    ]
    title = tr(_("Surveys waiting for your answer"))
    return _part(title, rows, part.surveys_total, "/survey list", tr)


def _feedback_line(item: FeedbackItem, tr: Translator) -> str:
    source = item.from_department or tr(_("no department"))
    return tr(
        _("{stars} to {to} from {source}: {comment}"),
        stars="★" * item.rating + "☆" * (5 - item.rating),
        to=esc(b.clip(item.to_department, 40)),
        source=esc(b.clip(source, 40)),
        comment=esc(b.clip(item.comment, 150)),
    )


def _feedback_blocks(part: ProjectHome, tr: Translator) -> list[Block]:
    """New feedback to the departments I lead, each with its *Acknowledge* button beside it
    (never who wrote it: the lead's DM has that)."""
    rows = [
        b.section(
            _feedback_line(item, tr),
            accessory=b.button(
                tr(_("Acknowledge #{id}"), id=item.id),
                b.indexed(FeedbackAction.ACKNOWLEDGE, i),
                str(item.id),
            ),
        )
        for i, item in enumerate(part.feedback)
    ]
    title = tr(_("New feedback to your department"))
    return _part(title, rows, part.feedback_total, "/feedback list", tr)


# -- what a PM acts on across the project ------------------------------------------------


def _pm_risk(risk: PmRisk, tr: Translator) -> Block:
    owner = f"<@{risk.owner_id}>" if risk.owner_id else tr(_("no owner"))
    text = _risk_text(_("{emoji} *R-{number}* {title} · {level} · {owner}"), risk, tr, owner=owner)
    return b.section(
        text, accessory=b.button(tr(_("Open", context="home")), PmAction.OPEN_RISK, str(risk.id))
    )


def _pm_survey(part: ProjectHome, survey: OpenSurvey, tr: Translator) -> Block:
    rate = percent(survey.rate, tr)
    text = tr(
        _("#{id} {title} · {answered} of {invited} answered ({rate}) · closes {closes}"),
        id=survey.id,
        title=esc(b.clip(survey.title, 150)),
        answered=survey.answered,
        invited=survey.invited,
        rate=rate,
        closes=slack_time(survey.closes_at),
    )
    value = f"{part.project.id}:{survey.id}"
    return b.section(text, accessory=b.button(tr(_("Results")), PmAction.SURVEY_RESULTS, value))


def pm_blocks(part: ProjectHome, pm: PmGlance, tr: Translator) -> list[Block]:
    """Project-wide items a PM acts on, each with its button beside it (at most 24 blocks)."""
    value = str(part.project.id)
    summary = b.button(tr(_("Funds summary")), PmAction.FUNDS_SUMMARY, value)
    blocks: list[Block] = []
    if part.budget.runway_below:
        blocks.append(
            b.section(
                tr(
                    _("⚠️ *Runway under {n} weeks*: a funding-chain break is near."),
                    n=part.budget.runway_threshold,
                ),
                accessory=summary,
            )
        )
    if pm.risks:
        rows = [_pm_risk(r, tr) for r in pm.risks]
        title = tr(_("Open high and critical risks"))
        blocks += _part(title, rows, pm.risks_total, "/risk list high", tr)
    blocks += _pm_reports(pm, tr)
    if pm.feedback:
        lines = "\n".join(
            tr(_("{department}: {n} not acknowledged"), department=esc(f.department), n=f.new)
            for f in pm.feedback
        )
        blocks.append(
            b.section(
                f"*{tr(_('Feedback waiting for acknowledgement'))}*\n{lines}",
                accessory=b.button(tr(_("See feedback")), PmAction.SEE_FEEDBACK, value),
            )
        )
    if pm.surveys:
        rows = [_pm_survey(part, s, tr) for s in pm.surveys]
        blocks += _part(tr(_("Open surveys")), rows, pm.surveys_total, "/survey list", tr)
    blocks += _pm_lines(part, pm, tr)
    return blocks


def _pm_reports(pm: PmGlance, tr: Translator) -> list[Block]:
    """The fund-use reports missing for the period, each with a Nudge for its lead."""
    if not pm.reports or pm.report_period is None:
        return []
    span = period_dates(pm.report_period, tr)
    blocks: list[Block] = [
        b.section(f"*{tr(_('Fund-use reports missing for {span}'), span=span)}*")
    ]
    for report in pm.reports[:MAX_PM_REPORTS]:
        state = tr(_("late")) if report.status == "late" else tr(_("pending", context="home"))
        lead = f"<@{report.lead_user_id}>" if report.lead_user_id else tr(_("no lead"))
        nudge = (
            b.button(tr(_("Nudge")), PmAction.NUDGE_REPORT, str(report.report_id))
            if report.lead_user_id
            else None
        )
        blocks.append(
            b.section(f"*{strong(report.department_name)}* · {state} · {lead}", accessory=nudge)
        )
    if len(pm.reports) > MAX_PM_REPORTS:
        rest = ", ".join(r.department_name for r in pm.reports[MAX_PM_REPORTS:])
        blocks.append(b.context(tr(_("Also missing: {departments}"), departments=esc(rest))))
    return blocks


def _pm_lines(part: ProjectHome, pm: PmGlance, tr: Translator) -> list[Block]:
    """The budget lines at 90 % or more, with the funds summary button."""
    if not pm.lines:
        return []
    lines = "\n".join(
        tr(
            _("*{line}* · {percent} of {allocated}"),
            line=strong(b.clip(line.name, 100)),
            percent=percent(line.ratio, tr),
            allocated=tr.money(line.revised, part.project.currency),
        )
        for line in pm.lines
    )
    more = (
        "\n" + tr(_("and {n} more"), n=pm.lines_total - len(pm.lines))
        if pm.lines_total > len(pm.lines)
        else ""
    )
    value = str(part.project.id)
    return [
        b.section(
            f"*{tr(_('Budget lines at 90% or more'))}*\n{lines}{more}",
            accessory=b.button(tr(_("Funds summary")), PmAction.FUNDS_SUMMARY, value),
        )
    ]


def _quick_actions(part: ProjectHome, tr: Translator) -> list[ButtonElement]:
    value = str(part.project.id)
    return [
        b.button(tr(_("Give feedback")), HomeAction.GIVE_FEEDBACK, value),
        b.button(tr(_("Flag a risk")), HomeAction.FLAG_RISK, value),
        b.button(tr(_("Record fund use")), HomeAction.RECORD_FUNDS, value),
    ]
