"""Surveys on Slack: `/survey`, the creation and answer modals, DMs and results."""
