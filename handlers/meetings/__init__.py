"""The weekly meeting reminder's buttons and the add-agenda-item modal."""
