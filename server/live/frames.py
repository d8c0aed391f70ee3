"""The shapes of live messages and the queries that feed them."""

from datetime import datetime, timedelta
from typing import Any

PAGE = 500
EVENTS_AFTER = f"""
SELECT seq, topic, kind, grid_ids, payload, created_at FROM events
WHERE seq > %(after)s AND (%(upto)s::bigint IS NULL OR seq <= %(upto)s::bigint)
ORDER BY seq LIMIT {PAGE}
"""
# Two steps: the narrow marks of what changed (index on changed_at, re-read over the
# overlap every time), then the full rows of only the workers not sent yet.
CHANGED_MARKS = """
SELECT worker_id, changed_at FROM worker_state WHERE changed_at > %(since)s
"""
WORKER_ROWS = """
SELECT s.worker_id, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat, s.grid_id, s.status, s.on_duty,
       s.heading, s.speed, s.fix_time, s.changed_at,
       ARRAY(SELECT grid_id FROM worker_grids wg WHERE wg.worker_id = s.worker_id) AS grid_ids
FROM worker_state s
WHERE s.worker_id = ANY(%(ids)s)
"""
OVERLAP = timedelta(seconds=2)  # a transaction may commit a little after its timestamp


def event(row: dict[str, Any]) -> dict[str, Any]:
    """An outbox row as a client message."""
    return {"type": "event", "seq": row["seq"], "topic": row["topic"], "kind": row["kind"],
            "grid_ids": row["grid_ids"], "payload": row["payload"],
            "ts": row["created_at"].isoformat()}


def position(row: dict[str, Any]) -> dict[str, Any]:
    """A worker_state row as a compact position frame entry."""
    return {"id": row["worker_id"], "lon": round(row["lon"], 6), "lat": round(row["lat"], 6),
            "grid_id": row["grid_id"], "status": row["status"], "on_duty": row["on_duty"],
            "heading": row["heading"], "speed": row["speed"],
            "fix_time": row["fix_time"].isoformat()}


class PositionMarks:
    """Which worker changes were sent already, so overlapping reads send each change once."""

    def __init__(self) -> None:
        self.mark: datetime | None = None
        self.sent: dict[int, datetime] = {}

    def since(self) -> datetime:
        if self.mark is None:
            from datetime import UTC
            return datetime.now(UTC) - OVERLAP
        return self.mark - OVERLAP

    def fresh(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = [r for r in rows if self.sent.get(r["worker_id"]) != r["changed_at"]]
        for r in rows:
            self.sent[r["worker_id"]] = r["changed_at"]
            if self.mark is None or r["changed_at"] > self.mark:
                self.mark = r["changed_at"]
        return out


class Coalescer:
    """Holds each worker's newest change until that worker's previous frame is `every`
    seconds old: each worker moves on screen about once per `every`, yet a change of a
    worker not sent lately goes out at once instead of waiting for a shared tick.

    >>> c = Coalescer(every=1.0)
    >>> c.add([{"worker_id": 7, "n": 1}]); [r["n"] for r in c.due(now=10.0)]
    [1]
    >>> c.add([{"worker_id": 7, "n": 2}]); c.due(now=10.4), c.next_at()
    ([], 11.0)
    >>> c.add([{"worker_id": 7, "n": 3}]); [r["n"] for r in c.due(now=11.0)]
    [3]
    """

    def __init__(self, *, every: float) -> None:
        self.every = every
        self.pending: dict[int, dict[str, Any]] = {}
        self.last: dict[int, float] = {}

    def add(self, rows: list[dict[str, Any]]) -> None:
        for r in rows:
            self.pending[r["worker_id"]] = r

    def due(self, *, now: float) -> list[dict[str, Any]]:
        """The pending changes that may go out now (each worker's newest)."""
        ready = [w for w in self.pending if self.last.get(w, -self.every) + self.every <= now]
        for w in ready:
            self.last[w] = now
        return [self.pending.pop(w) for w in ready]

    def next_at(self) -> float | None:
        """When the earliest held change may go out; None when nothing is held."""
        if not self.pending:
            return None
        return min(self.last[w] + self.every for w in self.pending)
