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


def test_positions_past_retention_are_dropped_by_whole_days(seeded_url: str) -> None:
    worker = one(seeded_url, "SELECT id FROM workers ORDER BY id LIMIT 1")[0]
    with psycopg.connect(seeded_url, autocommit=True) as c:
        c.execute("SELECT gridlink_ensure_position_partitions(current_date - 40, "
                  "current_date - 29)")
        c.execute("INSERT INTO positions (worker_id, fix_time, device_id, geom) VALUES "
                  "(%(w)s, (current_date - 40)::timestamptz + interval '12 hours', 'd', "
                  "ST_Point(104, 30, 4326)), "
                  "(%(w)s, (current_date - 29)::timestamptz + interval '12 hours', 'd', "
                  "ST_Point(104, 30, 4326)), "
                  "(%(w)s, (current_date - 400)::timestamptz, 'd', ST_Point(104, 30, 4326))",
                  {"w": worker})
    tick(seeded_url, position_retention_days=30)
    names = one(seeded_url, "SELECT array_agg(c.relname::text ORDER BY c.relname) "
                            "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                            "WHERE i.inhparent = 'positions'::regclass")[0]
    day = one(seeded_url, "SELECT to_char(current_date - 30, 'YYYYMMDD'), "
                          "to_char(current_date - 31, 'YYYYMMDD')")
    assert f"positions_{day[0]}" in names and f"positions_{day[1]}" not in names
    assert "positions_default" in names
    left = one(seeded_url, "SELECT array_agg((current_date - fix_time::date) ORDER BY fix_time) "
                           "FROM positions WHERE worker_id = %s AND device_id = 'd'", worker)[0]
    assert left == [29]
