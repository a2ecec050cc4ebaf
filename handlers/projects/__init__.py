"""Project set-up on Slack: `/icrm` and its modals."""
