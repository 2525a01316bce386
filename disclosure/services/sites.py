"""Sites of a portal serving several counties: each county (or a prefecture, the region) at its own host
name with its own home page, news, hotline and office (docs/grids.md, "Several counties")."""

from django.db import transaction
from django.utils import translation
from wagtail.models import Site

from portal.models import PortalSettings
from portal.services import site_add

from ..models import Grid, ServedGrid


@transaction.atomic
def grid_site_add(*, grid: Grid, hostname: str, port: int = 80, hotline: str = "", org_name: str = "",
                  org_name_en: str = "", office_address: str = "", office_hours: str = "") -> Site:
    """A site serving this grid at hostname:port, with its own settings (what is not given stays blank or
    default). Idempotent: an existing site at that host keeps its pages and gets the grid and settings."""
    with translation.override("en"):
        place_en = grid.display_name
    site = site_add(hostname=hostname, port=port, place=grid.name, place_en=place_en)
    ServedGrid.objects.update_or_create(site=site, defaults={"grid": grid})
    settings_ = PortalSettings.for_site(site)
    for field, value in (("hotline", hotline), ("org_name", org_name), ("org_name_en", org_name_en),
                         ("office_address", office_address), ("office_hours", office_hours)):
        if value:
            setattr(settings_, field, value)
    settings_.save()
    return site


def default_site_serve(grid: Grid) -> None:
    """Make the default site serve this grid (the county it served alone, once others join)."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        ServedGrid.objects.update_or_create(site=site, defaults={"grid": grid})
