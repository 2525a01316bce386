"""The wall poster of the banned and restricted list (国家禁用、限用农药（兽药）名录, A3 portrait): the plan
(四、(五)) asks producers and input shops to post the list. It prints the entries in force today in the
ministry's sections (restricted ones grouped by their scope), a QR code to /substances/ for the full list
with scopes, legal bases and dates, the hotline and the date of the list.
"""

from django.conf import settings
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import timezone

from portal.http import fingerprint
from portal.pdf import html_document, static_file, static_text
from portal.qr import absolute_url, qr_data_uri, qr_url

from ..models import Substance
from ..models.substances import SUBSTANCE_GROUPS

POSTER_TEMPLATE = "print/substances_poster.html"
POSTER_CSS = "css/print-substances.css"
# Bump when the printed layout changes, so that cached posters are drawn again.
POSTER_LAYOUT_VERSION = "2"


def poster_sections(on=None) -> list[dict]:
    """The list's sections as printed: names, or for sections with scopes, names grouped by scope."""
    entries = list(Substance.objects.current(on=on).public_order())
    sections = []
    for group in SUBSTANCE_GROUPS:
        rows = [s for s in entries if (s.category, s.status) in group.members]
        if not rows:
            continue
        scoped: dict[str, list[str]] = {}
        for s in rows:
            if s.restricted_scope:
                scoped.setdefault(s.restricted_scope, []).append(s.name_zh)
        sections.append({"group": group, "count": len(rows),
                         "names": [s.name_zh for s in rows if not s.restricted_scope],
                         "scoped": [{"names": names, "scope": scope} for scope, names in scoped.items()]})
    return sections


def poster_version(*, hotline: str) -> str:
    """A fingerprint of everything the poster prints: the list's state, the day (entries come into force
    on their dates), the address the QR code opens and the hotline."""
    state = Substance.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return fingerprint(POSTER_LAYOUT_VERSION, state, timezone.localdate(), settings.PORTAL_BASE_URL, hotline)


def substances_poster_pdf(*, hotline: str) -> bytes:
    logo = static_file("img/logo.svg")
    state = Substance.objects.aggregate(t=Max("updated_at"))
    html = render_to_string(POSTER_TEMPLATE, {
        "sections": poster_sections(),
        "hotline": hotline,
        "qr_uri": qr_data_uri(qr_url("/substances/")),
        "list_url": absolute_url("/substances/"),
        "updated": timezone.localtime(state["t"]).date() if state["t"] else None,
        "printed": timezone.localdate(),
        "logo_uri": logo.as_uri() if logo else "",
        "stylesheet": static_text(POSTER_CSS),
    })
    return html_document(html).write_pdf()
