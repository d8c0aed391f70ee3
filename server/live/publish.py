"""Writing to the events outbox inside the caller's transaction."""

import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Held until commit, so events commit in seq order and listeners never skip a late seq.
OUTBOX_LOCK = 7_420_001
POSITIONS_CHANNEL = "gridlink_positions"


async def publish(*, db: AsyncSession, topic: str, kind: str, grid_ids: list[int],
                  payload: dict[str, Any]) -> int:
    """Append an event; the trigger notifies listeners when the transaction commits."""
    await db.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": OUTBOX_LOCK})
    seq = await db.scalar(
        text("INSERT INTO events (topic, kind, grid_ids, payload) "
             "VALUES (:topic, :kind, :grid_ids, CAST(:payload AS jsonb)) RETURNING seq"),
        {"topic": topic, "kind": kind, "grid_ids": grid_ids, "payload": _json(payload)})
    return int(seq)


async def announce_positions(*, db: AsyncSession) -> None:
    """Tell every hub that worker_state changed (coalesced there, no payload)."""
    await db.execute(text("SELECT pg_notify(:c, '')"), {"c": POSITIONS_CHANNEL})


def _json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, default=str)
