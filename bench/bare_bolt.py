"""The baseline for bench/ack_latency.py: a bare Bolt app, no database, served the same way.

`/icrm` acks with a short text and the `project_setup` view submission just acks; Bolt's
request verification, parsing and listener thread are all that run. Gunicorn loads it
with the Procfile's `web:` settings: `bench.bare_bolt:create_wsgi_app()`.
"""

from __future__ import annotations

import os

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient


def create_wsgi_app() -> SlackRequestHandler:
    client = WebClient(
        token=os.environ["SLACK_BOT_TOKEN"],
        base_url=os.environ.get("SLACK_API_URL", "https://slack.com/api/"),
    )
    app = App(signing_secret=os.environ["SLACK_SIGNING_SECRET"], client=client)

    @app.command("/icrm")
    def icrm(ack: Ack) -> None:
        ack(text="Here is what `/icrm` can do.")

    @app.view("project_setup")
    def setup(ack: Ack) -> None:
        ack()

    return SlackRequestHandler(app)
