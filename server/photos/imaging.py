"""Turn an uploaded photo into an upright, metadata-free JPEG and thumbnail.

Pure image work with Pillow (and pillow-heif for iPhone HEIC); the only server import is
the domain errors, so a refusal reads the same here as over HTTP.
"""

import io
import math
from dataclasses import dataclass
from typing import Any

import pillow_heif
from PIL import ExifTags, Image, ImageCms, ImageOps, UnidentifiedImageError

from server.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType

pillow_heif.register_heif_opener()

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
LONG_EDGE = 2048
THUMB_EDGE = 320
QUALITY = 85
ACCEPTED_ZH = "JPEG、PNG、HEIC/HEIF 或 WebP"
ACCEPTED_EN = "JPEG, PNG, HEIC/HEIF or WebP"
# ISO-BMFF major brands of HEIF stills and sequences (iPhones write "heic").
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs",
               b"mif1", b"msf1"}
# Whatever Pillow throws at a damaged file while opening or decoding it.
BROKEN = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError,
          TypeError, RuntimeError)
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True, slots=True)
class Processed:
    """The stored form of one upload."""

    jpeg: bytes
    thumb: bytes
    width: int
    height: int
    exif_lonlat: tuple[float, float] | None
    source_format: str


def process(data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS,
            long_edge: int = LONG_EDGE, thumb_edge: int = THUMB_EDGE) -> Processed:
    """Check, decode upright, read GPS, and re-encode `data` as JPEG + thumbnail, no EXIF."""
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    fmt = sniff(data[:32])
    if fmt is None:
        raise _not_an_image()
    img = _open(data, fmt, max_pixels)
    picture = _decode(img, fmt, long_edge)
    lonlat = gps_lonlat(img)
    picture.thumbnail((long_edge, long_edge), Image.Resampling.LANCZOS)
    thumb = picture.copy()
    thumb.thumbnail((thumb_edge, thumb_edge), Image.Resampling.LANCZOS)
    return Processed(jpeg=encode_jpeg(picture), thumb=encode_jpeg(thumb), width=picture.width,
                     height=picture.height, exif_lonlat=lonlat, source_format=fmt)


def sniff(head: bytes) -> str | None:
    """The Pillow format name the leading bytes announce, if it is one we accept.

    >>> sniff(b"\\x89PNG\\r\\n\\x1a\\n...."), sniff(b"%PDF-1.7"), sniff(b"GIF89a")
    ('PNG', None, None)
    """
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "HEIF"
    return None


def _open(data: bytes, fmt: str, max_pixels: int) -> Image.Image:
    """Read only the header (with the sniffed format's decoder) and check the pixel count."""
    try:
        img = Image.open(io.BytesIO(data), formats=[fmt])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(None, max_pixels) from exc
    except BROKEN as exc:
        raise _corrupt() from exc
    width, height = img.size
    if width * height > max_pixels:
        raise _too_many_pixels((width, height), max_pixels)
    if width < 1 or height < 1:
        raise _corrupt()
    return img


def _decode(img: Image.Image, fmt: str, long_edge: int) -> Image.Image:
    """Decode the pixels and return them upright in sRGB."""
    try:
        if fmt == "JPEG":  # let libjpeg scale down while decoding: far less memory
            img.draft("RGB", (long_edge, long_edge))
        img.load()
        return to_rgb(_upright(img))
    except BROKEN as exc:
        raise _corrupt() from exc


def _upright(img: Image.Image) -> Image.Image:
    """Apply the EXIF orientation; a photo with unreadable EXIF is kept as stored."""
    try:
        return ImageOps.exif_transpose(img)
    except Exception:  # junk EXIF must not cost the resident their photo
        return img.copy()


def to_rgb(img: Image.Image) -> Image.Image:
    """Plain RGB in sRGB: transparency onto white, 16-bit grey scaled, a colour profile applied.

    >>> to_rgb(Image.new("LA", (1, 1), (0, 0))).getpixel((0, 0))
    (255, 255, 255)
    """
    icc = img.info.get("icc_profile")
    if img.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in img.info:
        rgba = img.convert("RGBA")
        img = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    elif img.mode.startswith("I") or img.mode == "F":
        img = img.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if icc and img.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(img.convert("RGB") if img.mode == "RGBA"
                                                  else img, source, SRGB, outputMode="RGB")
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken or mismatched profile: plain conversion below
    return img.convert("RGB")


def gps_lonlat(img: Image.Image) -> tuple[float, float] | None:
    """The WGS84 (lon, lat) in the photo's GPS EXIF, or None when absent or nonsense."""
    try:
        gps = img.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef))
        lon = _degrees(gps.get(ExifTags.GPS.GPSLongitude),
                       gps.get(ExifTags.GPS.GPSLongitudeRef))
    except Exception:  # EXIF is whatever the camera (or anyone) wrote; never fatal
        return None
    if lon is None or lat is None or (lon == 0 and lat == 0):
        return None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return round(lon, 7), round(lat, 7)


def _degrees(dms: Any, ref: Any) -> float | None:
    """Degrees/minutes/seconds rationals and an N/S/E/W ref as signed decimal degrees.

    >>> round(_degrees((116.0, 23.0, 30.0), "W") or 0, 6)
    -116.391667
    """
    if not isinstance(dms, tuple) or len(dms) != 3:
        return None
    d, m, s = (float(v) for v in dms)
    if not all(math.isfinite(v) and v >= 0 for v in (d, m, s)) or m >= 60 or s >= 60:
        return None
    ref = ref.decode("ascii", "replace") if isinstance(ref, bytes) else str(ref or "")
    sign = -1.0 if ref.strip("\x00 ").upper() in ("S", "W") else 1.0
    return sign * (d + m / 60 + s / 3600)


def encode_jpeg(img: Image.Image) -> bytes:
    """JPEG bytes with no EXIF, ICC, XMP or comment: nothing but pixels."""
    img.info.clear()  # Pillow carries a source comment over from info
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=QUALITY, optimize=True, exif=b"")
    return buf.getvalue()


def _too_large(limit: int) -> PayloadTooLarge:
    mib = f"{limit / 1024 / 1024:g}"
    return PayloadTooLarge(f"图片文件过大（上限 {mib} MB）",
                           f"The image file is too large (limit {mib} MB)",
                           code="image_too_large", field="file")


def _not_an_image() -> UnsupportedMediaType:
    return UnsupportedMediaType(f"这不是可接受的图片，请上传 {ACCEPTED_ZH} 格式的照片",
                                f"This is not an accepted image; upload a {ACCEPTED_EN} photo",
                                code="not_an_image", field="file")


def _corrupt() -> UnsupportedMediaType:
    return UnsupportedMediaType(
        f"图片已损坏或不完整，无法读取；请重新拍摄或选择其他 {ACCEPTED_ZH} 照片",
        f"The image is damaged or incomplete; take or choose another {ACCEPTED_EN} photo",
        code="image_corrupt", field="file")


def _too_many_pixels(size: tuple[int, int] | None, limit: int) -> InvalidInput:
    mp = f"{limit / 1e6:g}"
    dims = f"{size[0]}×{size[1]}，" if size else ""
    dims_en = f"{size[0]}×{size[1]}; " if size else ""
    return InvalidInput(f"图片像素过多（{dims}上限 {mp} 百万像素）",
                        f"The image has too many pixels ({dims_en}limit {mp} megapixels)",
                        code="image_too_many_pixels", field="file")
