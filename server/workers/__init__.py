"""workers domain."""
