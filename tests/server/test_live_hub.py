"""The hub in process: frames are split for a whole county moving, each subscriber gets
only what its scope sees, and with nobody subscribed the hub reads no positions."""

import asyncio
from datetime import UTC, datetime
from typing import Any

import psycopg

from server.live import frames
from server.live.hub import FRAME_WORKERS, Hub, Subscriber
from tests.server.helpers import one


def rows(n: int) -> list[dict]:
    t = datetime(2026, 11, 22, tzinfo=UTC)
    return [{"worker_id": i, "lon": 104.0, "lat": 30.6, "grid_id": i % 7, "status": "online",
             "on_duty": True, "heading": None, "speed": None, "fix_time": t,
             "grid_ids": [i % 7]} for i in range(n)]


def drain(sub: Subscriber) -> list[dict]:
    out = []
    while not sub.queue.empty():
        out.append(sub.queue.get_nowait())
    return out


def test_a_county_moving_goes_out_in_bounded_frames() -> None:
    hub = Hub("postgresql://unused")
    everyone, grid_3 = Subscriber(None), Subscriber(frozenset({3}))
    hub.subs |= {everyone, grid_3}
    n = 2 * FRAME_WORKERS + 17
    hub._send_positions(rows(n))
    frames = drain(everyone)
    assert [len(f["workers"]) for f in frames] == [FRAME_WORKERS, FRAME_WORKERS, 17]
    assert sorted(w["id"] for f in frames for w in f["workers"]) == list(range(n))
    mine = [w for f in drain(grid_3) for w in f["workers"]]
    assert mine and all(w["grid_id"] == 3 for w in mine)


def test_no_position_reads_until_someone_subscribes(seeded_url: str) -> None:
    worker = one(seeded_url, "SELECT worker_id FROM worker_state ORDER BY worker_id LIMIT 1")[0]
    reads: list[str] = []

    async def scenario() -> dict[str, Any]:
        hub = Hub(seeded_url)
        fetch = hub._fetch

        async def counted(query: str, params: dict[str, Any], **kw: Any) -> list[Any]:
            if query in (frames.CHANGED_MARKS, frames.WORKER_ROWS):
                reads.append(query)
            return await fetch(query, params, **kw)

        hub._fetch = counted  # type: ignore[method-assign]
        await hub.start()
        try:
            async with await psycopg.AsyncConnection.connect(seeded_url,
                                                             autocommit=True) as db:
                for _ in range(3):
                    await db.execute("SELECT pg_notify('gridlink_positions', %s)", [str(worker)])
                    await asyncio.sleep(0.2)
                assert reads == []  # three named changes, nobody watching: nothing read
                feed = hub.subscribe(scope=None, since=None)
                assert (await anext(feed))["type"] == "hello"
                await db.execute("SELECT pg_notify('gridlink_positions', %s)", [str(worker)])
                while True:
                    msg = await asyncio.wait_for(anext(feed), 5)
                    if msg["type"] == "positions":
                        await feed.aclose()
                        return msg
        finally:
            await hub.stop()

    frame = asyncio.run(scenario())
    assert worker in [w["id"] for w in frame["workers"]]
    assert frames.WORKER_ROWS in reads
