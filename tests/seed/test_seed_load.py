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
        parts = conn.execute("SELECT count(*) FROM pg_inherits "
                             "WHERE inhparent = 'positions'::regclass").fetchone()[0]
        assert parts >= 9  # yesterday to a week ahead, plus the default partition


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
    forced = run(db_url, preset="tiny", seed=4, force=True)
    assert forced["grids"] > 0
    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT min(id) FROM grids").fetchone()[0] == 1
        assert count(conn, "users") == 6
