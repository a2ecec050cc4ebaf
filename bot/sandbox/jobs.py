"""The sandbox's "run a job now" control: every scheduled job the bot knows, run at once.

Runs go through the same path as `python -m bot jobs run NAME` (so each period is still
posted once: a second run of a job for the same period sends nothing). Jobs are shown by
their translated names (`LABELS`), never by the registry's identifiers.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Final

from bot.app import Deps
from bot.i18n import Msg, Translator, _

# What the page calls each job: a person's words, not the registry's identifier.
LABELS: Final[dict[str, Msg]] = {
    "approval_nudge": _("Approval reminders"),
    "feedback_release": _("Anonymous feedback release"),
    "meeting_reminder": _("Meeting reminder"),
    "monthly_scorecard": _("Monthly scorecard"),
    "report_nudge": _("Report reminders"),
    "report_prompt": _("Report requests"),
    "report_summary": _("Report summary"),
    "risk_review": _("Risk review reminders"),
    "runway_check": _("Runway check"),
    "survey_close": _("Survey results"),
    "survey_open": _("Survey invitations"),
    "survey_reminder": _("Survey reminders"),
    "weekly_digest": _("Weekly digest"),
}
# What each job does, for the button's tooltip.
DESCRIPTIONS: Final[dict[str, Msg]] = {
    "approval_nudge": _("Hourly: reminds approvers of fund entries and change orders waiting."),
    "feedback_release": _(
        "Daily at 18:00: the day's anonymous feedback to the leads, all at once."
    ),
    "meeting_reminder": _("Weekly: the meeting's agenda to the project channel before it starts."),
    "monthly_scorecard": _("Monthly: last month's scorecard and its chart to the channel."),
    "report_nudge": _("Reminds the leads whose fund-use report is still missing."),
    "report_prompt": _("Asks each department lead for the fund-use report of the period."),
    "report_summary": _("Tells the channel who reported for the period and who did not."),
    "risk_review": _("Daily: reminds owners of open risks past their review date."),
    "runway_check": _("Daily: warns the channel when the funds run short."),
    "survey_close": _("Closes due surveys and posts their results."),
    "survey_open": _("Invites people to surveys that have opened."),
    "survey_reminder": _("Reminds people who have not answered an open survey."),
    "weekly_digest": _("Weekly: the project's digest and budget chart to the channel."),
}
OUTCOMES: Final[dict[str, Msg]] = {
    "done": _("done", context="sandbox"),
    "already done": _("already done", context="sandbox"),
    "running elsewhere": _("running elsewhere", context="sandbox"),
    "failed": _("failed", context="sandbox"),
    "skipped": _("skipped", context="sandbox"),
}


def label(name: str) -> Msg:
    """A job's name for people; an unknown one (a new kind) reads as words, not snake_case."""
    return LABELS.get(name) or Msg(name.replace("_", " ").capitalize())


@dataclass(frozen=True)
class JobInfo:
    name: str
    describe: str


@dataclass(frozen=True)
class RunLine:
    """One line of the page's job log, kept untranslated so it follows the page's language."""

    job: str
    outcome: str = ""
    sent: int = 0
    reason: Msg | None = None
    error: str | None = None
    results: list[RunLine] = field(default_factory=list)

    def show(self, tr: Translator) -> str:
        parts = []
        for line in self.results or [self]:
            what = tr(OUTCOMES[line.outcome]) if line.outcome in OUTCOMES else line.outcome
            text = tr(
                _("{job}: {outcome}, {n} sent", context="sandbox"),
                job=tr(label(line.job)),
                outcome=what,
                n=line.sent,
            )
            why = line.error or (tr(line.reason) if line.reason is not None else "")
            if why:
                text += tr(_(" ({reason})", context="sandbox"), reason=why)
            parts.append(text)
        return "; ".join(parts)


def _registry() -> dict[str, Any]:
    """The clock's job registry (name → kind), every job module loaded."""
    jobs = importlib.import_module("jobs")
    registry = importlib.import_module("jobs.registry")
    jobs.load_all()
    return dict(registry.REGISTRY)


def available() -> list[JobInfo]:
    """Every job that can be run now, by name."""
    return [JobInfo(name, str(kind.describe)) for name, kind in sorted(_registry().items())]


def run(deps: Deps, name: str, project_code: str) -> RunLine:
    """Run job `name` for the project now; what happened, for the page's job log."""
    manual = importlib.import_module("jobs.manual")
    results = manual.run_now(deps, name, project_code=project_code)
    return RunLine(
        name,
        outcome="done" if not results else "",
        results=[RunLine(r.job, r.outcome, r.sent, r.reason, r.error) for r in results],
    )
