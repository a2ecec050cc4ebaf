"""Fund use on Slack: `/funds` and its modals."""
