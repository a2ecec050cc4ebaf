"""The Slack edge: parse requests, call services, render answers. No SQL, no business rules."""

from __future__ import annotations

from slack_bolt import App

from bot.app import Deps


def register_all(app: App, deps: Deps) -> None:
    """Register every middleware and listener on `app`."""
    from handlers import errors, events, middleware, routing
    from handlers.meetings import actions as meeting_actions
    from handlers.project import commands as project_commands

    middleware.register(app, deps)
    errors.register(app, deps)
    routing.register(app, deps)
    project_commands.register(app, deps)
    events.register(app, deps)
    meeting_actions.register(app, deps)
