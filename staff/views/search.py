"""搜索 from the admin home: complaints, producers and people within the user's grids, for every staff user
(Wagtail's own box searches pages, which most staff may not open)."""

from urllib.parse import urlencode

from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.views import View

from complaints.models import Complaint
from complaints.selectors import complaint_search
from disclosure.models import Person, Producer

from .queue import VIEW_PERMISSION

LIMIT = 20
PRODUCER_PERMS = ("disclosure.view_producer", "disclosure.change_producer")
PERSON_PERMS = ("disclosure.view_person", "disclosure.change_person")


def _may(user, perms) -> bool:
    return any(user.has_perm(p) for p in perms)


def scoped_search(user, query: str) -> list[dict]:
    """The sections the user may see, each with up to LIMIT hits: [{"title", "items": [(label, note, url)]}]."""
    sections = []
    if user.has_perm(VIEW_PERMISSION):
        hits = complaint_search(Complaint.objects.visible_to(user), query).select_related("township")
        sections.append({"title": _t("投诉举报"), "more": f"{reverse('triage:index')}?{urlencode({'state': 'all', 'q': query})}",
                         "items": [(c.internal_number, c.description[:60], reverse("triage:detail", args=[c.pk]))
                                   for c in hits.order_by("-submitted_at")[:LIMIT]]})
    if _may(user, PRODUCER_PERMS):
        hits = Producer.objects.visible_to(user).filter(
            Q(name__icontains=query) | Q(code__iexact=query.upper()) | Q(credit_code__iexact=query.upper())
            | Q(legal_representative__icontains=query)).select_related("village")
        sections.append({"title": _t("生产主体"), "items": [
            (p.name, f"{p.code} · {p.village.name if p.village_id else ''}",
             reverse("wagtailsnippets_disclosure_producer:inspect", args=[p.pk])) for p in hits.order_by("name")[:LIMIT]]})
    if _may(user, PERSON_PERMS):
        hits = Person.objects.visible_to(user).filter(Q(name__icontains=query) | Q(phone__contains=query))
        sections.append({"title": _t("网格人员"), "items": [
            (p.name, p.position, reverse("wagtailsnippets_disclosure_person:edit", args=[p.pk]))
            for p in hits.order_by("name")[:LIMIT]]})
    return sections


class ScopedSearchView(View):
    template_name = "staff/search.html"

    def get(self, request):
        query = (request.GET.get("q") or "").strip()[:100]
        sections = scoped_search(request.user, query) if query else []
        pages_url = (f"{reverse('wagtailadmin_pages:search')}?{urlencode({'q': query})}"
                     if request.user.has_perm("wagtailadmin.access_admin") and _may(
                         request.user, ("wagtailcore.change_page", "wagtailcore.add_page")) else "")
        title = _t("搜索")
        response = TemplateResponse(request, self.template_name, {
            "query": query, "sections": sections, "pages_url": pages_url,
            "page_title": title, "header_title": title, "header_icon": "search",
            "breadcrumbs_items": [{"url": reverse("wagtailadmin_home"), "label": _t("首页")}, {"url": "", "label": title}],
        })
        response["Cache-Control"] = "no-store, private"
        return response
