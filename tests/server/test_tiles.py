"""Vector tiles made by ST_AsMVT."""

import mapbox_vector_tile
import pytest
from fastapi.testclient import TestClient

from geo.tiles import lonlat_to_tile
from tests.conftest import login
from tests.server.helpers import one

MVT = "application/vnd.mapbox-vector-tile"


def centre_tile(url: str, z: int) -> tuple[int, int, int]:
    lon, lat = one(url, "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(ST_Extent(geom)) c "
                        "FROM grids WHERE level = 'street') s")
    return (z, *lonlat_to_tile(lon, lat, z))


@pytest.mark.parametrize("layer, props", [("streets", {"name", "class"}),
                                          ("blocks", {"id"}),
                                          ("grids", {"id", "name", "level", "kind"})])
def test_basemap_tiles_decode_with_their_layer(client: TestClient, seeded_url: str,
                                               layer: str, props: set) -> None:
    z, x, y = centre_tile(seeded_url, 15)
    r = client.get(f"/tiles/{layer}/{z}/{x}/{y}.mvt")
    assert r.status_code == 200 and r.headers["content-type"] == MVT
    decoded = mapbox_vector_tile.decode(r.content)
    assert list(decoded) == [layer]
    feats = decoded[layer]["features"]
    assert feats and props <= set(feats[0]["properties"])


def test_low_zoom_streets_are_arterials_only(client: TestClient, seeded_url: str) -> None:
    z, x, y = centre_tile(seeded_url, 11)
    decoded = mapbox_vector_tile.decode(client.get(f"/tiles/streets/{z}/{x}/{y}.mvt").content)
    classes = {f["properties"]["class"] for f in decoded["streets"]["features"]}
    assert classes == {"arterial"}


def test_empty_tile_is_an_empty_body(client: TestClient) -> None:
    r = client.get("/tiles/streets/14/0/0.mvt")
    assert r.status_code == 200 and r.content == b""


def test_household_tiles_need_a_permitted_login(client: TestClient, seeded_url: str) -> None:
    z, x, y = centre_tile(seeded_url, 14)
    path = f"/tiles/households/{z}/{x}/{y}.mvt"
    assert client.get(path).status_code == 401
    assert client.get(path, headers=login(client, "dept_staff")).status_code == 403
    r = client.get(path, headers=login(client, "operator"))
    decoded = mapbox_vector_tile.decode(r.content)
    counts = [f["properties"]["count"] for f in decoded["households"]["features"]]
    assert counts and max(counts) > 1
    assert "private" in r.headers["cache-control"]


@pytest.mark.parametrize("path, status", [
    ("/tiles/rivers/14/1/1.mvt", 404),
    ("/tiles/streets/23/0/0.mvt", 422),
    ("/tiles/streets/3/8/0.mvt", 422),
    ("/tiles/streets/3/0/8.mvt", 422),
    ("/tiles/streets/a/0/0.mvt", 422),
    ("/tiles/streets/3/-1/0.mvt", 422),
])
def test_bad_tile_addresses(client: TestClient, path: str, status: int) -> None:
    r = client.get(path)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/problem+json")
