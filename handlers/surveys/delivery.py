"""Sending what surveys send: invitations, reminders, results to the command channel.

Each send is claimed in the database first (a conditional update that only one caller
wins), so calling any of these twice — a retry, a second clock, a manual run — sends
nothing twice. A send that fails releases its claim for the next run.
"""

from __future__ import annotations

import datetime as dt
import logging

from slack_sdk import WebClient

from bot.deps import Deps
from bot.i18n import translator
from bot.services import surveys
from handlers.common import post_to_channel
from handlers.surveys import views

log = logging.getLogger("icrm.surveys")


def _dm(deps: Deps, client: WebClient, survey_id: int, user_id: str, *, reminder: bool) -> None:
    with deps.uow() as uow:
        survey = uow.surveys.get_any(survey_id)
        if survey is None:
            return
        project = uow.surveys.project_of(survey)
        tr = translator(project.locale)
        privacy = tr(
            surveys.privacy_note(
                survey.anonymous,
                survey.live_results,
                *surveys.thresholds(survey, project),
            )
        )
        text, blocks = views.invitation(
            tr,
            survey_id=survey.id,
            title=survey.title,
            project=project.code,
            closes_at=survey.closes_at,
            privacy=privacy,
            reminder=reminder,
        )
    client.chat_postMessage(channel=user_id, text=text, blocks=blocks)


def _send(
    deps: Deps, client: WebClient, pairs: list[tuple[int, str]], column: str, now: dt.datetime
) -> int:
    sent = 0
    for survey_id, user_id in pairs:
        with deps.uow() as uow:
            won = uow.surveys.claim(survey_id, user_id, column, now)
            uow.commit()
        if not won:
            continue
        try:
            _dm(deps, client, survey_id, user_id, reminder=column == "reminded_at")
            sent += 1
        except Exception:
            log.exception("could not DM %s about survey %s", user_id, survey_id)
            with deps.uow() as uow:
                uow.surveys.release(survey_id, user_id, column)
                uow.commit()
    return sent


def send_invitations(
    deps: Deps, client: WebClient, now: dt.datetime, project_id: int | None = None
) -> int:
    """DM everyone of an open survey who has not been invited yet; return how many."""
    with deps.uow() as uow:
        pairs = surveys.pending_invitations(uow, now, project_id)
    return _send(deps, client, pairs, "invited_at", now)


def send_reminders(
    deps: Deps, client: WebClient, now: dt.datetime, project_id: int | None = None
) -> int:
    """DM non-respondents of surveys closing within a day, once each; return how many."""
    with deps.uow() as uow:
        pairs = surveys.due_reminders(uow, now, project_id)
    return _send(deps, client, pairs, "reminded_at", now)


def post_results(
    deps: Deps, client: WebClient, now: dt.datetime, project_id: int | None = None
) -> int:
    """Close surveys whose time is up and post each closed survey's results once to its
    project's command channel; return how many were posted."""
    with deps.uow() as uow:
        ids = surveys.close_due(uow, now, project_id)
    posted = 0
    for survey_id in ids:
        with deps.uow() as uow:
            if not uow.surveys.claim_results(survey_id, now):
                continue
            uow.commit()
        try:
            with deps.uow() as uow:
                survey = uow.surveys.get_any(survey_id)
                assert survey is not None
                project = uow.surveys.project_of(survey)
                results = surveys.compute_results(uow, survey)
                names = {d.id: d.name for d in uow.projects.departments(project.id)}
                tr = translator(project.locale)
                text, blocks = views.results_blocks(
                    tr, title=survey.title, results=results, department_names=names, closed=True
                )
                channel, fallback = project.channel_id, survey.created_by
            post_to_channel(client, channel, text, blocks, tr=tr, fallback_user=fallback)
            posted += 1
        except Exception:
            log.exception("could not post results of survey %s", survey_id)
            with deps.uow() as uow:
                survey = uow.surveys.get_any(survey_id)
                if survey is not None:
                    survey.results_posted_at = None
                uow.commit()
    return posted
