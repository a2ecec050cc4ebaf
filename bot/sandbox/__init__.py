"""A local Slack sandbox: try the bot in a browser, without a Slack workspace.

`slack_api` is a Slack Web API stand-in (also the test suite's fake Slack); `workspace` keeps
what a Slack client would show (channel, DMs, App Home, modals, ephemeral messages) and turns
what the page does into Slack's signed requests to the bot; `site` serves the page; `server`
assembles it all for `python -m bot sandbox`.
"""
