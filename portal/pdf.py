"""Rendering print templates to PDF with WeasyPrint, and serving rendered PDFs from a cache.

Fonts: the print stylesheets ask for Noto Sans CJK SC (Debian's fonts-noto-cjk); without a CJK font
Chinese prints as boxes, so `make run`/`make test` install it. Images are read from the local disk
(MEDIA_ROOT and the static folders), never from the network.
"""

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

PDF_CACHE_SECONDS = 30 * 24 * 3600


def _url_fetcher(url: str, *args, **kwargs):
    """Let WeasyPrint read only local files: static files, media files and data: URIs."""
    import weasyprint

    if url.startswith("data:"):
        return weasyprint.default_url_fetcher(url, *args, **kwargs)
    for prefix, resolve in ((settings.STATIC_URL, finders.find),
                            (settings.MEDIA_URL, lambda p: str(Path(settings.MEDIA_ROOT) / p))):
        marker = url.find(prefix)
        if url.startswith("file://") or marker == -1:
            continue
        relative = url[marker + len(prefix):].split("?")[0]
        path = resolve(relative)
        if path and Path(path).is_file():
            return {"file_obj": open(path, "rb"), "mime_type": None}  # noqa: SIM115 (WeasyPrint closes it)
    if url.startswith("file://"):
        return weasyprint.default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"PDF rendering does not fetch remote resources: {url}")


def render_pdf(template: str, context: dict) -> bytes:
    """Render a print template to PDF bytes."""
    import weasyprint

    html = render_to_string(template, context)
    document = weasyprint.HTML(string=html, base_url=settings.PORTAL_BASE_URL + "/", url_fetcher=_url_fetcher)
    return document.write_pdf()


def fingerprint(*parts) -> str:
    """A short hash of everything a rendered document depends on."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\x1f")
    return digest.hexdigest()[:32]


def cached_pdf(key: str, version: str, render: Callable[[], bytes]) -> tuple[bytes, bool]:
    """The PDF for `key` at `version` from the shared cache, rendered only when the version changed.

    Returns (pdf bytes, whether it came from the cache).
    """
    cache_key = f"pdf:{key}:{version}"
    pdf = cache.get(cache_key)
    if pdf is not None:
        return pdf, True
    pdf = render()
    cache.set(cache_key, pdf, PDF_CACHE_SECONDS)
    return pdf, False


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    from django.utils.http import content_disposition_header

    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Content-Length"] = str(len(pdf))
    return response
