"""Rendering print templates to PDF with WeasyPrint, and serving rendered PDFs from a cache.

Fonts: the print stylesheets ask for Noto Sans CJK SC (Debian's fonts-noto-cjk); without a CJK font
Chinese prints as boxes, so `make run`/`make test` install it. Images are read from the local disk
(MEDIA_ROOT and the static folders) or handed over as data: URIs (`file_uri`: uploads on object storage),
never fetched from the network.
"""

import logging
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

PDF_CACHE_SECONDS = 30 * 24 * 3600


def _allowed_roots() -> list[Path]:
    roots = [Path(settings.MEDIA_ROOT).resolve()]
    roots += [Path(p).resolve() for p in getattr(settings, "STATICFILES_DIRS", [])]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def local_url_fetcher():
    """A WeasyPrint URL fetcher that reads only local files: data: URIs, file:// paths under the media
    and static folders, and /static/… or /media/… URLs resolved to those folders. Nothing remote."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    roots = _allowed_roots()

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if path.is_file() and (any(path.is_relative_to(root) for root in roots)
                                       or finders.find(path.name) is not None):
                    return super().fetch(url, headers)
                raise ValueError(f"PDF rendering reads only media and static files: {url[:80]}")
            for prefix, resolve in ((settings.STATIC_URL, finders.find),
                                    (settings.MEDIA_URL, lambda rel: str(Path(settings.MEDIA_ROOT) / rel))):
                marker = url.find(prefix)
                if marker != -1:
                    found = resolve(unquote(url[marker + len(prefix):].split("?")[0]))
                    if found and Path(found).is_file():
                        return super().fetch(Path(found).resolve().as_uri(), headers)
            raise ValueError(f"PDF rendering does not fetch remote resources: {url[:80]}")

    return LocalFetcher(allowed_protocols={"file", "data"})


def file_uri(stored) -> str:
    """A URI WeasyPrint may read for a stored file (an image's rendition, say): file:// on this server's
    disk, or the file's bytes as a data: URI when it lives on object storage, which has no local path."""
    try:
        return Path(stored.path).as_uri()
    except NotImplementedError:
        pass
    import base64
    import mimetypes

    with stored.storage.open(stored.name, "rb") as handle:
        data = handle.read()
    content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def static_file(path: str) -> Path | None:
    """A static file on disk (print stylesheets and the logo are inlined or read from disk: hashed static
    names do not resolve to files), or None."""
    found = finders.find(path)
    return Path(found) if found else None


def static_text(path: str) -> str:
    found = static_file(path)
    return found.read_text(encoding="utf-8") if found else ""


# A document drawn for a Uyghur reader: Arabic-script fonts that have the Uyghur letters first (Chinese
# names fall back to Noto CJK glyph by glyph), and no letter spacing, which would break the joined script.
UYGHUR_PRINT_CSS = """
html[lang="ug"] body { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "UKIJ Tuz Tom", "Noto Sans CJK SC", sans-serif; }
html[lang="ug"] * { letter-spacing: 0 !important; }
"""


def script_adapted(html: str) -> str:
    """Our print markup for the active language: a document printed while Uyghur is chosen is marked
    lang="ug" (its interface text is Uyghur) and gets UYGHUR_PRINT_CSS."""
    if translation.get_language() != "ug":
        return html
    html = html.replace('<html lang="zh-CN"', '<html lang="ug"', 1)
    return html.replace("</head>", f"<style>{UYGHUR_PRINT_CSS}</style></head>", 1)


def html_document(html: str):
    """A WeasyPrint HTML object for our own markup, reading only local files."""
    import weasyprint

    return weasyprint.HTML(string=script_adapted(html), base_url=settings.PORTAL_BASE_URL + "/",
                           url_fetcher=local_url_fetcher())


def memory_release() -> None:
    """Hand the memory of a finished document back to the system (glibc keeps freed memory otherwise,
    and a long batch would grow by a fragment of every chunk it drew)."""
    import contextlib
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def render_pdf(template: str, context: dict) -> bytes:
    """Render a print template to PDF bytes."""
    return html_document(render_to_string(template, context)).write_pdf()


def cached_pdf(key: str, version: str, render: Callable[[], bytes]) -> tuple[bytes, bool]:
    """The PDF for `key` at `version` from the shared cache, rendered only when the version changed.

    Returns (pdf bytes, whether it came from the cache).
    """
    # The language too: a document's labels are in the language of whoever asked for it.
    cache_key = f"pdf:{key}:{translation.get_language()}:{version}"
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
