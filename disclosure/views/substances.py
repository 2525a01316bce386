"""The public list of banned and restricted substances, /substances/: grouped, searchable, printable."""

import re

from django.db.models import Count, Max
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.http import cached_html, fingerprint, public_cache
from portal.pdf import cached_pdf, pdf_response

from ..models import Substance
from ..models.substances import (
    MAX_QUERY,
    SUBSTANCE_GROUPS,
    SubstanceCategory,
    SubstanceStatus,
    announcements_cited,
)

# Bump when the page's HTML changes in a way a cached copy must not hide.
PAGE_VERSION = "4"
CONTENT_CACHE_SECONDS = 24 * 3600


def _list_state(request) -> dict:
    """Count and latest change of the list, once per request (the ETag and the page both use it)."""
    if not hasattr(request, "_substances_state"):
        request._substances_state = Substance.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return request._substances_state


def _etag(request):
    # The date is part of it: entries come into force, and restrictions are superseded, at midnight.
    return fingerprint(PAGE_VERSION, _list_state(request), timezone.localdate(), sorted(request.GET.lists()))


def _choice(request, name: str, choices, message: str, notices: list) -> str:
    value = (request.GET.get(name) or "").strip()
    if value and value not in choices:
        notices.append(message)
        return ""
    return value


def _content(request, *, query: str, category: str, status: str, notices: list) -> dict:
    """What the list shows for these filters, as of today."""
    today = timezone.localdate()
    entries = Substance.objects.matching(query).with_full_ban().public_order()
    if category:
        entries = entries.filter(category=category)
    if status:
        entries = entries.filter(status=status)

    groups = []
    for group in SUBSTANCE_GROUPS:
        rows = [s for s in entries if (s.category, s.status) in group.members]
        if rows:
            groups.append({"group": group, "rows": rows, "has_scope": any(s.restricted_scope for s in rows)})
    for row in (row for g in groups for row in g["rows"]):
        row.in_force = row.is_in_force(today)
        row.superseded = row.is_superseded(today)
        row.ban_pending = row.full_ban_pending(today)
        row.date_iso = row.effective_date.isoformat() if row.effective_date else ""

    return {
        "groups": groups,
        "count": sum(len(g["rows"]) for g in groups),
        "query": query,
        "category": category,
        "status": status,
        "categories": SubstanceCategory.choices,
        "statuses": SubstanceStatus.choices,
        "filtered": bool(query or category or status),
        "notices": notices,
        "today": today,
        "announcements": announcements_cited(Substance.objects.values_list("legal_basis", flat=True).distinct()),
        "updated": _list_state(request)["t"],
    }


@require_GET
@public_cache(etag=_etag)
def substance_list(request):
    """国家禁用、限用农药（兽药）名录: every entry with scope, legal basis and date, in the ministry's sections."""
    notices = []
    raw_query = re.sub(r"\s+", " ", request.GET.get("q") or "").strip()
    query = raw_query[:MAX_QUERY]
    if len(raw_query) > MAX_QUERY:
        notices.append(_("关键词过长，只按前 %(n)d 个字查找。") % {"n": MAX_QUERY})
    category = _choice(request, "category", SubstanceCategory.values, _("类别无效，已显示全部类别。"), notices)
    status = _choice(request, "status", SubstanceStatus.values, _("管理类别无效，已显示禁用和限用。"), notices)
    filters = {"query": query, "category": category, "status": status, "notices": notices}
    if query or category or status or notices:
        return render(request, "disclosure/substances/list.html", _content(request, **filters))

    # The whole list is the same for every visitor all day: render it once per change of the list, day
    # and language, and keep it in the shared cache (one query to fetch instead of ~100 rows to render).
    return cached_html(request, _etag(request),
                       lambda: render(request, "disclosure/substances/list.html", _content(request, **filters)),
                       seconds=CONTENT_CACHE_SECONDS)


@require_GET
def substances_poster(request):
    """The list as an A3 wall poster (PDF) with a QR code to this page, drawn once per change of the list,
    day and hotline."""
    from portal.models import PortalSettings

    from ..services.substances_poster import poster_version, substances_poster_pdf

    hotline = PortalSettings.for_request(request).hotline
    pdf, _hit = cached_pdf("substances-poster", poster_version(hotline=hotline),
                           lambda: substances_poster_pdf(hotline=hotline))
    response = pdf_response(pdf, f"substances-poster-{timezone.localdate():%Y%m%d}.pdf")
    response["Cache-Control"] = "no-cache"  # the list changes; always revalidate
    return response
