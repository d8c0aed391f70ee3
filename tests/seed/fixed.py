"""The fixed clock the seed tests generate at."""

from datetime import UTC, datetime

NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
