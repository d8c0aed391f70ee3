"""Reporters' points ledger (10 per valid report, 50 redeemable)."""
