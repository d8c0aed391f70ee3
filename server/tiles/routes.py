"""HTTP routes of vector tiles."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from server.auth.deps import current_user, oauth2
from server.auth.schemas import Principal
from server.db import DbDep
from server.errors import NotFound
from server.tiles import service

router = APIRouter(tags=["tiles"])
MVT = "application/vnd.mapbox-vector-tile"


async def tile_user(request: Request, db: DbDep,
                    token: Annotated[str | None, Depends(oauth2)]) -> Principal | None:
    """Basemap layers are public; the household layer needs a login."""
    layer = request.path_params.get("layer")
    if layer not in service.LAYERS:
        raise NotFound(f"没有名为 {layer} 的图层", f"There is no tile layer named {layer}",
                       code="unknown_layer")
    if layer in service.PUBLIC_LAYERS:
        return None
    return await current_user(request, db, request.app.state.settings, token)


@router.get("/tiles/{layer}/{z}/{x}/{y}.mvt", response_class=Response,
            responses={200: {"content": {MVT: {}}}})
async def get_tile(db: DbDep, layer: str, z: Annotated[int, Path(ge=0, le=service.MAX_ZOOM)],
                   x: Annotated[int, Path(ge=0)], y: Annotated[int, Path(ge=0)],
                   user: Annotated[Principal | None, Depends(tile_user)]) -> Response:
    """One vector tile of streets, blocks, grids or households."""
    data = await service.tile(db=db, layer=layer, z=z, x=x, y=y, principal=user)
    cache = "public, max-age=300" if user is None else "private, max-age=60"
    return Response(data, media_type=MVT, headers={"Cache-Control": cache})
