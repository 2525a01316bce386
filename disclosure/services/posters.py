"""Wall posters of the grid map (网格化管理图, plan 四、(一) and (五)): one A3 portrait page per grid.

A township's or village's poster shows the grid layout, each person's photo, role, duties and phone,
the complaints hotline, a QR code to the grid's live page and the date of the data; the city's poster
is an overview of all 68 grids. Rendering an A3 page of many photos takes a while, so the views serve
the PDF from the cache under `poster_version`, a fingerprint of everything the poster prints.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.http import fingerprint
from portal.pdf import file_uri, html_document, static_file, static_text
from portal.qr import absolute_url, qr_data_uri, qr_url

from ..models import GridLevel, Role
from ..models.people import ROLE_DUTY_NOTE
from .grids import ROLE_ORDER, STAFFED_ROLES, VACANT, GridMap, GridNode

POSTER_TEMPLATE = "print/grid_poster.html"
POSTER_CSS = "css/print-grids.css"
# Bump when the printed layout changes, so that cached posters are drawn again.
POSTER_LAYOUT_VERSION = "4"
PRINT_AVATAR = "fill-240x320|jpegquality-80"  # 30 × 40 mm at about 200 dpi

ROLE_LABELS = {
    Role.CITY_FIRST: "监管第一责任人",
    Role.SUPERVISOR: "网格监管员",
    Role.TESTER: "乡镇监管站检测员",
    Role.COORDINATOR: "村级协管员",
}


def _ancestors(node: GridNode) -> list[GridNode]:
    """The grids above a grid, highest first."""
    chain, parent = [], node.parent
    while parent is not None:
        chain.insert(0, parent)
        parent = parent.parent
    return chain


def _scope(node: GridNode) -> list[GridNode]:
    """The grids a poster prints: the grid, the grids above it and (for the city and a township) below it."""
    return _ancestors(node) + list(node.walk())


def poster_version(*, node: GridNode, hotline: str) -> str:
    """A fingerprint of everything the poster prints (no extra query: the map is loaded already)."""
    facts = []
    for n in _scope(node):
        grid = n.grid
        facts.append((grid.pk, grid.name, grid.slug, grid.updated_at, grid.duties, grid.parent_id))
        for a in n.assignments:
            facts.append((a.pk, a.role, a.start_date, a.person_id, a.person.updated_at, a.person.photo_id))
    return fingerprint(POSTER_LAYOUT_VERSION, settings.PORTAL_BASE_URL, hotline, facts)


def poster_filename(node: GridNode) -> str:
    slugs = [n.grid.slug for n in _ancestors(node)[1:]] + [node.grid.slug]
    return "grid-poster-" + "-".join(slugs) + ".pdf"


def data_date(nodes: list[GridNode]):
    """The date of the newest fact a poster prints: a grid's or person's change, or a role's start."""
    moments = []
    for n in nodes:
        moments.append(timezone.localtime(n.grid.updated_at).date())
        for a in n.assignments:
            moments.append(a.start_date)
            moments.append(timezone.localtime(a.person.updated_at).date())
    return max(moments) if moments else timezone.localdate()


def _photo_uris(nodes: list[GridNode]) -> dict[int, str]:
    """URIs (portal.pdf.file_uri) of the print renditions of every photo on the poster, from two queries."""
    from wagtail.images import get_image_model

    from .signboards import rendition_for

    ids = {a.person.photo_id for n in nodes for a in n.assignments if a.person.photo_id}
    if not ids:
        return {}
    uris = {}
    for image in get_image_model().objects.filter(pk__in=ids).prefetch_renditions(PRINT_AVATAR):
        try:
            uris[image.pk] = file_uri(rendition_for(image, PRINT_AVATAR).file)
        except (OSError, ValueError, NotImplementedError):
            continue  # a missing file prints as an empty photo frame, not an error
    return uris


def _cards(node: GridNode, hotline: str, photos: dict[int, str]) -> list[dict]:
    """The people cards of a grid, highest role first; a required role nobody holds gets a 空缺 card with
    the hotline, so that a vacancy shows on the wall instead of a silent gap."""
    cards = []
    for role in ROLE_ORDER:
        holders = node.holders.get(role, [])
        cards += [{
            "role": ROLE_LABELS.get(a.role, a.get_role_display()),
            "role_key": a.role,
            "duty": ROLE_DUTY_NOTE.get(a.role, ""),
            "name": a.person.name,
            "position": a.person.position,
            "phone": a.person.public_phone(hotline),
            "own_phone": a.person.phone_public,
            "photo": photos.get(a.person.photo_id) if a.person.photo_id else None,
        } for a in holders]
        if not holders and role in STAFFED_ROLES.get(node.grid.level, []):
            cards.append({"role": ROLE_LABELS[role], "role_key": role, "duty": ROLE_DUTY_NOTE.get(role, ""),
                          "name": VACANT, "position": "", "phone": hotline, "own_phone": False, "photo": None,
                          "vacant": True})
    return cards


def poster_context(*, node: GridNode, gmap: GridMap, hotline: str) -> dict:
    """What the print template needs for one grid's poster."""
    nodes = _scope(node)
    with_photos = nodes if node.grid.level != GridLevel.CITY else [gmap.root, *gmap.townships]
    photos = _photo_uris(with_photos)
    for n in nodes:
        n.print_cards = _cards(n, hotline, photos if n in with_photos else {})
    path = node.grid.get_absolute_url()
    logo = static_file("img/logo.svg")
    return {
        "node": node, "grid": node.grid, "level": node.grid.level,
        "title": _("%(name)s农产品质量安全网格化管理图") % {"name": node.grid.full_name},
        "chain": _ancestors(node),  # the grids above, highest first
        "city": gmap.root,
        "township": node if node.grid.level == GridLevel.TOWNSHIP else node.parent,
        "villages": node.children if node.grid.level == GridLevel.TOWNSHIP else [],
        "townships": gmap.townships if node.grid.level == GridLevel.CITY else [],
        "duties": node.grid.duty_list,
        "role_duties": [(ROLE_LABELS[r], ROLE_DUTY_NOTE[r]) for r in ROLE_LABELS],
        "village_duties": node.children[0].grid.duty_list if node.grid.level == GridLevel.TOWNSHIP and node.children else [],
        "hotline": hotline,
        "qr_uri": qr_data_uri(qr_url(path)),
        "page_url": absolute_url(path),
        "data_date": data_date(nodes),
        "stylesheet": static_text(POSTER_CSS),
        "logo_uri": logo.as_uri() if logo else "",
    }


def poster_pdf(*, node: GridNode, gmap: GridMap, hotline: str) -> bytes:
    """Render a grid's poster (A3 portrait) to PDF bytes."""
    from django.utils import translation

    # Wall posters are in Chinese whatever the visitor's language (and one cached copy serves everyone).
    with translation.override("zh-hans"):
        html = render_to_string(POSTER_TEMPLATE, poster_context(node=node, gmap=gmap, hotline=hotline))
    return html_document(html).write_pdf()
