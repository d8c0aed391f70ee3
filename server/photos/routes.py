"""HTTP routes of photos: the upload and the two JPEGs each photo is served as."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response

from server.auth.deps import SettingsDep, oauth2
from server.auth.service import decode_token, load_principal
from server.db import DbDep
from server.errors import UnsupportedMediaType
from server.params import etag_tags
from server.photos import imaging, service
from server.photos.schemas import PhotoKind, PhotoOut

router = APIRouter(tags=["photos"])
CACHE = "private, max-age=86400"
JPEG: dict[int | str, dict[str, Any]] = {200: {"content": {"image/jpeg": {}}},
                                         304: {"description": "Not modified"}}


def multipart_only(request: Request) -> None:
    """Refuse (415) an upload that is not a multipart form."""
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise UnsupportedMediaType("请以 multipart/form-data 表单上传图片（字段名 file）",
                                   "Upload the image as multipart/form-data (field 'file')",
                                   code="multipart_required")


async def uploader(db: DbDep, settings: SettingsDep,
                   token: Annotated[str | None, Depends(oauth2)]) -> int | None:
    """The signed-in uploader's user id; None for residents, who have no account."""
    if not token:
        return None
    user_id = decode_token(token=token, settings=settings)
    return (await load_principal(db=db, user_id=user_id, settings=settings)).user_id


@router.post("/api/uploads", response_model=PhotoOut, status_code=201,
             dependencies=[Depends(multipart_only)])
async def upload(db: DbDep, user_id: Annotated[int | None, Depends(uploader)],
                 file: Annotated[UploadFile, File(description="JPEG, PNG, HEIC/HEIF or WebP")],
                 kind: Annotated[PhotoKind, Form()] = "intake") -> PhotoOut:
    """Upload one photo (anyone may); it is kept until a report attaches its token."""
    data = await file.read(imaging.MAX_BYTES + 1)  # one byte over is enough to refuse
    return service.describe(await service.store(db=db, data=data, kind=kind, user_id=user_id))


@router.get("/media/{token}.thumb.jpg", response_class=Response, responses=JPEG)
async def thumbnail(request: Request, db: DbDep, token: str) -> Response:
    """A photo's thumbnail (long edge 320 px)."""
    return _serve(request, await service.media(db=db, token=token, thumb=True))


@router.get("/media/{token}.jpg", response_class=Response, responses=JPEG)
async def photo(request: Request, db: DbDep, token: str) -> Response:
    """A photo (long edge at most 2048 px), upright and without EXIF."""
    return _serve(request, await service.media(db=db, token=token, thumb=False))


def _serve(request: Request, media: service.Media) -> Response:
    headers = {"Cache-Control": CACHE, "ETag": media.etag, "X-Content-Type-Options": "nosniff"}
    seen = etag_tags(request.headers.get("if-none-match"))
    if media.etag in seen or "*" in seen:
        return Response(status_code=304, headers=headers)
    return Response(media.body, media_type="image/jpeg", headers=headers)
