"""One listener per process: reads new events in seq order and fans them out."""

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.rows import dict_row, tuple_row

from server.live import frames

log = logging.getLogger("gridlink.live")
CHANNELS = ("gridlink_events", "gridlink_positions")
HEARTBEAT_S = 20.0
READ_GAP_S = 0.1  # least time between two reads of worker_state, however busy the ingest
FRAME_WORKERS = 1000  # workers per positions frame: a whole county moving is several frames
NODE = f"{socket.gethostname()}:{os.getpid()}"


@dataclass(eq=False)
class Subscriber:
    """One client's queue and the grids it may see (None = all)."""

    scope: frozenset[int] | None
    queue: asyncio.Queue[dict[str, Any]] = field(
        default_factory=lambda: asyncio.Queue(maxsize=5000))
    overflowed: bool = False

    def sees(self, grid_ids: list[int] | None) -> bool:
        return self.scope is None or not grid_ids or bool(self.scope.intersection(grid_ids))

    def offer(self, msg: dict[str, Any]) -> None:
        try:
            self.queue.put_nowait(msg)
        except asyncio.QueueFull:
            self.overflowed = True


class Hub:
    """The process's live hub: LISTEN, read the outbox, coalesce positions."""

    def __init__(self, url: str, *, coalesce_s: float = 1.0) -> None:
        self.url, self.coalesce_s = url, coalesce_s
        self.subs: set[Subscriber] = set()
        self.last_seq = 0
        self._wake = asyncio.Event()
        self._positions_dirty = asyncio.Event()
        self._moved: set[int] = set()  # workers named by notifications, not read yet
        self._unnamed = True  # a change without ids came (or we were away): read the marks
        self._watched = asyncio.Event()  # someone is subscribed: worth reading positions
        self._tasks: list[asyncio.Task[None]] = []
        self._reader: psycopg.AsyncConnection[dict[str, Any]] | None = None
        self._marks = frames.PositionMarks()
        self._held = frames.Coalescer(every=coalesce_s)

    async def start(self) -> None:
        head = await self._fetch_one("SELECT coalesce(max(seq), 0) AS s FROM events")
        self.last_seq = int(head["s"])
        self._tasks = [asyncio.create_task(self._listen()), asyncio.create_task(self._pump()),
                       asyncio.create_task(self._positions())]

    async def stop(self) -> None:
        for t in self._tasks:
            t.cancel()
        for t in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t
        if self._reader is not None:
            await self._reader.close()

    async def _listen(self) -> None:
        """Hold the LISTEN connection, reconnecting after any failure."""
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self.url, autocommit=True) as c:
                    for ch in CHANNELS:
                        await c.execute(f"LISTEN {ch}")
                    self._wake.set()  # catch up on whatever happened while we were away
                    self._unnamed = True
                    self._positions_dirty.set()
                    async for n in c.notifies():
                        if n.channel == CHANNELS[0]:
                            self._wake.set()
                            continue
                        ids = frames.moved_ids(n.payload)
                        if ids is None:
                            self._unnamed = True
                        else:
                            self._moved.update(ids)
                        self._positions_dirty.set()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a dropped connection must not end the feed
                log.warning("live listener lost its connection: %s; retrying", exc)
                await asyncio.sleep(1.0)

    async def _pump(self) -> None:
        """Deliver every new outbox row to the subscribers that may see it."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self._catch_up()
            except Exception as exc:
                log.warning("live pump failed: %s", exc)
                await asyncio.sleep(0.5)
                self._wake.set()

    async def _catch_up(self) -> None:
        while True:
            rows = await self._fetch(frames.EVENTS_AFTER, {"after": self.last_seq, "upto": None})
            for row in rows:
                msg = frames.event(row)
                for sub in list(self.subs):
                    if sub.sees(row["grid_ids"]):
                        sub.offer(msg)
                self.last_seq = row["seq"]
            if len(rows) < frames.PAGE:
                return

    async def _positions(self) -> None:
        """Send each changed worker's latest state at once, unless that worker had a frame
        less than a coalesce interval ago: then its newest change waits for its turn."""
        loop = asyncio.get_running_loop()
        while True:
            if not self.subs:  # nobody to show them to: read nothing, hold nothing
                await self._watched.wait()
                # start afresh: what changed over the last overlap, then what is named
                self._marks, self._held = frames.PositionMarks(), frames.Coalescer(
                    every=self.coalesce_s)
                self._moved.clear()
                self._unnamed = True
                self._positions_dirty.set()
            nxt = self._held.next_at()
            wait = None if nxt is None else max(0.0, nxt - loop.time())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._positions_dirty.wait(), wait)
            try:
                if self._positions_dirty.is_set():
                    self._positions_dirty.clear()
                    self._held.add(await self._changed())
                due = self._held.due(now=loop.time())
                if due:
                    try:
                        rows = await self._fetch(frames.WORKER_ROWS, {"ids": due})
                    except Exception:
                        self._moved.update(due)  # not sent: due again after the pause
                        raise
                    self._marks.record([(r["worker_id"], r["changed_at"]) for r in rows])
                    self._send_positions(rows)
            except Exception as exc:  # read again after a pause; held changes stay held
                log.warning("live positions failed: %s", exc)
                await asyncio.sleep(0.5)
                self._unnamed = True
                self._positions_dirty.set()
            await asyncio.sleep(READ_GAP_S)

    async def _changed(self) -> list[int]:
        """The workers changed since the last look: those the notifications named, and when
        some change came unnamed, those the changed_at marks show."""
        ids, self._moved = list(self._moved), set()
        if self._unnamed:
            self._unnamed = False
            marks = await self._fetch(frames.CHANGED_MARKS, {"since": self._marks.since()},
                                      tuples=True)
            ids += self._marks.fresh(marks)
        return ids

    def _send_positions(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        entries = [(r["grid_ids"], frames.position(r)) for r in rows]
        for sub in list(self.subs):
            mine = [p for grids, p in entries if sub.sees(grids)]
            for i in range(0, len(mine), FRAME_WORKERS):
                sub.offer({"type": "positions", "workers": mine[i:i + FRAME_WORKERS]})

    async def subscribe(self, *, scope: frozenset[int] | None,
                        since: int | None) -> AsyncGenerator[dict[str, Any], None]:
        """Hello, then what was missed since `since` (or a reset), then live messages."""
        sub = Subscriber(scope)
        self.subs.add(sub)
        self._watched.set()
        try:
            head = self.last_seq
            yield {"type": "hello", "seq": head, "node": NODE}
            sent = head
            async for msg in self._replay(sub, since, head):
                yield msg
            while True:
                try:
                    msg = await asyncio.wait_for(sub.queue.get(), HEARTBEAT_S)
                except TimeoutError:
                    yield {"type": "ping"}
                    continue
                if sub.overflowed:
                    sub.overflowed, sub.queue = False, asyncio.Queue(maxsize=5000)
                    yield {"type": "reset", "seq": self.last_seq}
                    sent = self.last_seq
                    continue
                if "seq" in msg:
                    if msg["seq"] <= sent:
                        continue
                    sent = msg["seq"]
                yield msg
        finally:
            self.subs.discard(sub)
            if not self.subs:
                self._watched.clear()

    async def _replay(self, sub: Subscriber, since: int | None,
                      head: int) -> AsyncIterator[dict[str, Any]]:
        if since is None or since == head:
            return
        oldest = (await self._fetch_one("SELECT min(seq) AS s FROM events"))["s"]
        if since > head or oldest is None or since < oldest - 1:
            yield {"type": "reset", "seq": head}
            return
        after = since
        while after < head:
            rows = await self._fetch(frames.EVENTS_AFTER, {"after": after, "upto": head})
            if not rows:
                return
            for row in rows:
                if sub.sees(row["grid_ids"]):
                    yield frames.event(row)
            after = rows[-1]["seq"]

    async def _conn(self) -> psycopg.AsyncConnection[dict[str, Any]]:
        if self._reader is None or self._reader.closed:
            self._reader = await psycopg.AsyncConnection.connect(
                self.url, autocommit=True, row_factory=dict_row)
        return self._reader

    async def _fetch(self, query: str, params: dict[str, Any], *,
                     tuples: bool = False) -> list[Any]:
        """Rows as dicts, or as plain tuples for the hot narrow reads."""
        conn = await self._conn()
        try:
            cur = conn.cursor(row_factory=tuple_row) if tuples else conn.cursor()
            async with cur:
                return await (await cur.execute(query, params)).fetchall()
        except psycopg.OperationalError:
            await conn.close()
            raise

    async def _fetch_one(self, query: str) -> dict[str, Any]:
        rows = await self._fetch(query, {})
        return rows[0]


