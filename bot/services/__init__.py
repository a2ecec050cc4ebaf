"""Business rules, one module per domain. Nothing here imports Slack."""
