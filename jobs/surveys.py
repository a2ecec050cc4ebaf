"""Survey jobs for the clock: `survey_open`, `survey_reminder`, `survey_close`.

Each fires at its project's survey times (`bot.services.surveys.survey_times`: a survey's
`opens_at`, `closes_at` − a day, `closes_at`, as an APScheduler `TimesTrigger` re-read at
each reconcile), not on a poll: a project without surveys has no survey runs at all.

Every send goes through the queued outbox (`jobs/outbox.py`): the person's `invited_at` /
`reminded_at` (or the survey's `results_posted_at`) is claimed in the same transaction that
queues the message, keyed `survey:<id>:<what>[:<user>]`, and a deliverer pass sends it. So
a second call, a second clock, a manual `jobs run` or a restart sends nothing twice, and a
crash between the commit and the send leaves a row the next pass sends.

The functions below take `deps`, a project code (ignored: a call covers every project), the
time to act for, and return how many of the messages they queued were sent.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

from bot.deps import Deps
from bot.i18n import Msg, _, translator
from bot.services import surveys
from handlers.surveys import views
from jobs import outbox
from jobs.registry import JobKind, register
from jobs.runner import RunContext
from storage.models import Project
from storage.uow import UnitOfWork

INVITE, REMIND, RESULTS = "survey_invite", "survey_reminder", "survey_results"


def _column(kind: str) -> str:
    return "invited_at" if kind == INVITE else "reminded_at"


def _queue_dms(
    uow: UnitOfWork, pairs: list[tuple[int, str]], kind: str, at: dt.datetime
) -> list[str]:
    """Claim each (survey, user) of `pairs` and queue the claimed users their survey's
    invitation (or reminder), one DM each; the keys queued."""
    keys: list[str] = []
    for survey_id, group in itertools.groupby(pairs, key=lambda pair: pair[0]):
        users = [
            user for _id, user in group if uow.surveys.claim(survey_id, user, _column(kind), at)
        ]
        if not users:
            continue  # somebody else queued them
        survey = uow.surveys.get_any(survey_id)
        assert survey is not None
        project = uow.surveys.project_of(survey)
        tr = translator(project.locale)
        privacy = tr(
            surveys.privacy_note(
                survey.anonymous, survey.live_results, *surveys.thresholds(survey, project)
            )
        )
        text, blocks = views.invitation(
            tr,
            survey_id=survey.id,
            title=survey.title,
            project=project.code,
            closes_at=survey.closes_at,
            privacy=privacy,
            reminder=kind == REMIND,
        )
        keys += outbox.enqueue_each(
            uow,
            project_id=project.id,
            kind=kind,
            key_prefix=f"survey:{survey_id}:{'invite' if kind == INVITE else 'remind'}:",
            recipients=users,
            text=text,
            blocks=blocks,
        )
    return keys


def queue_invitations(deps: Deps, at: dt.datetime, project_id: int | None = None) -> list[str]:
    """Queue an invitation to everyone of a survey open at `at` not invited yet (claimed in
    the same transaction); the keys queued."""
    with deps.uow() as uow:
        keys = _queue_dms(uow, surveys.pending_invitations(uow, at, project_id), INVITE, at)
        uow.commit()
    return keys


def queue_reminders(deps: Deps, at: dt.datetime, project_id: int | None = None) -> list[str]:
    """Queue one reminder to each invited non-respondent of a survey whose reminder is due
    (`bot.services.surveys.reminder_at`)."""
    with deps.uow() as uow:
        keys = _queue_dms(uow, surveys.due_reminders(uow, at, project_id), REMIND, at)
        uow.commit()
    return keys


def queue_results(deps: Deps, at: dt.datetime, project_id: int | None = None) -> list[str]:
    """Close the surveys whose time is up by `at`, and queue each closed survey's results for
    its command channel once (the PM who made it gets them by DM if the bot cannot post
    there); the keys queued."""
    with deps.uow() as uow:
        ids = surveys.close_due(uow, at, project_id)
    keys = []
    for survey_id in ids:
        with deps.uow() as uow:
            if not uow.surveys.claim_results(survey_id, at):
                continue
            survey = uow.surveys.get_any(survey_id)
            assert survey is not None
            project = uow.surveys.project_of(survey)
            results = surveys.compute_results(uow, survey)
            names = uow.projects.department_names(project.id)
            text, blocks = views.results_blocks(
                translator(project.locale),
                title=survey.title,
                results=results,
                department_names=names,
                closed=True,
            )
            key = f"survey:{survey_id}:results"
            outbox.to_channel_in(
                uow, project, RESULTS, key, text, blocks, fallback_user=survey.created_by
            )
            uow.commit()
        keys.append(key)
    return keys


def _send(deps: Deps, keys: list[str]) -> int:
    return outbox.deliver(deps, keys=keys) if keys else 0


def survey_open(deps: Deps, project_code: str | None, at: dt.datetime) -> int:
    """Invite the audience of every survey that has opened by `at` (DMs with an answer button)."""
    return _send(deps, queue_invitations(deps, at))


def survey_reminder(deps: Deps, project_code: str | None, at: dt.datetime) -> int:
    """Remind non-respondents of surveys whose reminder is due, once each."""
    return _send(deps, queue_reminders(deps, at))


def survey_close(deps: Deps, project_code: str | None, at: dt.datetime) -> int:
    """Close surveys whose time is up and post their results to the command channel, once."""
    return _send(deps, queue_results(deps, at))


def send_invitations(deps: Deps, at: dt.datetime, project_id: int) -> int:
    """After a survey that opens at once was created (on `deps.background`): queue the
    project's invitations and send them; if this dies, the clock's `survey_open`, due at
    the survey's opening, sends what is left."""
    return _send(deps, queue_invitations(deps, at, project_id))


def send_results(deps: Deps, at: dt.datetime, project_id: int) -> int:
    """After a PM closed a survey (on `deps.background`): queue and send its results."""
    return _send(deps, queue_results(deps, at, project_id))


# -- as job kinds on the clock ---------------------------------------------------------------
# Each fires at the project's own survey times; a run acts on everything due by its instant
# (`ctx.as_of()`), so a run caught up late, or one covering two surveys of the same minute,
# still sends each message once. Late is never too late for a survey still open (a missed
# invitation is still worth sending), hence a grace as long as the look-back.

LOOKBACK = dt.timedelta(days=35)


def _kind(
    name: str,
    describe: str,
    queue: Callable[[Deps, dt.datetime, int | None], list[str]],
    times: Callable[[surveys.SurveyTimes], tuple[dt.datetime, ...]],
    quiet: Msg,
) -> JobKind:
    def run(ctx: RunContext) -> Msg | None:
        keys = queue(ctx.deps, ctx.as_of(), ctx.project_id)
        if not keys:
            return quiet
        ctx.deliver_queued(keys)
        return None

    def fire_times(uow: UnitOfWork, project: Project) -> list[dt.datetime]:
        return list(times(surveys.survey_times(uow, project.id, uow.now() - LOOKBACK)))

    return register(
        JobKind(
            name=name,
            describe=describe,
            trigger=lambda project: None,
            fire_times=fire_times,
            run=run,
            lookback=LOOKBACK,
            grace=LOOKBACK,
            not_due=quiet,
        )
    )


_kind(
    "survey_open",
    "at a survey's opening: invitations to its audience",
    queue_invitations,
    lambda t: t.opens,
    _("No survey of this project has opened with someone still to invite."),
)
_kind(
    "survey_reminder",
    "a day before a survey closes (halfway through a shorter one): one reminder to those who have not answered",
    queue_reminders,
    lambda t: t.reminders,
    _("No survey due for its reminder has someone left to remind."),
)
_kind(
    "survey_close",
    "when a survey closes: close it, results to the command channel",
    queue_results,
    lambda t: t.closes,
    _("No survey of this project is due to close."),
)
