"""The place a request is served for: each Wagtail site (host name) serves one grid — a county's site its county,
a prefecture's or the region's site the grid above its counties (`ServedGrid`, a site setting); work outside
a request (commands, background tasks) is done for the default site. A site with no setting serves the
tree's natural top: going down from the top grid while a region or prefecture has a single child, so that a
portal holding one county (with or without the levels above it) serves that county.

Lookups are remembered per process for a minute (host name → site → grid), so a page asks the database
nothing for it after the first request; changing a grid or a site's setting forgets them at once here and
within the minute elsewhere.
"""

import contextvars
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site

from portal.http import site_stamp_forget

from .models import ABOVE_COUNTY, Grid, GridLevel, ServedGrid

MEMO_SECONDS = 60
_request: contextvars.ContextVar = contextvars.ContextVar("served_request", default=None)
_memo: dict = {}  # key -> (monotonic time, value)


def _remember(key, compute):
    now = time.monotonic()
    kept = _memo.get(key)
    if kept and now - kept[0] < MEMO_SECONDS:
        return kept[1]
    value = compute()
    _memo[key] = (now, value)
    return value


def forget() -> None:
    """Drop what this process remembers (after grids or site settings changed, and between tests)."""
    _memo.clear()


class ServedSiteMiddleware:
    """Makes the request's site known to served_grid() while the request is handled."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def _site_id_for(request) -> int | None:
    try:
        host = request.get_host().split(":")[0].lower()
    except Exception:  # DisallowedHost: the default site
        host = ""
    port = request.get_port()

    def find():
        site = Site.find_for_request(request)
        return site.pk if site else None

    return _remember(("site", host, port), find)


def _natural_top() -> Grid | None:
    def find():
        grid = Grid.objects.filter(parent__isnull=True).select_related("parent").order_by("sort_order", "code").first()
        while grid is not None and grid.level in ABOVE_COUNTY:
            children = list(Grid.objects.filter(parent=grid).select_related("parent")[:2])
            if len(children) != 1:
                break
            grid = children[0]
        return grid

    return _remember(("top",), find)


def site_grid(site_id: int | None) -> Grid | None:
    """The grid a site serves (its setting, else the tree's natural top)."""
    if site_id is None:
        return _natural_top()

    def find():
        return (Grid.objects.filter(pk__in=ServedGrid.objects.filter(site_id=site_id).values("grid_id"))
                .select_related("parent").first())

    return _remember(("grid", site_id), find) or _natural_top()


def served_site_root() -> str:
    """The root URL of the request's site when it is not the default one ("" otherwise, and outside a
    request): links and QR codes printed for a county's site carry its own host name."""
    request = _request.get()
    if request is None:
        return ""
    site_id = _site_id_for(request)
    if site_id is None or site_id == _default_site_id():
        return ""

    def find():
        site = Site.objects.filter(pk=site_id).first()
        return site.root_url if site else ""

    return _remember(("root", site_id), find)


def _default_site_id() -> int | None:
    return _remember(("default-site",), lambda: Site.objects.filter(is_default_site=True).values_list(
        "pk", flat=True).first())


def served_grid() -> Grid | None:
    """The grid the current request's site serves; outside a request (commands, background tasks), the
    default site's."""
    request = _request.get()
    return site_grid(_site_id_for(request) if request is not None else _default_site_id())


def served_county() -> Grid | None:
    """The county grid served, or None when the site serves several counties (a prefecture's or the region's)."""
    grid = served_grid()
    if grid is None or grid.level == GridLevel.CITY:
        return grid
    if grid.level in ABOVE_COUNTY:
        counties = list(Grid.objects.within(grid).counties()[:2])
        return counties[0] if len(counties) == 1 else None
    return grid.ancestor(GridLevel.CITY)


def serves(grid: Grid) -> bool:
    """Whether a grid lies within what the current site serves."""
    top = served_grid()
    return top is None or grid.path.startswith(top.path)


def _served_sites() -> list[tuple[str, str, bool]]:
    """(served grid's path, site root URL, whether it is the default site) for every site with a served grid,
    deepest grids first."""
    def find():
        rows = [(setting.grid.path, setting.site.root_url, setting.site.is_default_site) for setting in
                ServedGrid.objects.filter(grid__isnull=False).select_related("site", "grid")]
        return sorted(rows, key=lambda row: -len(row[0]))

    return _remember(("sites",), find)


def url_on_site_serving(grid: Grid, path: str, *, own: bool = False) -> str | None:
    """The address of `path` on the site that serves this grid (the nearest above or at it; with own=True,
    only a site serving exactly this grid), or None when no site does."""
    root = next((url for grid_path, url, _default in _served_sites()
                 if (grid.path == grid_path if own else grid.path.startswith(grid_path))), None)
    return f"{root}{path}" if root else None


def public_url_for(grid: Grid, path: str) -> str:
    """The address of `path` to give the public about this grid (in a text message, an e-mail): on the site
    of the county (or the level above) that serves it, or on PORTAL_BASE_URL when that is the default site
    or no site serves it — the address printed on signs and posters."""
    found = next(((url, default) for grid_path, url, default in _served_sites()
                  if grid.path.startswith(grid_path)), None)
    if found is None or found[1]:
        return settings.PORTAL_BASE_URL + path
    return found[0] + path


@receiver([post_save, post_delete], sender=ServedGrid)
@receiver([post_save, post_delete], sender=Site)
def _setting_changed(**kwargs):
    forget()
    site_stamp_forget()  # every page's ETag and cached HTML follow the grid its site serves


def served_grids_state() -> list:
    """What the site stamp takes from here: which grid each site serves."""
    return list(ServedGrid.objects.order_by("site_id").values_list("site_id", "grid_id"))
