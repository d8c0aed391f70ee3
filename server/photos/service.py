"""Storing uploaded photos, attaching them to reports, serving and purging them."""

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from starlette.concurrency import run_in_threadpool

from server.errors import InvalidInput, NotFound
from server.photos import imaging
from server.photos.models import KINDS, Photo
from server.photos.schemas import ExifPoint, PhotoKind, PhotoOut

MAX_PER_CALL = 9
# Decoding a 40 MP photo takes a few hundred MB; at most this many at once per process.
_DECODING = threading.BoundedSemaphore(2)
# Photo rows without their bytes (lists and attaching never need them).
_LIGHT = (defer(Photo.image, raiseload=True), defer(Photo.thumb, raiseload=True))


@dataclass(frozen=True, slots=True)
class Media:
    """Bytes to serve and their entity tag."""

    body: bytes
    etag: str


def _process(data: bytes) -> imaging.Processed:
    with _DECODING:
        return imaging.process(data)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InvalidInput(f"未知的照片类型：{kind}", f"Unknown photo kind: {kind}",
                           code="photo_kind", field="kind")


async def store(*, db: AsyncSession, data: bytes, kind: str, user_id: int | None) -> Photo:
    """Process an upload and keep it, not yet attached, under a fresh unguessable token."""
    _check_kind(kind)
    done = await run_in_threadpool(_process, data)
    lon, lat = done.exif_lonlat or (None, None)
    photo = Photo(token=secrets.token_urlsafe(16), kind=kind, width=done.width,
                  height=done.height, size_bytes=len(done.jpeg),
                  sha256=hashlib.sha256(done.jpeg).hexdigest(), exif_lon=lon, exif_lat=lat,
                  image=done.jpeg, thumb=done.thumb, uploaded_by=user_id)
    db.add(photo)
    await db.commit()
    return photo


async def attach(*, db: AsyncSession, tokens: list[str], report_id: int, step_id: int | None,
                 kind: str) -> list[Photo]:
    """Tie not-yet-attached photos to a report (and step); the caller's transaction commits."""
    _check_kind(kind)
    if len(tokens) > MAX_PER_CALL:
        raise InvalidInput(f"每次最多附加 {MAX_PER_CALL} 张照片",
                           f"At most {MAX_PER_CALL} photos at a time",
                           code="too_many_photos", field="photos")
    wanted = list(dict.fromkeys(tokens))
    if not wanted:
        return []
    found = {p.token: p for p in await db.scalars(
        select(Photo).options(*_LIGHT).where(Photo.token.in_(wanted), Photo.report_id.is_(None))
        .with_for_update())}
    if missing := [t for t in wanted if t not in found]:
        names = ", ".join(missing)
        raise InvalidInput(f"照片不存在或已被使用：{names}",
                           f"Unknown or already attached photo: {names}",
                           code="photo_unknown", field="photos")
    for photo in found.values():
        photo.report_id, photo.step_id, photo.kind = report_id, step_id, kind
    await db.flush()
    return [found[t] for t in wanted]


async def exif_location(*, db: AsyncSession, tokens: list[str]) -> tuple[float, float] | None:
    """The EXIF (lon, lat) of the first of these photos that has one."""
    rows = await db.execute(select(Photo.token, Photo.exif_lon, Photo.exif_lat).where(
        Photo.token.in_(tokens), Photo.exif_lon.is_not(None), Photo.exif_lat.is_not(None)))
    found = {t: (lon, lat) for t, lon, lat in rows if lon is not None and lat is not None}
    return next((found[t] for t in tokens if t in found), None)


async def list_for_report(*, db: AsyncSession, report_id: int) -> list[PhotoOut]:
    """A report's photos in the order they were uploaded."""
    rows = await db.scalars(select(Photo).options(*_LIGHT)
                            .where(Photo.report_id == report_id).order_by(Photo.id))
    return [describe(p) for p in rows]


def describe(photo: Photo) -> PhotoOut:
    """The API shape of a photo row."""
    exif = None
    if photo.exif_lon is not None and photo.exif_lat is not None:
        exif = ExifPoint(lon=photo.exif_lon, lat=photo.exif_lat)
    return PhotoOut(token=photo.token, kind=cast(PhotoKind, photo.kind), width=photo.width,
                    height=photo.height, url=f"/media/{photo.token}.jpg",
                    thumb_url=f"/media/{photo.token}.thumb.jpg", exif=exif)


async def get(*, db: AsyncSession, token: str) -> Photo:
    """The photo with this token (404 otherwise)."""
    photo = await db.scalar(select(Photo).where(Photo.token == token))
    if photo is None:
        raise _not_found()
    return photo


async def media(*, db: AsyncSession, token: str, thumb: bool) -> Media:
    """The JPEG (or thumbnail) of a photo with an ETag from its hash, reading only that."""
    column = Photo.thumb if thumb else Photo.image
    row = (await db.execute(select(column, Photo.sha256).where(Photo.token == token))).first()
    if row is None:
        raise _not_found()
    body, sha = row
    return Media(body=body, etag=f'"{sha}.thumb"' if thumb else f'"{sha}"')


async def purge_unattached(*, db: AsyncSession, older_than: timedelta) -> int:
    """Delete photos never attached to a report within `older_than`; how many went."""
    result = await db.execute(delete(Photo).where(
        Photo.report_id.is_(None), Photo.created_at < func.now() - older_than))
    await db.commit()
    return cast(CursorResult[Any], result).rowcount


def _not_found() -> NotFound:
    return NotFound("找不到这张照片", "No such photo", code="photo_not_found")
