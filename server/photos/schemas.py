"""API shapes of photos."""

from typing import Literal

from pydantic import BaseModel

PhotoKind = Literal["intake", "result"]


class ExifPoint(BaseModel):
    """Where the camera said the photo was taken (WGS84)."""

    lon: float
    lat: float


class PhotoOut(BaseModel):
    """An uploaded photo as clients see it: its token, size and where to fetch it."""

    token: str
    kind: PhotoKind
    width: int
    height: int
    url: str
    thumb_url: str
    exif: ExifPoint | None = None
