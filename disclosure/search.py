"""What the disclosure app adds to the site search (/search/): producers and substances.

Registered in DisclosureConfig.ready(). Each source runs one query and returns at most MAX_RESULTS,
whatever the size of the registry, and matches Chinese substrings (a plain icontains: 葡萄 finds
某镇绿源葡萄专业合作社, 甲胺 finds 甲胺磷) — the lists are small enough that no index is needed.
"""

import re

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .models import Producer, Substance
from .models.ratings import grade_label
from .models.substances import MAX_QUERY, SubstanceCategory, SubstanceStatus

MAX_RESULTS = 10


def producers_source(query: str) -> list[dict]:
    """Published producers whose name or products contain the query; name matches first."""
    query = (query or "").strip()[:MAX_QUERY]
    if not query:
        return []
    found = (Producer.objects.served().published().matching(query).select_related("village", "village__parent")
             .annotate(by_name=Case(When(name__icontains=query, then=Value(0)), default=Value(1),
                                    output_field=IntegerField()))
             .order_by("by_name", "name", "id")[:MAX_RESULTS])
    results = []
    for p in found:
        parts = [p.get_kind_display(), f"{p.village.parent.name}{p.village.name}",
                 _("信用：%(grade)s") % {"grade": grade_label(p.grade)}]
        if p.products:
            parts.append(_("主要产品：%(products)s") % {"products": p.products})
        results.append({"title": p.name, "url": p.get_absolute_url(), "kind": _("生产主体"),
                        "summary": " · ".join(parts)})
    return results


# Words people use for the banned and restricted list or a part of it (farmers say 农药 or 禁用农药, not
# 甲胺磷): they find the list itself, then its entries.
CATEGORY_WORDS = {"农药": SubstanceCategory.PESTICIDE, "杀虫剂": SubstanceCategory.PESTICIDE,
                  "除草剂": SubstanceCategory.PESTICIDE, "杀菌剂": SubstanceCategory.PESTICIDE,
                  "兽药": SubstanceCategory.VETERINARY_DRUG, "饲料": SubstanceCategory.FEED_ADDITIVE,
                  "添加剂": SubstanceCategory.FEED_ADDITIVE}
STATUS_WORDS = {"禁用": SubstanceStatus.BANNED, "禁止": SubstanceStatus.BANNED, "违禁": SubstanceStatus.BANNED,
                "高毒": SubstanceStatus.BANNED, "剧毒": SubstanceStatus.BANNED,
                "限用": SubstanceStatus.RESTRICTED, "限制": SubstanceStatus.RESTRICTED}
LIST_WORDS = ("禁限用", "名录", "名单", "清单", "目录")
# Words that say nothing about what is sought ("国家禁止使用的农药有哪些").
FILLER = re.compile(r"国家|使用|的|有哪些|哪些|什么|品种|种类|及|和|、|\s")
ENTRIES_WITH_THE_LIST = 8


def _list_words(query: str) -> tuple[str, str, str, bool]:
    """(category, status, what is left of the query, whether the query asks for the list at all)."""
    category = status = ""
    rest = query
    for word in LIST_WORDS:
        rest = rest.replace(word, " ")
    for word, value in CATEGORY_WORDS.items():
        if word in rest:
            category = category or value
            rest = rest.replace(word, " ")
    for word, value in STATUS_WORDS.items():
        if word in rest:
            status = status or value
            rest = rest.replace(word, " ")
    asked = bool(category or status or any(word in query for word in LIST_WORDS))
    rest = FILLER.sub("", rest)
    return category, status, rest, asked


def _list_result(category: str, status: str, entries) -> dict:
    """The list itself (or the part of it the words name) as a result, with its size and first names."""
    names = [e.name_zh for e in entries]
    if category or status:
        title = _("%(status)s%(category)s名录") % {
            "status": SubstanceStatus(status).label if status else _("禁限用"),
            "category": SubstanceCategory(category).label if category else _("农药兽药")}
    else:
        title = _("国家禁用、限用农药（兽药）名录")
    query = urlencode({k: v for k, v in (("category", category), ("status", status)) if v})
    return {"title": title, "kind": _("禁限用名录"), "url": "/substances/" + (f"?{query}" if query else ""),
            "summary": _("共 %(n)d 种：%(names)s") % {"n": len(names), "names": "、".join(names[:12])
                                                    + ("…" if len(names) > 12 else "")}}


def substances_source(query: str) -> list[dict]:
    """Entries of the banned and restricted list whose name or scope contains the query; category and
    list words (农药, 禁用农药, 兽药, 名录…) find the list itself first, then its entries."""
    query = (query or "").strip()[:MAX_QUERY]
    if not query:
        return []
    category, status, rest, asked = _list_words(query)
    if asked:
        part = Substance.objects.with_full_ban().public_order()
        if category:
            part = part.filter(category=category)
        if status:
            part = part.filter(status=status)
        whole = list(part.only("name_zh"))
        if whole:
            entries = (part.filter(Q(name_zh__icontains=rest) | Q(restricted_scope__icontains=rest))[:MAX_RESULTS - 1]
                       if rest else part[:ENTRIES_WITH_THE_LIST])
            return [_list_result(category, status, whole)] + _entries(entries)
    found = (Substance.objects.filter(Q(name_zh__icontains=query) | Q(name_en__icontains=query)
                                      | Q(restricted_scope__icontains=query))
             .with_full_ban()
             .annotate(by_name=Case(When(name_zh__icontains=query, then=Value(0)), default=Value(1),
                                    output_field=IntegerField()))
             .order_by("by_name", "status", "sort_order", "id")[:MAX_RESULTS])
    return _entries(found)


def _entries(found) -> list[dict]:
    today = timezone.localdate()
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
