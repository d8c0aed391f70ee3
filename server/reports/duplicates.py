"""Duplicate hints: the same category within about 50 m and 48 h of an open report."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.reports.models import OPEN_STATUSES, Report

RADIUS_M = 50
WINDOW_H = 48
NEAR = text(f"""
SELECT o.id FROM reports o, reports r
WHERE r.id = :id AND o.id <> r.id AND o.category_code = r.category_code
  AND o.status = ANY(:open)
  AND o.created_at BETWEEN r.created_at - interval '{WINDOW_H} hours' AND r.created_at
  AND o.geom && ST_Expand(r.geom, 0.001)
  AND ST_DWithin(o.geom::geography, r.geom::geography, {RADIUS_M})
ORDER BY ST_Distance(o.geom::geography, r.geom::geography), o.id
LIMIT 5
""")


async def near(*, db: AsyncSession, report: Report) -> list[int]:
    """Open reports this one may duplicate, nearest first."""
    rows = await db.execute(NEAR, {"id": report.id, "open": list(OPEN_STATUSES)})
    return [r[0] for r in rows]
