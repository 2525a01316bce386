"""QR codes for printed signs and posters.

Printed codes must survive sun, dirt and cheap phone cameras: error correction Q (25 % of the code
may be damaged), a four-module quiet zone, and vector output so that the code stays sharp at 10 cm.
URLs are written in upper case where that is safe (scheme, host and our own paths), so that they fit
QR alphanumeric mode: fewer modules, bigger modules at the same printed size.
"""

from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from django.conf import settings
from qrcode.constants import ERROR_CORRECT_Q

QUIET_ZONE = 4  # modules; the QR standard's minimum


_base_provider = None


def register_base_url_provider(provider) -> None:
    """provider() -> the root URL of the site being served when it is not the default one (a county's own
    host name), else "" (the app that knows the sites registers it; portal never imports it)."""
    global _base_provider
    _base_provider = provider


def absolute_url(path: str) -> str:
    """The canonical absolute URL of a path of this portal: PORTAL_BASE_URL, or the root URL of the county's
    site being served when that is not the default site — never the Host header as sent."""
    base = (_base_provider() if _base_provider is not None else "") or settings.PORTAL_BASE_URL
    return base + path


def qr_url(path: str, query: str = "") -> str:
    """The text to encode for a path of ours: upper-case scheme, host and path (alphanumeric mode).

    The portal answers upper-case paths for everything it prints (/P/<CODE>/, /GRID/…), so the code
    opens the same page. A query string, if any, is kept as it is.
    """
    parts = urlsplit(absolute_url(path))
    text = f"{parts.scheme}://{parts.netloc}{parts.path}".upper()
    return f"{text}?{query}" if query else text


def qr_matrix(data: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=QUIET_ZONE, box_size=1)
    code.add_data(data, optimize=3)
    code.make(fit=True)
    return code.get_matrix()


def qr_svg(data: str) -> str:
    """An SVG drawing of the code, quiet zone included, that scales to any printed size.

    One path of unit squares in a viewBox of modules: WeasyPrint draws it as vector shapes.
    """
    matrix = qr_matrix(data)
    size = len(matrix)
    cells = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                cells.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
            f'<rect width="{size}" height="{size}" fill="#fff"/><path d="{"".join(cells)}" fill="#000"/></svg>')


def qr_data_uri(data: str) -> str:
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(data).encode()).decode()


def qr_png_data_uri(data: str, *, scale: int = 1) -> str:
    """The code as a small black-and-white PNG, `scale` pixels a module, as a data: URI. Printed with
    `image-rendering: pixelated` it stays as sharp as the SVG at any size, and it is far cheaper for
    WeasyPrint to draw on every page of a batch."""
    import base64
    import io

    from PIL import Image

    matrix = qr_matrix(data)
    size = len(matrix)
    image = Image.new("1", (size, size), 1)
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    image = image.resize((size * scale, size * scale), Image.NEAREST)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def qr_modules(data: str) -> int:
    """The code's width in modules, quiet zone included (for checking printed module size)."""
    return len(qr_matrix(data))
