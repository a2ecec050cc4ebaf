"""Fortnightly fund-use reports on Slack: `/funds report`, the prompt DM and its buttons."""
