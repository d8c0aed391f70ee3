"""Idempotency-Key handling for mutating endpoints phones call."""
