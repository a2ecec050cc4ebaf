"""Messages of the clock's own jobs that no domain's handlers render (risk review DMs)."""
