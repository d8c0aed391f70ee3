"""meta domain."""
