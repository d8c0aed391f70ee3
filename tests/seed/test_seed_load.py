"""Loading into a real, freshly migrated database."""

import psycopg
import pytest

from seed.generate import SeedData
from seed.load import is_seeded, load, run


def count(conn: psycopg.Connection, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_load_writes_every_row_and_advances_the_sequences(db_url: str, tiny: SeedData) -> None:
    with psycopg.connect(db_url) as conn:
        assert not is_seeded(conn)
        counts = load(conn, tiny)
        assert is_seeded(conn)
        assert counts == tiny.counts()
        for table, n in counts.items():
            assert count(conn, table) == n, table
        assert conn.execute("SELECT bool_and(ST_IsValid(geom)) AND bool_and(ST_SRID(geom) = 4326)"
                            " AND bool_and(geom_3857 IS NOT NULL) FROM grids").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM households h JOIN buildings b "
                            "ON b.id = h.building_id WHERE NOT ST_Contains(b.geom, h.geom)"
                            ).fetchone()[0] == 0
        new = conn.execute("INSERT INTO grids (code, name, level, geom) SELECT 'x1', 'x', "
                           "'grid', geom FROM grids WHERE id = 1 RETURNING id").fetchone()[0]
        assert new == len(tiny.grids) + 1
        rid = conn.execute("INSERT INTO workers (name, role) VALUES ('x', 'volunteer') "
                           "RETURNING id").fetchone()[0]
        assert rid == len(tiny.workers) + 1
        for table, cols in (("reporters", "(phone) VALUES ('x')"),
                            ("report_steps", "(report_id, action, to_status, actor_label) "
                                             "VALUES (1, 'note', 'x', 'x')"),
                            ("points_ledger", "(reporter_id, delta, reason) "
                                              "VALUES (1, 10, 'redeem')")):
            got = conn.execute(f"INSERT INTO {table} {cols} RETURNING id").fetchone()[0]
            assert got == len(tiny.table(table)) + 1, table
        parts = conn.execute("SELECT count(*) FROM pg_inherits "
                             "WHERE inhparent = 'positions'::regclass").fetchone()[0]
        assert parts >= 9  # yesterday to a week ahead, plus the default partition


def test_the_closed_loop_survives_the_round_trip(db_url: str, tiny: SeedData) -> None:
    with psycopg.connect(db_url) as conn:
        load(conn, tiny)
        steps = conn.execute("SELECT id, report_id, at, action, data FROM report_steps "
                             "ORDER BY id").fetchall()
        merged = conn.execute("SELECT count(*) FROM reports r JOIN reports o "
                              "ON o.id = r.merged_into_id").fetchone()[0]
        balances = conn.execute("SELECT min(b) FROM (SELECT sum(delta) OVER (PARTITION BY "
                                "reporter_id ORDER BY created_at, id) b FROM points_ledger) s"
                                ).fetchone()[0]
    assert [(s["id"], s["report_id"], s["at"], s["action"], s["data"])
            for s in tiny.report_steps] == [tuple(row) for row in steps]
    assert merged == sum(r["merged_into_id"] is not None for r in tiny.reports) > 0
    assert balances >= 0


def test_geometries_survive_the_round_trip_exactly(db_url: str, tiny: SeedData) -> None:
    with psycopg.connect(db_url) as conn:
        load(conn, tiny)
        rows = conn.execute("SELECT id, ST_AsBinary(geom) FROM grids ORDER BY id").fetchall()
    assert [bytes(wkb) for _, wkb in rows] == [g["geom"].wkb for g in tiny.grids]


def test_run_skips_a_seeded_database_unless_forced(db_url: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    first = run(db_url, preset="tiny", seed=3)
    out = capsys.readouterr().out
    assert "households" in out and "seed: done" in out
    again = run(db_url, preset="tiny", seed=4)
    assert again == first
    assert "already seeded" in capsys.readouterr().out
    with psycopg.connect(db_url) as conn:
        conn.execute("INSERT INTO idempotency_keys (scope, key, request_hash, status_code, "
                     "body) VALUES ('s', 'k', 'h', 201, '{}')")
        conn.execute("INSERT INTO photos (token, report_id, width, height, size_bytes, sha256, "
                     "image, thumb) VALUES ('t', 1, 1, 1, 1, 'x', '', '')")
    forced = run(db_url, preset="tiny", seed=4, force=True)
    assert forced["grids"] > 0
    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT min(id) FROM grids").fetchone()[0] == 1
        assert count(conn, "users") == 6
        assert count(conn, "idempotency_keys") == count(conn, "photos") == 0
        for table in ("reporters", "report_steps", "points_ledger"):
            assert count(conn, table) == forced[table] > 0, table
