"""The ticker's round: prune the outbox, mark silent workers offline, make partitions."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import psycopg

from server.ticker import Ticker
from tests.server.helpers import one


def tick(url: str, **kw: int) -> None:
    async def go() -> None:
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as c:
            await Ticker(url, **kw).tick(c)

    # Its own thread: a browser test's event loop may still run in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, go()).result()


def test_silent_online_workers_turn_offline(seeded_url: str) -> None:
    with psycopg.connect(seeded_url, autocommit=True) as c:
        a, b = [r[0] for r in c.execute("SELECT worker_id FROM worker_state ORDER BY 1 LIMIT 2")]
        c.execute("UPDATE worker_state SET status = 'online', received_at = now() - "
                  "interval '10 minutes' WHERE worker_id = %s", [a])
        c.execute("UPDATE worker_state SET status = 'online', received_at = now() "
                  "WHERE worker_id = %s", [b])
    tick(seeded_url, offline_after_s=300)
    with psycopg.connect(seeded_url) as c:
        status = dict(c.execute("SELECT worker_id, status FROM worker_state "
                                "WHERE worker_id = ANY(%s)", [[a, b]]).fetchall())
    assert status == {a: "offline", b: "online"}


def test_old_events_are_pruned_and_partitions_made(seeded_url: str) -> None:
    with psycopg.connect(seeded_url, autocommit=True) as c:
        c.execute("INSERT INTO events (topic, kind, grid_ids, payload, created_at) VALUES "
                  "('t', 'old', '{}', '{}', now() - interval '5 days'), "
                  "('t', 'new', '{}', '{}', now())")
        c.execute("DROP TABLE IF EXISTS positions_" +
                  c.execute("SELECT to_char(current_date + 7, 'YYYYMMDD')").fetchone()[0])
    tick(seeded_url, retention_hours=72)
    assert one(seeded_url, "SELECT array_agg(kind) FROM events WHERE topic = 't'")[0] == ["new"]
    assert one(seeded_url, "SELECT to_regclass('positions_' || "
                           "to_char(current_date + 7, 'YYYYMMDD')) IS NOT NULL")[0]
