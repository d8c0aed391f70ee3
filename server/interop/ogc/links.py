"""The links every OGC API answer carries: where it is, where to go next."""

from starlette.datastructures import URL

from server.interop.ogc.params import ItemsQuery
from server.interop.ogc.schemas import GEOJSON, JSON, OPENAPI, SCHEMA, SCHEMA_REL, Link


def landing(base: str, *, docs: str | None) -> list[Link]:
    """self, the API definition (and its docs page), conformance, collections."""
    root = base.removesuffix("/ogc")
    links = [Link(href=f"{base}/", rel="self", type=JSON, title="本页 / This document"),
             Link(href=f"{root}/openapi.json", rel="service-desc", type=OPENAPI,
                  title="API 定义 / The API definition (OpenAPI)")]
    if docs:
        links.append(Link(href=f"{root}{docs}", rel="service-doc", type="text/html",
                          title="API 文档 / The API documentation"))
    return links + [
        Link(href=f"{base}/conformance", rel="conformance", type=JSON,
             title="符合的标准类 / Conformance classes"),
        Link(href=f"{base}/collections", rel="data", type=JSON,
             title="数据集合 / Feature collections")]


def collections(base: str) -> list[Link]:
    """The collections list's own link."""
    return [Link(href=f"{base}/collections", rel="self", type=JSON,
                 title="数据集合 / Feature collections")]


def collection(base: str, collection_id: str, *, self_rel: str = "self") -> list[Link]:
    """A collection's own link and its items in GeoJSON."""
    href = f"{base}/collections/{collection_id}"
    links = [Link(href=href, rel=self_rel, type=JSON, title=collection_id),
             Link(href=f"{href}/items", rel="items", type=GEOJSON,
                  title=f"{collection_id} 要素 / {collection_id} items (GeoJSON)")]
    if collection_id == "grids":  # the one writable collection: what a write must send
        links.append(Link(href=f"{href}/schema", rel=SCHEMA_REL, type=SCHEMA,
                          title="写入网格的结构 / Schema of a grid to write"))
    return links


def page(url: URL, base: str, collection_id: str, *, query: ItemsQuery, matched: int,
         returned: int) -> list[Link]:
    """self, next and prev (same filters, another offset), and the collection."""
    links = [Link(href=str(url), rel="self", type=GEOJSON, title="本页 / This page")]
    if query.offset + returned < matched:
        links.append(Link(href=_at(url, query.offset + query.limit, query.limit), rel="next",
                          type=GEOJSON, title="下一页 / Next page"))
    if query.offset > 0:
        links.append(Link(href=_at(url, max(query.offset - query.limit, 0), query.limit),
                          rel="prev", type=GEOJSON, title="上一页 / Previous page"))
    return links + collection(base, collection_id, self_rel="collection")[:1]


def item(url: URL, base: str, collection_id: str) -> list[Link]:
    """self and the collection of one feature."""
    return [Link(href=str(url), rel="self", type=GEOJSON, title="本要素 / This feature"),
            *collection(base, collection_id, self_rel="collection")[:1]]


def _at(url: URL, offset: int, limit: int) -> str:
    return str(url.include_query_params(offset=offset, limit=limit))
