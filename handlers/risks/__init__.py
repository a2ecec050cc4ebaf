"""Risks on Slack: `/risk`, the "Flag a risk" shortcuts, the escalation message and its buttons."""
