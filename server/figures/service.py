"""Computing the figures straight from the reports (no counters kept by hand)."""

from sqlalchemy.ext.asyncio import AsyncSession

from server.figures.schemas import Figures
from server.sqlfile import sql


async def figures(*, db: AsyncSession, level: str, parent_id: int | None,
                  days: int) -> list[Figures]:
    """Figures per unit at `level` (optionally within one parent) over `days` days."""
    rows = await db.execute(sql(__file__, "figures.sql"),
                            {"level": level, "parent_id": parent_id, "days": days})
    return [Figures.model_validate(dict(r._mapping)) for r in rows]
