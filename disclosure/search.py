"""What the disclosure app adds to the site search (/search/): producers and substances.

Registered in DisclosureConfig.ready(). Each source runs one query and returns at most MAX_RESULTS,
whatever the size of the registry, and matches Chinese substrings (a plain icontains: 葡萄 finds
三工镇绿源葡萄专业合作社, 甲胺 finds 甲胺磷) — the lists are small enough that no index is needed.
"""

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .models import Producer, Substance
from .models.ratings import GRADE_SHORT
from .models.substances import MAX_QUERY

MAX_RESULTS = 10


def producers_source(query: str) -> list[dict]:
    """Published producers whose name or products contain the query; name matches first."""
    query = (query or "").strip()[:MAX_QUERY]
    if not query:
        return []
    found = (Producer.objects.published().matching(query).select_related("village", "village__parent")
             .annotate(by_name=Case(When(name__icontains=query, then=Value(0)), default=Value(1),
                                    output_field=IntegerField()))
             .order_by("by_name", "name", "id")[:MAX_RESULTS])
    results = []
    for p in found:
        parts = [p.get_kind_display(), f"{p.village.parent.name}{p.village.name}",
                 _("信用：%(grade)s") % {"grade": GRADE_SHORT.get(p.grade, p.grade)}]
        if p.products:
            parts.append(_("主要产品：%(products)s") % {"products": p.products})
        results.append({"title": p.name, "url": p.get_absolute_url(), "kind": _("生产主体"),
                        "summary": " · ".join(parts)})
    return results


def substances_source(query: str) -> list[dict]:
    """Entries of the banned and restricted list whose name or scope contains the query."""
    query = (query or "").strip()[:MAX_QUERY]
    if not query:
        return []
    today = timezone.localdate()
    found = (Substance.objects.filter(Q(name_zh__icontains=query) | Q(name_en__icontains=query)
                                      | Q(restricted_scope__icontains=query))
             .with_full_ban()
             .annotate(by_name=Case(When(name_zh__icontains=query, then=Value(0)), default=Value(1),
                                    output_field=IntegerField()))
             .order_by("by_name", "status", "sort_order", "id")[:MAX_RESULTS])
    results = []
    for s in found:
        if s.is_superseded(today):
            state = _("限用已被全面禁用取代")
        elif not s.is_in_force(today):
            state = _("自 %(date)s 起施行") % {"date": s.effective_date.isoformat()}
        else:
            state = s.get_status_display()
        group = s.group.title if s.group else s.get_category_display()
        parts = [str(group), str(state)]
        if s.restricted_scope:
            parts.append(s.restricted_scope)
        if s.legal_basis:
            parts.append(s.legal_basis)
        results.append({"title": s.name_zh, "kind": _("禁限用名录"), "summary": " · ".join(parts),
                        "url": f"/substances/?{urlencode({'q': s.name_zh})}#s-{s.pk}"})
    return results
