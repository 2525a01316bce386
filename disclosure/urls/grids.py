"""Public URLs: grid maps, their posters, the personnel roster. The paths are a contract.

Posters' QR codes carry upper-case URLs (QR alphanumeric mode, see portal.qr), so /GRID/SANGONG/ and any
mix of cases answer the same page as /grid/sangong/, directly and without a redirect.
"""

from django.urls import path, re_path

from ..views import grids as views


def _any_case(word: str) -> str:
    """A regular expression matching `word` in any letter case, e.g. [gG][rR][iI][dD]."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else "\\" + c if c == "." else c for c in word)


GRID = _any_case("grid")
POSTER = _any_case("poster.pdf")
# Anything slug-like is taken, so that a mistyped name gets the grids' own "not found" page with links.
TOWNSHIP = r"(?P<township>[A-Za-z0-9-]{1,40})"
VILLAGE = r"(?P<village>[A-Za-z0-9-]{1,40})"

urlpatterns = [
    re_path(rf"^{GRID}/$", views.grid_index, name="grid_index"),
    re_path(rf"^{GRID}/{POSTER}$", views.poster_pdf, name="grid_poster"),
    re_path(rf"^{GRID}/{TOWNSHIP}/$", views.township_page, name="grid_township"),
    re_path(rf"^{GRID}/{TOWNSHIP}/{POSTER}$", views.poster_pdf, name="grid_township_poster"),
    re_path(rf"^{GRID}/{TOWNSHIP}/{VILLAGE}/$", views.village_page, name="grid_village"),
    re_path(rf"^{GRID}/{TOWNSHIP}/{VILLAGE}/{POSTER}$", views.poster_pdf, name="grid_village_poster"),
    path("personnel/", views.personnel, name="personnel"),
]
