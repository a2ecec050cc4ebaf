"""ICRM bot: internal customer relationship management for project-finance teams, in Slack."""
