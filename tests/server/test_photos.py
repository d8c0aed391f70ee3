"""Photo uploads: upright, GPS read then stripped, bad files refused, attached once."""

import asyncio
import io
import struct
import zlib
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

import pytest
from fastapi.testclient import TestClient
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational
from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession

from server.db import make_engine, make_sessionmaker
from server.errors import DomainError, InvalidInput, PayloadTooLarge, UnsupportedMediaType
from server.photos import imaging, service
from server.photos.models import Photo
from server.photos.schemas import PhotoOut
from tests.conftest import login
from tests.server.helpers import one

T = TypeVar("T")
RED, BLUE = (220, 20, 20), (20, 20, 220)
# Tiananmen, as a camera writes it: degrees, minutes, seconds.
GPS = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (39.0, 54.0, 15.0),
       ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (116.0, 23.0, 30.0)}
LON, LAT = 116 + 23 / 60 + 30 / 3600, 39 + 54 / 60 + 15 / 3600


def exif(*, orientation: int | None = None, gps: dict | None = None) -> bytes:
    data = Image.Exif()
    if orientation:
        data[ExifTags.Base.Orientation] = orientation
    if gps:
        data[ExifTags.IFD.GPSInfo] = gps
    return data.tobytes()


def encoded(img: Image.Image, fmt: str = "JPEG", **params: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **params)
    return buf.getvalue()


def corner_photo(size: tuple[int, int] = (400, 200)) -> Image.Image:
    """Blue, with a red square in the stored top-left corner."""
    img = Image.new("RGB", size, BLUE)
    img.paste(RED, (0, 0, 60, 60))
    return img


def noisy(size: tuple[int, int]) -> Image.Image:
    return Image.effect_noise(size, 64).convert("RGB")


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width×height but whose pixel data is a few bytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def upload(client: TestClient, data: bytes, name: str = "p.jpg", **form: str):  # noqa: ANN201
    return client.post("/api/uploads", files={"file": (name, data, "image/jpeg")}, data=form)


def uploaded(client: TestClient, data: bytes, **form: str) -> PhotoOut:
    r = upload(client, data, **form)
    assert r.status_code == 201, r.text
    return PhotoOut.model_validate(r.json())


def served(client: TestClient, url: str) -> tuple[bytes, Image.Image]:
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    img = Image.open(io.BytesIO(r.content))
    assert img.format == "JPEG"
    return r.content, img


def close(pixel: object, colour: tuple[int, int, int], tol: int = 40) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= tol for a, b in zip(pixel, colour, strict=True))


def refused(r, status: int, code: str) -> None:  # noqa: ANN001
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == code and body["detail_zh"] and body["detail_en"]


def count_photos(url: str) -> int:
    return int(one(url, "SELECT count(*) FROM photos")[0])


def in_session(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run service code in one session on the test database."""

    async def main() -> T:
        engine = make_engine(url, pool_size=1)
        try:
            async with make_sessionmaker(engine)() as db:
                return await work(db)
        finally:
            await engine.dispose()

    return asyncio.run(main())


# --- pixels and metadata --------------------------------------------------------------


def test_exif_orientation_is_applied(client: TestClient) -> None:
    photo = uploaded(client, encoded(corner_photo(), exif=exif(orientation=6)))
    assert (photo.width, photo.height) == (200, 400)
    _, img = served(client, photo.url)
    assert img.size == (200, 400)
    # Orientation 6 turns the picture a quarter clockwise: top-left goes to top-right.
    assert close(img.getpixel((190, 10)), RED) and close(img.getpixel((10, 10)), BLUE)
    assert close(img.getpixel((190, 390)), BLUE)


def test_gps_is_reported_and_never_served(client: TestClient, seeded_url: str) -> None:
    data = encoded(noisy((640, 480)), exif=exif(gps=GPS), comment=b"secret note")
    assert b"GPS" in data or b"Exif" in data
    photo = uploaded(client, data)
    assert photo.exif is not None
    assert abs(photo.exif.lon - LON) < 1e-6 and abs(photo.exif.lat - LAT) < 1e-6
    lon, lat = one(seeded_url, "SELECT exif_lon, exif_lat FROM photos WHERE token = %s",
                   photo.token)
    assert abs(lon - LON) < 1e-6 and abs(lat - LAT) < 1e-6
    for url in (photo.url, photo.thumb_url):
        body, img = served(client, url)
        assert len(img.getexif()) == 0
        assert b"Exif" not in body and b"GPS" not in body and b"secret" not in body
        assert not {"exif", "icc_profile", "xmp", "comment"} & set(img.info)


def test_photo_without_gps_has_no_exif_point(client: TestClient) -> None:
    assert uploaded(client, encoded(noisy((100, 80)))).exif is None


@pytest.mark.parametrize("raw", [
    exif(gps={**GPS, ExifTags.GPS.GPSLatitude: (0.0, 0.0, 0.0),
              ExifTags.GPS.GPSLongitude: (0.0, 0.0, 0.0)}),
    exif(gps={**GPS, ExifTags.GPS.GPSLatitude: (95.0, 0.0, 0.0)}),
    exif(gps={**GPS, ExifTags.GPS.GPSLongitude: (116.0, 75.0, 0.0)}),
    exif(gps={**GPS, ExifTags.GPS.GPSLatitude: (IFDRational(39, 0), 0.0, 0.0)}),
    exif(gps={**GPS, ExifTags.GPS.GPSLatitude: (39.0, 54.0)}),
    exif(gps={ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (39.0, 54.0, 15.0)}),
], ids=["zero", "lat-out-of-range", "minutes-60", "zero-denominator", "two-parts",
        "no-longitude"])
def test_junk_gps_is_ignored(raw: bytes) -> None:
    done = imaging.process(encoded(noisy((64, 48)), exif=raw))
    assert done.exif_lonlat is None and (done.width, done.height) == (64, 48)


def test_garbage_exif_costs_nothing_but_a_warning() -> None:
    raw = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff" + bytes(range(256))
    with pytest.warns(UserWarning, match="Corrupt EXIF"):  # Pillow's, while reading the header
        done = imaging.process(encoded(noisy((64, 48)), exif=raw))
    assert done.exif_lonlat is None and (done.width, done.height) == (64, 48)


def test_southern_western_refs_are_negative() -> None:
    gps = {**GPS, ExifTags.GPS.GPSLatitudeRef: "S", ExifTags.GPS.GPSLongitudeRef: "W"}
    lonlat = imaging.process(encoded(noisy((64, 48)), exif=exif(gps=gps))).exif_lonlat
    assert lonlat is not None
    assert abs(lonlat[0] + LON) < 1e-6 and abs(lonlat[1] + LAT) < 1e-6


def test_sizes_are_capped(client: TestClient) -> None:
    photo = uploaded(client, encoded(noisy((3000, 1200)), quality=40))
    assert (photo.width, photo.height) == (2048, 819)
    assert served(client, photo.url)[1].size == (2048, 819)
    assert max(served(client, photo.thumb_url)[1].size) == 320
    small = uploaded(client, encoded(noisy((300, 200))))
    assert (small.width, small.height) == (300, 200)  # never enlarged
    assert served(client, small.thumb_url)[1].size == (300, 200)


# --- formats ---------------------------------------------------------------------------


def test_png_with_transparency_is_accepted_on_white(client: TestClient) -> None:
    img = Image.new("RGBA", (120, 90), (0, 0, 0, 0))
    img.paste((20, 20, 220, 255), (0, 0, 60, 90))
    photo = uploaded(client, encoded(img, "PNG"), name="p.png")
    _, out = served(client, photo.url)
    assert close(out.getpixel((10, 45)), BLUE) and close(out.getpixel((110, 45)), (255,) * 3)


def test_heic_is_accepted(client: TestClient) -> None:
    data = encoded(corner_photo(), "HEIF", quality=90)  # pillow-heif's encoder
    assert data[4:12] == b"ftypheic"
    photo = uploaded(client, data)
    assert (photo.width, photo.height) == (400, 200)
    _, img = served(client, photo.url)
    assert close(img.getpixel((10, 10)), RED) and close(img.getpixel((390, 190)), BLUE)


@pytest.mark.parametrize(("fmt", "params"), [
    ("JPEG", {}), ("PNG", {}), ("WEBP", {"quality": 90}), ("HEIF", {"quality": 90}),
])
def test_format_is_detected_from_the_bytes(fmt: str, params: dict) -> None:
    done = imaging.process(encoded(corner_photo(), fmt, **params))
    assert done.source_format == fmt and (done.width, done.height) == (400, 200)
    assert done.jpeg[:3] == done.thumb[:3] == b"\xff\xd8\xff"


def test_16_bit_grey_png_keeps_its_tones() -> None:
    done = imaging.process(encoded(Image.new("I;16", (20, 20), 32768), "PNG"))
    assert close(Image.open(io.BytesIO(done.jpeg)).getpixel((5, 5)), (128,) * 3, tol=3)


@pytest.mark.parametrize("data", [
    "路边垃圾堆积，请尽快处理".encode() * 20,
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n",
    encoded(Image.new("P", (20, 20)), "GIF"),
    encoded(Image.new("RGB", (20, 20)), "BMP"),
    b"",
], ids=["text", "pdf", "gif", "bmp", "empty"])
def test_non_images_are_415(client: TestClient, seeded_url: str, data: bytes) -> None:
    before = count_photos(seeded_url)
    r = upload(client, data, name="photo.jpg")  # the name and declared type do not matter
    refused(r, 415, "not_an_image")
    assert "HEIC" in r.json()["detail_zh"] and "HEIC" in r.json()["detail_en"]
    assert count_photos(seeded_url) == before


def test_truncated_jpeg_is_415(client: TestClient, seeded_url: str) -> None:
    data = encoded(noisy((800, 600)))
    refused(upload(client, data[: len(data) // 2]), 415, "image_corrupt")
    refused(upload(client, data[:200]), 415, "image_corrupt")
    assert count_photos(seeded_url) == 0


# --- limits ----------------------------------------------------------------------------


def test_over_10_mib_is_413() -> None:
    with pytest.raises(PayloadTooLarge) as caught:
        imaging.process(b"\xff\xd8\xff" + bytes(11 * 1024 * 1024))
    assert caught.value.status == 413 and caught.value.code == "image_too_large"
    assert "10 MB" in caught.value.message_en


def test_over_10_mib_upload_is_413(client: TestClient) -> None:
    r = upload(client, b"\xff\xd8\xff" + bytes(11 * 1024 * 1024))
    assert r.status_code == 413 and r.json()["code"] == "image_too_large"


def test_too_many_pixels_is_refused(client: TestClient) -> None:
    data = encoded(Image.new("1", (9000, 9000)), "PNG")
    assert len(data) < 100_000
    refused(upload(client, data, name="p.png"), 422, "image_too_many_pixels")


@pytest.mark.parametrize("side", [9000, 20000])  # 81 MP; 400 MP is past Pillow's own guard
def test_pixels_are_counted_before_decoding(side: int) -> None:
    # The pixel data is cut short: decoding it would be image_corrupt, not this.
    with pytest.raises(InvalidInput) as caught:
        imaging.process(png_header(side, side))
    assert caught.value.code == "image_too_many_pixels"
    with pytest.raises(UnsupportedMediaType):
        imaging.process(png_header(100, 100))


# --- HTTP ------------------------------------------------------------------------------


def test_media_is_cached_privately_with_etag(client: TestClient, seeded_url: str) -> None:
    photo = uploaded(client, encoded(noisy((800, 400))))
    sha = one(seeded_url, "SELECT sha256 FROM photos WHERE token = %s", photo.token)[0]
    r = client.get(photo.url)
    assert r.headers["cache-control"] == "private, max-age=86400"
    assert r.headers["etag"] == f'"{sha}"'
    t = client.get(photo.thumb_url)
    assert t.headers["etag"] not in ("", r.headers["etag"]) and t.content != r.content
    again = client.get(photo.url, headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and not again.content


@pytest.mark.parametrize("url", ["/media/unknown.jpg", "/media/unknown.thumb.jpg"])
def test_unknown_media_is_404(client: TestClient, url: str) -> None:
    refused(client.get(url), 404, "photo_not_found")


def test_upload_must_be_multipart_with_a_file(client: TestClient) -> None:
    refused(client.post("/api/uploads", content=encoded(noisy((20, 20))),
                        headers={"Content-Type": "image/jpeg"}), 415, "multipart_required")
    refused(client.post("/api/uploads", json={"file": "x"}), 415, "multipart_required")
    r = client.post("/api/uploads", files={"other": ("p.jpg", b"x", "image/jpeg")})
    refused(r, 422, "invalid_input")
    assert r.json()["field"] == "file"
    refused(upload(client, encoded(noisy((20, 20))), kind="before"), 422, "invalid_input")


def test_kind_and_uploader_are_recorded(client: TestClient, seeded_url: str) -> None:
    data = encoded(noisy((40, 30)))
    anonymous = uploaded(client, data)
    assert anonymous.kind == "intake"
    r = client.post("/api/uploads", files={"file": ("p.jpg", data, "image/jpeg")},
                    data={"kind": "result"}, headers=login(client, "patroller"))
    assert r.status_code == 201 and r.json()["kind"] == "result"
    rows = {t: (k, u) for t, k, u in [
        one(seeded_url, "SELECT token, kind, uploaded_by FROM photos WHERE token = %s", tok)
        for tok in (anonymous.token, r.json()["token"])]}
    patroller = one(seeded_url, "SELECT id FROM users WHERE username = 'patroller'")[0]
    assert rows == {anonymous.token: ("intake", None), r.json()["token"]: ("result", patroller)}
    bad = client.post("/api/uploads", files={"file": ("p.jpg", data, "image/jpeg")},
                      headers={"Authorization": "Bearer nonsense"})
    refused(bad, 401, "bad_token")


# --- attaching and housekeeping --------------------------------------------------------


def report_id(url: str) -> int:
    return int(one(url, "SELECT min(id) FROM reports")[0])


async def stored(db: AsyncSession, n: int, *, gps: bool = False) -> list[str]:
    """Tokens of n freshly uploaded, unattached photos."""
    data = encoded(noisy((32, 24)), exif=exif(gps=GPS) if gps else b"")
    return [(await service.store(db=db, data=data, kind="intake", user_id=None)).token
            for _ in range(n)]


def test_attach_takes_each_photo_once(seeded_url: str) -> None:
    rid = report_id(seeded_url)

    async def work(db: AsyncSession) -> None:
        first, second = await stored(db, 2)
        attached = await service.attach(db=db, tokens=[second, first], report_id=rid,
                                        step_id=None, kind="intake")
        assert [p.token for p in attached] == [second, first]
        await db.commit()
        listed = await service.list_for_report(db=db, report_id=rid)
        assert [p.token for p in listed] == [first, second]
        for tokens in ([first], ["no-such-token"], (await stored(db, 1)) + [second]):
            with pytest.raises(InvalidInput) as caught:
                await service.attach(db=db, tokens=tokens, report_id=rid, step_id=None,
                                     kind="intake")
            assert caught.value.code == "photo_unknown"
            assert tokens[-1] in caught.value.message_en and tokens[-1] in caught.value.message_zh
            await db.rollback()

    in_session(seeded_url, work)
    # The refused call attached nothing, not even its known, unattached token.
    assert one(seeded_url, "SELECT count(*) FROM photos WHERE report_id IS NULL")[0] == 1


def test_attach_at_most_nine(seeded_url: str) -> None:
    async def work(db: AsyncSession) -> None:
        tokens = await stored(db, 10)
        with pytest.raises(InvalidInput) as caught:
            await service.attach(db=db, tokens=tokens, report_id=report_id(seeded_url),
                                 step_id=None, kind="intake")
        assert caught.value.code == "too_many_photos"
        done = await service.attach(db=db, tokens=tokens[:9], report_id=report_id(seeded_url),
                                    step_id=None, kind="result")
        assert len(done) == 9 and {p.kind for p in done} == {"result"}

    in_session(seeded_url, work)


def test_exif_location_is_the_first_with_gps(seeded_url: str) -> None:
    async def work(db: AsyncSession) -> None:
        plain, located = await stored(db, 1), await stored(db, 1, gps=True)
        assert await service.exif_location(db=db, tokens=plain) is None
        lonlat = await service.exif_location(db=db, tokens=plain + located)
        assert lonlat is not None and abs(lonlat[0] - LON) < 1e-6
        assert abs(lonlat[1] - LAT) < 1e-6

    in_session(seeded_url, work)


def test_get_and_purge_unattached(seeded_url: str) -> None:
    rid = report_id(seeded_url)

    async def work(db: AsyncSession) -> list[str]:
        old, kept, fresh = await stored(db, 3)
        assert (await service.get(db=db, token=old)).image[:2] == b"\xff\xd8"
        with pytest.raises(DomainError) as caught:
            await service.get(db=db, token="nope")
        assert caught.value.status == 404
        await service.attach(db=db, tokens=[kept], report_id=rid, step_id=None, kind="intake")
        await db.commit()
        await db.execute(update(Photo).where(Photo.token.in_([old, kept]))
                         .values(created_at=func.now() - timedelta(days=2)))
        await db.commit()
        assert await service.purge_unattached(db=db, older_than=timedelta(days=1)) == 1

        return [kept, fresh]

    survivors = in_session(seeded_url, work)
    assert one(seeded_url, "SELECT array_agg(token ORDER BY id) FROM photos")[0] == survivors

