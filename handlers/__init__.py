"""The Slack edge: parse requests, call services, render answers. No SQL, no business rules."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps


def register_all(app: App, deps: Deps) -> None:
    """Register every middleware and listener on `app`."""
    from handlers import errors, events, middleware, people, routing, suggest, workspaces
    from handlers.approvals import actions as approval_actions
    from handlers.feedback import actions as feedback_actions
    from handlers.feedback import commands as feedback_commands
    from handlers.funds import actions as funds_actions
    from handlers.funds import commands as funds_commands
    from handlers.home import actions as home_actions
    from handlers.imports import actions as import_actions
    from handlers.meetings import actions as meeting_actions
    from handlers.projects import actions as project_actions
    from handlers.projects import commands as project_commands
    from handlers.reports import actions as report_actions
    from handlers.risks import actions as risk_actions
    from handlers.risks import commands as risk_commands
    from handlers.steps import steps as workflow_steps
    from handlers.surveys import actions as survey_actions
    from handlers.surveys import commands as survey_commands

    middleware.register(app, deps)
    people.register(app, deps)
    errors.register(app, deps)
    routing.register(app, deps)
    project_commands.register(app, deps)
    project_actions.register(app, deps)
    funds_commands.register(app, deps)
    funds_actions.register(app, deps)
    approval_actions.register(app, deps)
    report_actions.register(app, deps)
    risk_commands.register(app, deps)
    risk_actions.register(app, deps)
    survey_commands.register(app, deps)
    survey_actions.register(app, deps)
    feedback_commands.register(app, deps)
    feedback_actions.register(app, deps)
    events.register(app, deps)
    meeting_actions.register(app, deps)
    home_actions.register(app, deps)
    import_actions.register(app, deps)
    workspaces.register(app, deps)
    workflow_steps.register(app, deps)
    suggest.register(app, deps)
