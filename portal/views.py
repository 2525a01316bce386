from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Page

from .search import cjk_query, extra_search_results

MAX_QUERY = 100


@require_GET
def search(request):
    """Site search: pages, plus whatever the domain apps register (producers, substances…)."""
    raw = request.GET.get("q", "")
    query = raw.strip()[:MAX_QUERY]
    page_obj, extra, too_long = None, [], len(raw.strip()) > MAX_QUERY
    if query:
        terms = cjk_query(query)
        pages = Page.objects.live().public().specific().search(terms, operator="and") if terms else []
        page_obj = Paginator(pages, 10).get_page(request.GET.get("page"))
        if page_obj.number == 1:
            extra = extra_search_results(query)
    return render(request, "portal/search.html", {
        "query": query, "page_obj": page_obj, "extra": extra, "too_long": too_long,
    })


@require_GET
def set_language(request, code):
    """The language switcher: a plain link, so it works without JavaScript and without a form."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
                            samesite="Lax", secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False))
    return response


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /complaints/track/",
        "Disallow: /search/",
        f"Sitemap: {settings.PORTAL_BASE_URL}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def healthz(request):
    """A trivial view: the benchmark's baseline for what the app costs before any page work."""
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def bad_request(request, exception=None):
    """Django's 400 (malformed headers, too many fields…) as the site's page, in the chosen language."""
    response = render(request, "400.html", status=400)
    response["Cache-Control"] = "no-store"
    return response
