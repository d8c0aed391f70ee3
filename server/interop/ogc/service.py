"""OGC API – Features reads: the published collections, their extents, pages and items.

Each collection is one named .sql file that answers a page (or, with :id, one item) with
the number matched, the features as GeoJSON text and, for one item, its version hash.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from server.errors import NotFound
from server.interop.ogc import links
from server.interop.ogc.params import ItemsQuery
from server.interop.ogc.schemas import (
    Collection,
    Collections,
    Extent,
    LandingPage,
    SpatialExtent,
    TemporalExtent,
)
from server.interop.open311.service import COARSE_DIGITS, SENSITIVE
from server.sqlfile import sql

MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Layer:
    """A published collection: what it is called and which query serves it."""

    id: str
    title: str
    description: str
    temporal: bool = False  # `datetime` filters the creation time

    @property
    def query(self) -> str:
        return f"{self.id}.sql"


LAYERS = {layer.id: layer for layer in (
    Layer("grids", "网格 Grids",
          "网格层级（区县、街道、社区、网格、微网格）与专属网格；无人员信息。 "
          "The grid hierarchy (county, street, community, grid, micro-grid) and dedicated "
          "grids; no personal data."),
    Layer("stations", "红色驿站 Stations",
          "网格红色驿站：服务、功能区、开放时间、电话。 "
          "Grid red stations: services, functional areas, opening hours, phone."),
    Layer("reports", "事件点位 Report points",
          "公开的事件点位：类别、状态、上报时间、所在网格；不含内容与上报人。"
          "涉及个人的类别坐标取整到约 100 米。 Public report points: category, status, "
          "time and grid, never what was written or who wrote it; categories about people "
          "are placed at coordinates rounded to about 100 m.", temporal=True),
)}


@dataclass(frozen=True)
class Page:
    """Features as a JSON array text, how many matched the filters and how many came."""

    matched: int
    returned: int
    features: str
    version: str | None = None


def layer(collection_id: str) -> Layer:
    """The collection by id (404 otherwise)."""
    if found := LAYERS.get(collection_id):
        return found
    raise NotFound(f"没有这个集合：{collection_id}（可用：{', '.join(LAYERS)}）",
                   f"No such collection: {collection_id} (available: {', '.join(LAYERS)})",
                   code="collection_not_found")


def landing(*, base: str, docs: str | None, name: str, name_en: str) -> LandingPage:
    """The landing page: what this is and where everything is."""
    return LandingPage(title=f"{name} — OGC API Features",
                       description=f"{name_en}: grids, stations and public report points "
                                   "as OGC API – Features (GeoJSON, CRS84).",
                       links=links.landing(base, docs=docs))


async def collections(*, db: AsyncSession, base: str) -> Collections:
    """Every collection with its extent."""
    extents = await _extents(db)
    return Collections(links=links.collections(base),
                       collections=[_collection(x, base, extents.get(x.id))
                                    for x in LAYERS.values()])


async def collection(*, db: AsyncSession, base: str, collection_id: str) -> Collection:
    """One collection with its extent (404 when unknown)."""
    found = layer(collection_id)
    return _collection(found, base, (await _extents(db, only=found.id)).get(found.id))


def _collection(found: Layer, base: str, extent: Extent | None) -> Collection:
    return Collection(id=found.id, title=found.title, description=found.description,
                      links=links.collection(base, found.id), extent=extent)


async def _extents(db: AsyncSession, *, only: str | None = None) -> dict[str, Extent]:
    """The collections' extents (only one's when named); none for an empty collection."""
    rows = await db.execute(sql(__file__, "extents.sql"), {"only": only})
    return {r.id: _extent(r._mapping) for r in rows if r.minx is not None}


def _extent(row: RowMapping) -> Extent:
    box = [row["minx"], row["miny"], row["maxx"], row["maxy"]]
    if row["id"] == "reports":  # outward to the coarse grid, so no edge is an exact point
        step = 10.0 ** -COARSE_DIGITS
        box = [round((v // step + (i >= 2)) * step, COARSE_DIGITS) for i, v in enumerate(box)]
    temporal = TemporalExtent(interval=[[_utc(row["first"]), None]]) if row["first"] else None
    return Extent(spatial=SpatialExtent(bbox=[box]), temporal=temporal)


async def items(*, db: AsyncSession, collection_id: str, query: ItemsQuery) -> Page:
    """A page of a collection's features under the query's filters."""
    found = layer(collection_id)
    params = query.params()
    if not found.temporal:
        params.update(since=None, until=None)
    return await _page(db, found, params)


async def item(*, db: AsyncSession, collection_id: str, feature_id: str) -> Page:
    """One feature (as a page of one) with its version hash; 404 when unknown."""
    found = layer(collection_id)
    page = None
    if feature_id.isdigit() and int(feature_id) <= MAX_ID:
        page = await _page(db, found, {**ItemsQuery(limit=1).params(), "id": int(feature_id)})
    if not page or not page.returned:
        raise NotFound(f"{found.title} 中没有要素 {feature_id}",
                       f"Feature {feature_id} not found in {collection_id}",
                       code="feature_not_found")
    return page


async def _page(db: AsyncSession, found: Layer, params: dict[str, object]) -> Page:
    extra = {"sensitive": sorted(SENSITIVE), "coarse_digits": COARSE_DIGITS} \
        if found.id == "reports" else {}
    row = (await db.execute(sql(__file__, found.query), {**params, **extra})).one()
    return Page(matched=row.matched, returned=row.returned, features=row.features or "[]",
                version=row.etag)


def etag(page: Page) -> str | None:
    """The strong ETag of one item: its version hash, quoted (If-Match compares it)."""
    return f'"{page.version}"' if page.version else None


def now() -> str:
    """The response time stamp, UTC."""
    return _utc(datetime.now(UTC))


def _utc(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
