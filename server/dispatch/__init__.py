"""Dispatch: candidates, assignment, claims, deadlines and escalation."""
