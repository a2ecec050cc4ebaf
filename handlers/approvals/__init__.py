"""Fund control at the Slack edge: approvals (DM buttons, `/funds approvals`), change
orders (`/funds change`, a line's history) and the policy screen (`/funds policy`)."""
