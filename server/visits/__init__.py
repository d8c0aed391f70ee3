"""Household visits (入户走访): check-ins at a household, targets by care color, overdue."""
