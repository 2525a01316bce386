"""Public pages of the grid system: the grid map (/grid/…), its wall posters and the personnel roster.

Every page loads the whole tree at once (grid_map_load: three queries whatever the number of grids and
people), so a page costs the same few queries for a village as for the city. Upper-case paths (the
form a poster's QR code carries) answer the same page directly, without a redirect.
"""

import functools

from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from portal.http import cached_html, fingerprint, public_cache
from portal.pdf import cached_pdf, pdf_response
from portal.qr import absolute_url

from .. import geo
from ..models import ABOVE_COUNTY, GridLevel, Producer, Role
from ..models.people import ROLE_DUTY_NOTE
from ..services import posters, roster
from ..services.grids import GridMap, GridNode, counties_overview, grid_map_load, grids_state

# Bump when the pages' HTML changes in a way a cached copy must not hide.
PAGE_VERSION = "1"
AVATAR = "fill-144x180|jpegquality-75"  # the same rendition as the producer page's people
PRODUCERS_SHOWN = 60  # on a village page; the directory has the rest

ROLE_LABELS = {
    Role.CITY_FIRST: gettext_lazy("监管第一责任人"),
    Role.SUPERVISOR: gettext_lazy("网格监管员"),
    Role.TESTER: gettext_lazy("乡镇监管站检测员"),
    Role.COORDINATOR: gettext_lazy("村级协管员"),
    Role.OVERSEER: gettext_lazy("督导员"),
}


def _role_texts() -> tuple[dict, dict]:
    """Role labels and duty notes in the request's language, translated once per page, not once per person."""
    return ({str(k): str(v) for k, v in ROLE_LABELS.items()}, {str(k): str(v) for k, v in ROLE_DUTY_NOTE.items()})


def _hotline(request) -> str:
    from portal.models import PortalSettings

    return PortalSettings.for_request(request).hotline


def _state(request) -> dict:
    """What the pages depend on (one query), once per request. The site settings (the hotline) are in every
    public ETag already: portal.http.site_stamp."""
    if not hasattr(request, "_grids_state"):
        request._grids_state = grids_state()
    return request._grids_state


def _etag(request, *args, **kwargs):
    # The date is part of it because role assignments start and end on dates, without any edit.
    return fingerprint(PAGE_VERSION, sorted(_state(request).items()), timezone.localdate(),
                       request.path.lower(), sorted(request.GET.lists()))


def _html_cache(view):
    """Keep a page's HTML in the shared cache under its ETag (which covers data, date, path and query), so
    that repeats skip loading and rendering. The staff's file exports (?format=) are made afresh."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.GET.get("format"):
            return view(request, *args, **kwargs)
        return cached_html(request, _etag(request), lambda: view(request, *args, **kwargs))

    return wrapped


def _renditions(image_ids: set[int], spec: str) -> dict[int, object]:
    """Renditions of the given images, from two queries whatever their number."""
    from wagtail.images import get_image_model

    from ..services.signboards import rendition_for

    if not image_ids:
        return {}
    found = {}
    for image in get_image_model().objects.filter(pk__in=image_ids).prefetch_renditions(spec):
        try:
            found[image.pk] = rendition_for(image, spec)
        except (OSError, ValueError):
            continue  # a lost image file must not take the page down
    return found


def person_cards(node: GridNode, hotline: str, photos: dict | None = None, texts: tuple | None = None) -> list[dict]:
    """The people of a grid as the public sees them: role, name, position, phone (or the hotline), photo."""
    labels, duties = texts or _role_texts()
    cards = []
    for assignment in node.assignments:
        person = assignment.person
        cards.append({
            "role": labels.get(assignment.role, assignment.role),
            "role_key": assignment.role,
            "duty": duties.get(assignment.role, ""),
            "name": person.name,
            "position": person.display_position,
            "organisation": person.organisation,
            "phone": person.public_phone(hotline),
            "own_phone": person.phone_public,
            "since": assignment.start_date,
            "photo": (photos or {}).get(person.photo_id) if person.photo_id else None,
        })
    return cards


EXPECTED_ROLES = {GridLevel.CITY: [Role.CITY_FIRST], GridLevel.TOWNSHIP: [Role.SUPERVISOR, Role.TESTER],
                  GridLevel.VILLAGE: [Role.COORDINATOR]}


def _missing_roles(node: GridNode) -> list[str]:
    return [str(ROLE_LABELS[role]) for role in EXPECTED_ROLES[node.grid.level] if not node.holders.get(role)]


def _not_found(request, what: str):
    return render(request, "disclosure/grids/not_found.html", {"what": what[:60]}, status=404)


def _base_context(request, gmap: GridMap, node: GridNode) -> dict:
    state = _state(request)
    changed = [v for k, v in state.items() if k.endswith("_at") and v is not None]
    path = node.grid.get_absolute_url()
    return {
        "map": gmap, "node": node, "grid": node.grid, "hotline": _hotline(request),
        "data_date": timezone.localtime(max(changed)).date() if changed else None,
        "canonical_url": absolute_url(path), "poster_url": path + "poster.pdf",
        "complaint_url": "/complaints/new/",
    }


# --- /grid/ -------------------------------------------------------------------------------------------

@require_safe
@public_cache(etag=_etag)
@_html_cache
def grid_index(request):
    """The city's grid management map (网格化管理图): city, townships and villages with their people. On a
    prefecture's or the region's site: its counties, each linking to its own site."""
    gmap = grid_map_load()
    if gmap.root is None:
        return _not_found(request, "/grid/")
    if gmap.root.grid.level in ABOVE_COUNTY:
        return _counties_page(request, gmap)
    hotline = _hotline(request)
    texts = _role_texts()
    for node in gmap.root.walk():
        node.cards = person_cards(node, hotline, texts=texts)
        node.missing = _missing_roles(node)
    shapes = geo.svg_shapes([(t, t.grid.boundary) for t in gmap.townships if t.grid.boundary])
    return render(request, "disclosure/grids/index.html", {
        **_base_context(request, gmap, gmap.root),
        "townships": gmap.townships,
        "village_count": sum(len(t.children) for t in gmap.townships),
        "geo": shapes,
        "duties": gmap.root.grid.duty_list,
    })


def _counties_page(request, gmap: GridMap):
    hotline = _hotline(request)
    gmap.root.cards = person_cards(gmap.root, hotline)
    groups = counties_overview(gmap.root.grid)
    return render(request, "disclosure/grids/counties.html", {
        **_base_context(request, gmap, gmap.root), "groups": groups,
        "county_count": sum(len(lines) for _prefecture, lines in groups),
    })


# --- /grid/<township>/ --------------------------------------------------------------------------------

@require_safe
@public_cache(etag=_etag)
@_html_cache
def township_page(request, township: str):
    """A township grid: its supervisors and tester, its villages with their coordinators, its producers."""
    gmap = grid_map_load()
    node = gmap.township(township)
    if node is None:
        return _not_found(request, township)
    hotline = _hotline(request)
    people = [a.person for n in [node, *node.children] for a in n.assignments]
    photos = _renditions({p.photo_id for p in people if p.photo_id}, AVATAR)
    texts = _role_texts()
    for n in [node, *node.children]:
        n.cards = person_cards(n, hotline, photos, texts)
        n.missing = _missing_roles(n)
    shapes = geo.svg_shapes([(v, v.grid.boundary) for v in node.children if v.grid.boundary])
    return render(request, "disclosure/grids/township.html", {
        **_base_context(request, gmap, node),
        "city": gmap.root,
        "city_cards": person_cards(gmap.root, hotline),
        "villages": node.children,
        "geo": shapes,
        "duties": node.grid.duty_list,
        "producer_count": node.all_producer_count,
    })


# --- /grid/<township>/<village>/ ----------------------------------------------------------------------

@require_safe
@public_cache(etag=_etag)
@_html_cache
def village_page(request, township: str, village: str):
    """A village grid: its coordinator, the township's people above it, its producers, how to complain."""
    gmap = grid_map_load()
    node = gmap.village(township, village)
    if node is None:
        return _not_found(request, f"{township}/{village}")
    hotline = _hotline(request)
    township_node = node.parent
    people = [a.person for n in (node, township_node) for a in n.assignments]
    photos = _renditions({p.photo_id for p in people if p.photo_id}, AVATAR)
    producers = list(Producer.objects.published().filter(village=node.grid)
                     .only("code", "name", "kind", "grade", "products", "village_id")
                     .order_by("name", "id")[:PRODUCERS_SHOWN])
    return render(request, "disclosure/grids/village.html", {
        **_base_context(request, gmap, node),
        "township": township_node,
        "cards": person_cards(node, hotline, photos),
        "township_cards": person_cards(township_node, hotline, photos),
        "missing": _missing_roles(node),
        "duties": node.grid.duty_list,
        "producers": producers,
        "producer_count": node.producer_count,
        "producers_more": node.producer_count > len(producers),
    })


# --- posters ------------------------------------------------------------------------------------------

@require_safe
def poster_pdf(request, township: str | None = None, village: str | None = None):
    """The wall poster (网格化管理图) of a grid as an A3 PDF, drawn again only when its data changed."""
    gmap = grid_map_load(producer_counts=False)
    if village is not None:
        node = gmap.village(township, village)
    elif township is not None:
        node = gmap.township(township)
    else:
        node = gmap.root
    if node is None:
        return _not_found(request, "/".join(x for x in (township, village) if x))
    hotline = _hotline(request)
    version = posters.poster_version(node=node, hotline=hotline)
    if f'"{version}"' in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
        response["ETag"] = f'"{version}"'
        return response
    pdf, _hit = cached_pdf(f"grid-poster:{node.grid.code}", version,
                           lambda: posters.poster_pdf(node=node, gmap=gmap, hotline=hotline))
    response = pdf_response(pdf, posters.poster_filename(node))
    response["ETag"] = f'"{version}"'
    response["Cache-Control"] = "public, max-age=300"
    return response


# --- /personnel/ --------------------------------------------------------------------------------------

@require_safe
@public_cache(etag=_etag)
@_html_cache
def personnel(request):
    """人员名单: the roster in the city plan's layout, on screen or as CSV, XLSX or PDF."""
    fmt = (request.GET.get("format") or "html").lower()
    if fmt not in ("html", "csv", "xlsx", "pdf"):
        return HttpResponse(_("格式只能是 csv、xlsx 或 pdf，例如 /personnel/?format=xlsx。"), status=400,
                            content_type="text/plain; charset=utf-8")
    hotline = _hotline(request)
    rows = roster.roster_rows(public=True, hotline=hotline)
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        response = HttpResponse(roster.roster_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="personnel-{stamp}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(roster.roster_xlsx(rows), content_type=roster.XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="personnel-{stamp}.xlsx"'
        return response
    if fmt == "pdf":
        state = _state(request)
        version = fingerprint(roster.ROSTER_LAYOUT_VERSION, sorted(state.items()), timezone.localdate())
        pdf, _hit = cached_pdf("roster", version, lambda: roster.roster_pdf(rows))
        return pdf_response(pdf, f"personnel-{stamp}.pdf")
    state = _state(request)
    changed = [v for k, v in state.items() if k.endswith("_at") and v is not None]
    return render(request, "disclosure/grids/personnel.html", {
        "rows": rows, "header": roster.HEADER_ROWS, "hotline": hotline,
        "data_date": timezone.localtime(max(changed)).date() if changed else None,
    })
