"""Background work driven by the database; one leader at a time by advisory lock."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date

import psycopg
from psycopg import sql

log = logging.getLogger("gridlink.ticker")
LEADER_LOCK = 7_420_002
PRUNE_EVENTS = "DELETE FROM events WHERE created_at < now() - make_interval(hours => %(h)s)"
MARK_OFFLINE = """
UPDATE worker_state SET status = 'offline', changed_at = clock_timestamp()
WHERE status = 'online' AND received_at < now() - make_interval(secs => %(s)s)
"""
# Also the database's day: old partitions become droppable only when it changes.
PARTITIONS = ("SELECT gridlink_ensure_position_partitions(current_date - 1, current_date + 7), "
              "current_date")
# Daily partitions wholly older than the retention window; named positions_YYYYMMDD.
OLD_PARTITIONS = """
SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = 'positions'::regclass AND c.relname ~ '^positions_[0-9]{8}$'
  AND to_date(substr(c.relname, 11), 'YYYYMMDD') < current_date - %(days)s
ORDER BY 1
"""
PRUNE_DEFAULT = ("DELETE FROM positions_default "
                 "WHERE fix_time < (current_date - %(days)s)::timestamptz")


class Ticker:
    """Every `every` seconds the leader prunes the outbox, marks silent workers offline,
    makes the coming days' position partitions (dropping those past retention once a day),
    then runs the domain jobs (deadlines …)."""

    def __init__(self, url: str, *, every: float = 10.0, retention_hours: int = 72,
                 offline_after_s: int = 300, position_retention_days: int = 180,
                 jobs: Sequence[Callable[[], Awaitable[object]]] = ()) -> None:
        self.url, self.every, self.jobs = url, every, tuple(jobs)
        self.retention_hours, self.offline_after_s = retention_hours, offline_after_s
        self.position_retention_days = position_retention_days
        self._task: asyncio.Task[None] | None = None
        self._dropped_on: date | None = None  # the day old positions were last dropped

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self.url, autocommit=True) as c:
                    while not await self._lead(c):
                        await asyncio.sleep(self.every)
                    while True:
                        await self.tick(c)
                        await asyncio.sleep(self.every)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("ticker: %s; retrying", exc)
                await asyncio.sleep(self.every)

    @staticmethod
    async def _lead(conn: psycopg.AsyncConnection) -> bool:
        cur = await conn.execute("SELECT pg_try_advisory_lock(%s)", [LEADER_LOCK])
        row = await cur.fetchone()
        return bool(row and row[0])

    async def tick(self, conn: psycopg.AsyncConnection) -> None:
        """One round of the leader's work."""
        await conn.execute(PRUNE_EVENTS, {"h": self.retention_hours})
        cur = await conn.execute(MARK_OFFLINE, {"s": self.offline_after_s})
        if cur.rowcount:
            await conn.execute("SELECT pg_notify('gridlink_positions', '')")
        row = await (await conn.execute(PARTITIONS)).fetchone()
        today = row[1] if row else None
        # partitions pass the retention only when the day changes; a new Ticker drops at once
        await self.drop_old_positions(conn, partitions=today is None
                                      or today != self._dropped_on)
        self._dropped_on = today
        for job in self.jobs:
            try:
                await job()
            except Exception as exc:  # one failing job must not stop the others
                log.warning("ticker job %s failed: %s", getattr(job, "__name__", job), exc)

    async def drop_old_positions(self, conn: psycopg.AsyncConnection, *,
                                 partitions: bool = True) -> list[str]:
        """Drop the daily position partitions past retention (whole days, no row deletes)
        unless not `partitions`, and the stragglers kept in the default partition (a late fix
        may land there any time); returns the dropped names."""
        days = {"days": self.position_retention_days}
        names = [r[0] for r in await (await conn.execute(OLD_PARTITIONS, days)).fetchall()] \
            if partitions else []
        for name in names:
            await conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(name)))
            log.info("dropped %s (older than %s days)", name, self.position_retention_days)
        await conn.execute(PRUNE_DEFAULT, days)
        return names
