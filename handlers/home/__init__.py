"""The App Home: a dashboard of the user's projects, published on open and after changes."""
