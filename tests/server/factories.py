"""Small factories for closed-loop tests: photos, reports placed inside grids."""

import hashlib
import io
import secrets

import psycopg
from PIL import Image


def jpeg(color: tuple[int, int, int] = (200, 40, 40), size: tuple[int, int] = (64, 48)) -> bytes:
    """A small real JPEG."""
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG")
    return buf.getvalue()


def photo(url: str, *, kind: str = "intake") -> str:
    """An unattached photo row (as an upload makes), returning its token."""
    data, token = jpeg(), secrets.token_urlsafe(16)
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("INSERT INTO photos (token, kind, width, height, size_bytes, sha256, image, "
                  "thumb) VALUES (%s, %s, 64, 48, %s, %s, %s, %s)",
                  [token, kind, len(data), hashlib.sha256(data).hexdigest(), data, data])
    return token


def patroller_point(url: str) -> tuple[int, float, float]:
    """The patroller's home grid and a point inside it that no dedicated grid covers."""
    with psycopg.connect(url) as c:
        row = c.execute(
            "SELECT g.id, ST_X(p), ST_Y(p) FROM users u JOIN worker_grids wg ON "
            "wg.worker_id = u.worker_id AND wg.duty <> 'linked' JOIN grids g ON "
            "g.id = wg.grid_id, ST_PointOnSurface(g.geom) p WHERE u.username = 'patroller' "
            "AND NOT EXISTS (SELECT 1 FROM grids d WHERE d.kind = 'dedicated' AND "
            "ST_Intersects(d.geom, p)) ORDER BY g.id LIMIT 1").fetchone()
    assert row is not None
    return int(row[0]), float(row[1]), float(row[2])


def worker_of(url: str, username: str) -> int:
    with psycopg.connect(url) as c:
        row = c.execute("SELECT worker_id FROM users WHERE username = %s", [username]).fetchone()
    assert row is not None
    return int(row[0])
