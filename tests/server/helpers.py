"""Small helpers for server tests: the seeded area and its rows."""

import psycopg


def area_bbox(url: str) -> str:
    """The bbox of everything seeded, as the API's bbox parameter."""
    with psycopg.connect(url) as c:
        row = c.execute("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) "
                        "FROM (SELECT ST_Extent(geom) e FROM grids) s").fetchone()
    assert row is not None
    return ",".join(f"{v:.6f}" for v in row)


def one(url: str, query: str, *params: object) -> tuple:
    """The first row of a query."""
    with psycopg.connect(url) as c:
        row = c.execute(query, params).fetchone()
    assert row is not None, query
    return tuple(row)
