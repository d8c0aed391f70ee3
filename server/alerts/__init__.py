"""Alerts: a worker outside their grid, silent while on duty, or calling SOS."""
