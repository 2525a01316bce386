"""Drawing staff badges (工作证) as PDF: 90 × 130 mm cards, four to an A4 sheet with crop marks, as a
township office prints them on A4 and cuts them to fit a standard 90 × 130 mm badge holder.

A badge prints what is true when it is printed (name, role, grid, phone, photo) and a QR code to
/b/<code>/, where anyone can check that its holder still holds that role.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from portal.pdf import file_uri, html_document, static_file, static_text
from portal.qr import absolute_url, qr_png_data_uri, qr_url

from ..models import Badge, Grid, GridLevel
from .signboards import PRINT_AVATAR, hotline_number, public_phone, rendition_for

BADGE_TEMPLATE = "print/badges.html"
PER_SHEET = 4


def _photo_uris(badges: list[Badge]) -> dict[int, str]:
    """URIs (portal.pdf.file_uri) of the print renditions of the holders' photos, loaded in two queries."""
    from wagtail.images import get_image_model

    ids = {b.assignment.person.photo_id for b in badges if b.assignment.person.photo_id}
    if not ids:
        return {}
    uris = {}
    for image in get_image_model().objects.filter(pk__in=ids).prefetch_renditions(PRINT_AVATAR):
        try:
            uris[image.pk] = file_uri(rendition_for(image, PRINT_AVATAR).file)
        except (OSError, ValueError, NotImplementedError):
            continue  # a missing or unreadable file prints as the empty photo frame
    return uris


def badge_card(badge: Badge, *, photos: dict, hotline: str) -> dict:
    """What one card prints."""
    assignment = badge.assignment
    person = assignment.person
    return {
        "code": badge.code,
        "name": person.name,
        "role": assignment.get_role_display(),
        "grid": assignment.grid.full_name,
        "phone": public_phone(person, hotline),
        "own_phone": person.phone_public,
        "photo_uri": photos.get(person.photo_id),
        "issued_on": timezone.localtime(badge.issued_at).date(),
        # A bitmap of the modules, drawn without smoothing (as the signboard's): sharp at any size.
        "qr_uri": qr_png_data_uri(qr_url(badge.get_absolute_url())),
    }


def badges_html(*, badges: list[Badge]) -> str:
    """One HTML document: A4 sheets of four cards each."""
    hotline = hotline_number()
    photos = _photo_uris(badges)
    cards = [badge_card(b, photos=photos, hotline=hotline) for b in badges]
    sheets = [cards[start:start + PER_SHEET] for start in range(0, len(cards), PER_SHEET)]
    logo = static_file("img/logo.svg")
    city = badges[0].assignment.grid.ancestor(GridLevel.CITY) or Grid.objects.counties().first()
    title = f"{cards[0]['name']} · {cards[0]['code']}" if len(cards) == 1 else ""
    return render_to_string(BADGE_TEMPLATE, {
        "sheets": sheets, "title": title, "hotline": hotline, "city": city.name if city else "",
        "stylesheet": static_text("css/print-badge.css"), "logo_uri": logo.as_uri() if logo else "",
        "site_host": settings.PORTAL_BASE_URL.split("://", 1)[-1], "check_url": absolute_url("/b/"),
    })


def badges_pdf(*, badges: list[Badge]) -> bytes:
    """The badges as one PDF, four to an A4 page. Badges must come with assignment, person and grid loaded
    (`select_related("assignment__person", "assignment__grid__parent")`) or cost a query each."""
    if not badges:
        raise ValueError("no badges to render")
    return html_document(badges_html(badges=badges)).write_pdf()
