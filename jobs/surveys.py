"""Survey jobs for the clock: `survey_open`, `survey_reminder`, `survey_close`.

Each takes `deps`, a project code (ignored: each run covers every project, so one schedule
of a few minutes' interval is enough) and the time to act for, and returns how many messages
it sent. They are idempotent: each send is recorded before it is made (see
`handlers/surveys/delivery.py`), so a second call, a second clock or a restart sends nothing
twice.
"""

from __future__ import annotations

import datetime as dt

from bot.app import Deps
from bot.slack import make_web_client
from handlers.surveys import delivery


def survey_open(deps: Deps, project_code: str | None, at: dt.datetime) -> int:
    """Invite the audience of every survey that has opened by `at` (DMs with an answer button)."""
    return delivery.send_invitations(deps, make_web_client(deps.settings), at)


def survey_reminder(deps: Deps, project_code: str | None, at: dt.datetime) -> int:
    """Remind non-respondents of surveys closing within a day, once each."""
    return delivery.send_reminders(deps, make_web_client(deps.settings), at)


def survey_close(deps: Deps, project_code: str | None, at: dt.datetime) -> int:
    """Close surveys whose time is up and post their results to the command channel, once."""
    return delivery.post_results(deps, make_web_client(deps.settings), at)
