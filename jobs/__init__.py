"""Scheduled jobs: `jobs/` decides *when*; services decide *what*."""
