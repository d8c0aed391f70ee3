"""tiles domain."""
