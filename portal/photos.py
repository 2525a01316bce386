"""Photos: check that an upload really is an image and re-encode it without metadata.

Only the bytes count, never the file name or the browser's content type. An accepted photo is decoded with
Pillow (JPEG, PNG, WebP, and HEIC/HEIF when pillow-heif is installed), guarded against decompression bombs
by an explicit pixel limit checked before decoding, turned upright by its EXIF orientation, flattened to
RGB, scaled down to `long_edge`, and written as a brand-new JPEG image: none of the original metadata
(EXIF, GPS, XMP, ICC, comments) survives, because nothing of the original file is copied. Complaints and
inspections both take photos through here; each app keeps its own limits.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

try:  # HEIC is what iPhones shoot; decode it when the optional plug-in is present.
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF_FORMATS = {"HEIF"}
except ImportError:  # pragma: no cover - depends on the installation
    HEIF_FORMATS = set()

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"} | HEIF_FORMATS
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp" + (",image/heic,image/heif" if HEIF_FORMATS else "")
THUMB_EDGE = 480
JPEG_QUALITY = 85


class PhotoRejected(ValidationError):
    """The upload is not a photo we can take; the message says why, naming the file."""


@dataclass
class ProcessedPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int
    sha256: str


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def short_name(name: str) -> str:
    name = (name or "").replace("\x00", "")[-60:]
    return name or _("照片")


def formats_label() -> str:
    return "JPG、PNG、WebP" + ("、HEIC" if HEIF_FORMATS else "")


def _read(upload, limit: int) -> bytes:
    size = getattr(upload, "size", None)
    name = short_name(getattr(upload, "name", ""))
    if size is not None and size > limit:
        raise PhotoRejected(_("照片“%(name)s”有%(size)s MB，超过了每张%(max)s MB的上限。请换一张或压缩后再上传。")
                            % {"name": name, "size": _mb(size), "max": _mb(limit).rstrip("0").rstrip(".")},
                            code="too_large")
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1) if hasattr(upload, "read") else bytes(upload)
    if len(data) > limit:
        raise PhotoRejected(_("照片“%(name)s”超过了每张%(max)s MB的上限。请换一张或压缩后再上传。")
                            % {"name": name, "max": _mb(limit).rstrip("0").rstrip(".")}, code="too_large")
    if not data:
        raise PhotoRejected(_("“%(name)s”是一个空文件，请重新选择照片。") % {"name": name}, code="empty")
    return data


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on a white background, whatever the mode (palette, alpha, 16-bit, CMYK)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda v: v / 256).convert("L")
    return image.convert("RGB")


def _encode(image: Image.Image, edge: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    # A fresh image holds pixels only: no info dict, so no EXIF/GPS/XMP/ICC/comment can be carried over.
    clean = Image.new("RGB", copy.size)
    clean.paste(copy)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def photo_process(upload, *, max_bytes: int, max_pixels: int, long_edge: int) -> ProcessedPhoto:
    """Check and re-encode one uploaded file; PhotoRejected with a specific message if it is not a photo."""
    name = short_name(getattr(upload, "name", ""))
    data = _read(upload, max_bytes)
    not_image = PhotoRejected(
        _("“%(name)s”不是可以识别的照片（我们检查的是文件内容，不看文件名）。请上传%(formats)s格式的照片。")
        % {"name": name, "formats": formats_label()}, code="not_image")
    too_big = PhotoRejected(
        _("照片“%(name)s”的像素太多，无法处理（最多%(mp)d百万像素）。请用手机相机的普通模式重新拍摄。")
        % {"name": name, "mp": max_pixels // 1_000_000}, code="too_many_pixels")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                width, height = probe.size
                if fmt not in ALLOWED_FORMATS:
                    raise PhotoRejected(
                        _("“%(name)s”是%(format)s格式，我们只接受%(formats)s格式的照片。")
                        % {"name": name, "format": fmt or _("未知"), "formats": formats_label()},
                        code="format")
                if width * height > max_pixels or width > 30000 or height > 30000:
                    raise too_big
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                image = _flatten(image)
        except PhotoRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_big from None
        except (UnidentifiedImageError, SyntaxError, ValueError, TypeError, IndexError, KeyError,
                EOFError, OSError, RuntimeError):
            raise not_image from None
    big = _encode(image, long_edge)
    thumb = _encode(image, THUMB_EDGE)
    with Image.open(io.BytesIO(big)) as check:
        size = check.size
    return ProcessedPhoto(image=big, thumbnail=thumb, width=size[0], height=size[1],
                          sha256=hashlib.sha256(big).hexdigest())
