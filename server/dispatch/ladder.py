"""Who is told at each escalation level: grid head → community → street → department."""

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from server.reports.models import Report

LEVELS = (("网格长", "grid head"), ("社区", "community"), ("街道指挥中心", "street center"),
          ("职能部门", "department"))
TARGETS = {
    1: """SELECT 'worker' AS kind, w.id, w.name, w.role FROM worker_grids wg
          JOIN workers w ON w.id = wg.worker_id
          WHERE wg.grid_id = :grid AND wg.duty = 'head' AND w.active ORDER BY w.id""",
    2: """SELECT 'worker' AS kind, w.id, w.name, w.role FROM worker_grids wg
          JOIN workers w ON w.id = wg.worker_id
          WHERE wg.grid_id = :community AND w.active ORDER BY w.id""",
    3: """SELECT 'user' AS kind, u.id, u.display_name AS name, u.role FROM users u
          WHERE u.role IN ('operator', 'admin') AND u.active ORDER BY u.id""",
    4: """SELECT 'worker' AS kind, w.id, w.name, w.role FROM workers w
          JOIN report_categories c ON c.department_id = w.department_id
          WHERE c.code = :category AND w.active ORDER BY w.id""",
}


async def notify(*, db: AsyncSession, report: Report, level: int) -> list[dict[str, Any]]:
    """The people notified at `level` (recorded in the step and on the live feed)."""
    rows = await db.execute(text(TARGETS[level]), {
        "grid": report.grid_id, "community": report.community_id,
        "category": report.category_code})
    return [dict(r._mapping) for r in rows]
