"""The weekly digest: its message and the `/icrm digest` command."""
