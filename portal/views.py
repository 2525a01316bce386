import sys

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Page

from .i18n import active_locale, default_locale, one_version_each
from .search import cjk_query, extra_search_results

MAX_QUERY = 100


def page_search(terms):
    """Pages matching the terms, in Chinese and in the visitor's content language (English pages match
    English words; a Chinese page matching Chinese words is then shown in its English version)."""
    locales = [default_locale()] + [locale for locale in [active_locale()] if locale is not None]
    return Page.objects.live().public().filter(locale__in=locales).specific().search(terms, operator="and")


@require_GET
def search(request):
    """Site search: pages, plus whatever the domain apps register (producers, substances…)."""
    raw = request.GET.get("q", "")
    query = raw.strip()[:MAX_QUERY]
    page_obj, extra, too_long = None, [], len(raw.strip()) > MAX_QUERY
    if query:
        terms = cjk_query(query)
        page_obj = Paginator(page_search(terms) if terms else [], 10).get_page(request.GET.get("page"))
        page_obj.object_list = one_version_each(page_obj.object_list)
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
    from wagtail.models import Site

    site = Site.find_for_request(request)
    # Each county's site lists its own pages; the default site's address is the one printed everywhere.
    base = site.root_url if site is not None and not site.is_default_site else settings.PORTAL_BASE_URL
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /complaints/track/",
        "Disallow: /search/",
        f"Sitemap: {base}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def healthz(request):
    """For the proxy's and the monitor's health checks: "ok" only when the database and the shared cache
    answer; 503 naming what is down otherwise. Also the benchmarks' baseline (one query, one cache read)."""
    down = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        down.append("database")
    try:
        cache.get("healthz")
    except Exception:  # any backend's connection error
        down.append("cache")
    response = HttpResponse("ok" if not down else "unavailable: " + ", ".join(down),
                            content_type="text/plain", status=503 if down else 200)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """500, or a plain 503 when the database cannot be reached (nothing that needs it is rendered)."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        response = HttpResponse("服务暂时不可用（数据库无法连接），请稍后再试。\n"
                                "The service is temporarily unavailable. Please try again later.\n",
                                content_type="text/plain; charset=utf-8", status=503)
        response["Retry-After"] = "60"
        return response
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def bad_request(request, exception=None):
    """Django's 400 (malformed headers, too many fields…) as the site's page, in the chosen language."""
    response = render(request, "400.html", status=400)
    response["Cache-Control"] = "no-store"
    return response
