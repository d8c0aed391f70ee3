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
    """Which worker changes were sent already, so overlapping reads send each change once.

    Used when a hub does not know which workers changed: a notification without their ids
    (the ticker's offline marks), or a listener that was away."""

    def __init__(self) -> None:
        self.mark: datetime | None = None
        self.sent: dict[int, datetime] = {}

    def since(self) -> datetime:
        if self.mark is None:
            from datetime import UTC
            return datetime.now(UTC) - OVERLAP
        return self.mark - OVERLAP

    def fresh(self, rows: list[tuple[int, datetime]]) -> list[int]:
        """The workers whose (worker_id, changed_at) mark was not seen yet.

        >>> from datetime import UTC
        >>> m, t = PositionMarks(), datetime(2026, 1, 1, tzinfo=UTC)
        >>> m.fresh([(1, t), (2, t)]), m.fresh([(1, t), (2, t + OVERLAP)])
        ([1, 2], [2])
        """
        out = [w for w, at in rows if self.sent.get(w) != at]
        self.record(rows)
        return out

    def record(self, rows: list[tuple[int, datetime]]) -> None:
        """Remember these changes as seen (read as marks, or sent as rows)."""
        if rows:
            self.sent.update(rows)
            newest = max(at for _, at in rows)
            if self.mark is None or newest > self.mark:
                self.mark = newest


def moved_ids(payload: str) -> list[int] | None:
    """The worker ids a positions notification names; None when it names none.

    >>> moved_ids("3,17,4"), moved_ids(""), moved_ids("x")
    ([3, 17, 4], None, None)
    """
    try:
        return [int(w) for w in payload.split(",")] if payload else None
    except ValueError:
        return None


class Coalescer:
    """Holds each changed worker until that worker's previous frame is `every` seconds old:
    each worker moves on screen about once per `every`, yet a change of a worker not sent
    lately goes out at once instead of waiting for a shared tick. Holds ids only; the row
    is read when the worker is due, so it is the newest.

    >>> c = Coalescer(every=1.0)
    >>> c.add([7]); c.due(now=10.0)
    [7]
    >>> c.add([7]); c.due(now=10.4), c.next_at()
    ([], 11.0)
    >>> c.due(now=11.0)
    [7]
    """

    def __init__(self, *, every: float) -> None:
        self.every = every
        self.pending: set[int] = set()
        self.last: dict[int, float] = {}

    def add(self, worker_ids: list[int]) -> None:
        self.pending.update(worker_ids)

    def due(self, *, now: float) -> list[int]:
        """The held workers that may go out now."""
        every, last = self.every, self.last
        ready = [w for w in self.pending if last.get(w, -every) + every <= now]
        for w in ready:
            last[w] = now
        self.pending.difference_update(ready)
        return ready

    def next_at(self) -> float | None:
        """When the earliest held change may go out; None when nothing is held."""
        if not self.pending:
            return None
        return min(self.last.get(w, 0.0) for w in self.pending) + self.every
