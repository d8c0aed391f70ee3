"""Write generated SYNTHETIC rows into PostgreSQL with COPY, in one transaction.

    from seed.load import run
    run("postgresql://gridlink@/gridlink?host=/path/run&port=5432", preset="demo", seed=1)
"""

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import numpy as np
import psycopg
import shapely
from psycopg import sql
from psycopg.types.json import Jsonb

from seed.generate import TABLES, SeedData, generate
from seed.visits import TABLE as VISITS
from seed.visits import visit_rows

SRID = 4326
# Tables emptied by a forced reseed (CASCADE also clears rows that point at them).
SEEDED = (*TABLES, VISITS, "positions", "photos", "idempotency_keys")


def scalar(conn: psycopg.Connection | psycopg.Cursor, query: sql.Composed | str,
           params: list | None = None) -> Any:
    """The first column of the first row of a query."""
    row = conn.execute(query, params).fetchone()
    return None if row is None else row[0]


def is_seeded(conn: psycopg.Connection) -> bool:
    """Whether the grids table has any row."""
    return bool(scalar(conn, "SELECT EXISTS (SELECT 1 FROM grids)"))


def load(conn: psycopg.Connection, data: SeedData,
         log: Callable[[str], None] | None = None) -> dict[str, int]:
    """COPY every table in foreign-key order, then move each id sequence past the max id.

    Reporters come before reports, steps and points after them; a merged report points at
    an earlier one (a lower id), checked at the end of the same COPY."""
    counts: dict[str, int] = {}
    with conn.transaction(), conn.cursor() as cur:
        for table in TABLES:
            t0 = time.perf_counter()
            counts[table] = copy_rows(cur, table, data.table(table))
            if log:
                log(f"  {table:<18}{counts[table]:>8} rows  {time.perf_counter() - t0:6.2f}s")
        for table in TABLES:
            advance_sequence(cur, table)
        load_visits(cur, data, log)
        cur.execute("SELECT gridlink_ensure_position_partitions(current_date - 1, "
                    "current_date + 7)")
    return counts


def load_visits(cur: psycopg.Cursor, data: SeedData,
                log: Callable[[str], None] | None = None) -> int:
    """The visit history of the households (seed/visits.py), after the households."""
    t0 = time.perf_counter()
    n = copy_rows(cur, VISITS, visit_rows(data))
    advance_sequence(cur, VISITS)
    if log:
        log(f"  {VISITS:<18}{n:>8} rows  {time.perf_counter() - t0:6.2f}s")
    return n


def copy_rows(cur: psycopg.Cursor, table: str, rows: list[dict]) -> int:
    """COPY rows (dicts with the same keys) into table; geometries go as hex EWKB, dicts
    as JSONB."""
    if not rows:
        return 0
    cols = list(rows[0])
    stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, cols)))
    geo = cols.index("geom") if "geom" in cols else -1
    hexes = ewkb([r["geom"] for r in rows]) if geo >= 0 else []
    docs = [i for i, c in enumerate(cols) if isinstance(rows[0][c], dict)]
    with cur.copy(stmt) as copy:
        for i, r in enumerate(rows):
            values = [r[c] for c in cols]
            if geo >= 0:
                values[geo] = hexes[i]
            for k in docs:
                values[k] = Jsonb(values[k])
            copy.write_row(values)
    return len(rows)


def ewkb(geoms: list) -> list[str]:
    """Hex EWKB with SRID 4326, the text form PostGIS reads back exactly."""
    arr = shapely.set_srid(np.array(geoms, dtype=object), SRID)
    return shapely.to_wkb(arr, hex=True, include_srid=True).tolist()


def advance_sequence(cur: psycopg.Cursor, table: str) -> None:
    """setval the table's id sequence (if it has one) to its max id."""
    seq = scalar(cur, "SELECT pg_get_serial_sequence(attrelid::regclass::text, attname) "
                 "FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'id' "
                 "AND NOT attisdropped", [table])
    if seq is None:
        return
    cur.execute(sql.SQL("SELECT setval(%s, COALESCE((SELECT max(id) FROM {}), 0) + 1, false)")
                .format(sql.Identifier(table)), [seq])


def build_pieces(conn: psycopg.Connection, log: Callable[[str], None] | None = None) -> int:
    """Cut the seeded streets into the coverage pieces of every grid (server/coverage)."""
    t0 = time.perf_counter()
    made = int(scalar(conn, "SELECT gridlink_coverage_pieces(NULL)"))
    conn.commit()
    if log:
        log(f"seed: {made} coverage pieces in {time.perf_counter() - t0:.1f}s")
    return made


def truncate(conn: psycopg.Connection) -> None:
    """Empty every seeded table and restart its ids."""
    names = sql.SQL(", ").join(map(sql.Identifier, SEEDED))
    conn.execute(sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(names))


def table_counts(conn: psycopg.Connection) -> dict[str, int]:
    """Rows per seeded table as the database has them now."""
    query = sql.SQL("SELECT count(*) FROM {}")
    return {t: int(scalar(conn, query.format(sql.Identifier(t)))) for t in TABLES}


def run(url: str, *, preset: str, seed: int, force: bool = False,
        now: datetime | None = None, log: Callable[[str], None] = print) -> dict[str, int]:
    """Generate and load a preset unless the database is seeded already (force: reseed)."""
    start = time.perf_counter()
    with psycopg.connect(url) as conn:
        if is_seeded(conn) and not force:
            log("seed: database already seeded; keeping it (force=True reseeds)")
            return table_counts(conn)
        if force:
            truncate(conn)
            log("seed: emptied the seeded tables")
        log(f"seed: generating SYNTHETIC preset {preset!r}, seed {seed} …")
        t0 = time.perf_counter()
        data = generate(preset=preset, seed=seed, now=now, log=log)
        log(f"seed: generated in {time.perf_counter() - t0:.1f}s; loading with COPY …")
        counts = load(conn, data, log)
        t0 = time.perf_counter()
        conn.execute("ANALYZE " + ", ".join((*TABLES, VISITS)))
        conn.commit()
        log(f"seed: analyzed in {time.perf_counter() - t0:.1f}s")
        build_pieces(conn, log)
    log(f"seed: done in {time.perf_counter() - start:.1f}s "
        f"({counts['grids']} grids, {counts['households']} households, "
        f"{counts['workers']} workers, {counts['reports']} reports)")
    return counts
