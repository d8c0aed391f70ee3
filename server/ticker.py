"""Background work driven by the database; one leader at a time by advisory lock."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence

import psycopg

log = logging.getLogger("gridlink.ticker")
LEADER_LOCK = 7_420_002
PRUNE_EVENTS = "DELETE FROM events WHERE created_at < now() - make_interval(hours => %(h)s)"
MARK_OFFLINE = """
UPDATE worker_state SET status = 'offline', changed_at = clock_timestamp()
WHERE status = 'online' AND received_at < now() - make_interval(secs => %(s)s)
"""
PARTITIONS = "SELECT gridlink_ensure_position_partitions(current_date - 1, current_date + 7)"


class Ticker:
    """Every `every` seconds the leader prunes the outbox, marks silent workers offline,
    makes the coming days' position partitions, then runs the domain jobs (deadlines …)."""

    def __init__(self, url: str, *, every: float = 10.0, retention_hours: int = 72,
                 offline_after_s: int = 300,
                 jobs: Sequence[Callable[[], Awaitable[object]]] = ()) -> None:
        self.url, self.every, self.jobs = url, every, tuple(jobs)
        self.retention_hours, self.offline_after_s = retention_hours, offline_after_s
        self._task: asyncio.Task[None] | None = None

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
        await conn.execute(PARTITIONS)
        for job in self.jobs:
            try:
                await job()
            except Exception as exc:  # one failing job must not stop the others
                log.warning("ticker job %s failed: %s", getattr(job, "__name__", job), exc)
