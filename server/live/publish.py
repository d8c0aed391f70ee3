"""Writing to the events outbox inside the caller's transaction."""

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Held until commit, so events commit in seq order and listeners never skip a late seq.
OUTBOX_LOCK = 7_420_001
POSITIONS_CHANNEL = "gridlink_positions"
NOTIFY_IDS = 900  # worker ids per notification: well inside PostgreSQL's 8,000-byte payload


async def publish(*, db: AsyncSession, topic: str, kind: str, grid_ids: list[int],
                  payload: dict[str, Any]) -> int:
    """Append an event; the trigger notifies listeners when the transaction commits."""
    await db.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": OUTBOX_LOCK})
    seq = await db.scalar(
        text("INSERT INTO events (topic, kind, grid_ids, payload) "
             "VALUES (:topic, :kind, :grid_ids, CAST(:payload AS jsonb)) RETURNING seq"),
        {"topic": topic, "kind": kind, "grid_ids": grid_ids, "payload": _json(payload)})
    return int(seq)


async def announce_positions(*, db: AsyncSession, worker_ids: Sequence[int]) -> None:
    """Tell every hub, at commit, which workers' latest state changed (as comma-separated
    ids, a few hundred per notification); the hubs read and coalesce them."""
    ids = [str(w) for w in worker_ids]
    payloads = [",".join(ids[i:i + NOTIFY_IDS]) for i in range(0, len(ids), NOTIFY_IDS)]
    await db.execute(text("SELECT pg_notify(:c, p) FROM unnest(CAST(:p AS text[])) p"),
                     {"c": POSITIONS_CHANNEL, "p": payloads or [""]})


def _json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, default=str)
