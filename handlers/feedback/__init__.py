"""Feedback between departments on Slack: `/feedback`, its modals and the lead's buttons."""
