"""HTTP caching for public pages, so that a reverse proxy can serve repeats and phones can revalidate.

Every public page shows, beside its own data, what the whole site shares: the templates and stylesheets
of this deploy and the footer's contact facts (PortalSettings). `site_stamp` stands for both, and is part
of every ETag and of every key of the shared HTML cache, so that a new hotline number or a new release
reaches pages whose own data did not change.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import condition

# Seconds a shared cache (the front cache, a proxy) may keep a public page: changes the portal knows of purge
# it at once (portal/frontcache.py), anything else shows within five minutes. Browsers revalidate each time
# (max-age=0), so a phone that has the page asks with its ETag and gets a 304 while nothing changed.
PUBLIC_MAX_AGE = 300
HTML_CACHE_SECONDS = 24 * 3600


def fingerprint(*parts) -> str:
    """A short hash of everything a cached page or document depends on."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\x1f")
    return digest.hexdigest()[:32]


SITE_STAMP_KEY = "portal:site-stamp"  # the cache's KEY_PREFIX is the build id: a deploy starts afresh


def _stamp_key() -> str:
    """The stamp's key also names how static files are addressed: pages rendered with hashed file names
    (production) must not be served by a server that has none (`make run` on the same database)."""
    return f"{SITE_STAMP_KEY}:{fingerprint(settings.DEBUG, settings.STORAGES['staticfiles']['BACKEND'])[:8]}"


_stamp_parts: list = []


def register_stamp_part(part) -> None:
    """part() -> something every site's pages depend on beside the sites and their settings (the grid each
    site serves, say); apps above portal register it, and call site_stamp_forget when it changes."""
    _stamp_parts.append(part)


def site_stamp(request) -> str:
    """A short hash of the deploy, of the sites and of their settings (every page's footer shows them). Kept
    in the shared cache (saving the settings or a site deletes it: PortalConfig.ready) and on the request;
    a cache hit costs no query. One stamp stands for every site of the portal (they are few and their
    settings rarely change); on a miss it is worked out from all of them, in three queries or so."""
    if not hasattr(request, "_portal_site_stamp"):
        key = _stamp_key()
        stamp = cache.get(key)
        if stamp is None:
            from wagtail.models import Site

            from .models import PortalSettings

            PortalSettings.for_request(request)  # the site's row exists before it is counted (Wagtail makes it)
            fields = [f.attname for f in PortalSettings._meta.concrete_fields]
            values = [list(PortalSettings.objects.order_by("pk").values_list(*fields)),
                      list(Site.objects.order_by("pk").values_list("pk", "hostname", "port", "root_page_id",
                                                                   "is_default_site")),
                      [part() for part in _stamp_parts]]
            stamp = fingerprint(key, settings.BUILD_ID, values)[:10]
            cache.set(key, stamp, None)
        request._portal_site_stamp = stamp
    return request._portal_site_stamp


def site_stamp_forget(**kwargs) -> None:
    """Signal receiver: the site settings changed, so every page's ETag and cached HTML must change."""
    cache.delete(_stamp_key())


def public_cache(*, etag=None, last_modified=None, max_age: int = PUBLIC_MAX_AGE):
    """Decorator: ETag/Last-Modified with conditional GET (304), and public Cache-Control: shared caches
    keep the page for `max_age` seconds (s-maxage), browsers revalidate.

    etag(request, *args, **kwargs) and last_modified(...) are cheap functions (one query at most). The
    site stamp and the language are added to the ETag: the page differs by both.
    """

    def with_site_and_language(func):
        if func is None:
            return None

        def tagged(request, *args, **kwargs):
            value = func(request, *args, **kwargs)
            if value is None:
                return None
            return f"{value}.{site_stamp(request)}-{getattr(request, 'LANGUAGE_CODE', '')}"

        return tagged

    def decorator(view):
        conditional = condition(etag_func=with_site_and_language(etag), last_modified_func=last_modified)(view)

        def wrapped(request, *args, **kwargs):
            response = conditional(request, *args, **kwargs)
            if response.status_code in (200, 304) and not request.user.is_authenticated:
                patch_cache_control(response, public=True, max_age=0, s_maxage=max_age)
            return response

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorator


def cached_html(request, etag: str | None, render, *, seconds: int = HTML_CACHE_SECONDS) -> HttpResponse:
    """The page's HTML (or feed: its content type is kept too) from the shared cache when its ETag is
    unchanged, else render() kept for next time.

    For anonymous visitors only (staff see the Wagtail user bar). The key holds the host (each county's site
    has its own pages at the same paths), the full path (the language
    switch links back to it), the ETag, the site stamp and the language, so a cached copy is never stale.
    """
    if etag is None or request.user.is_authenticated:
        return render()
    key = "html:" + fingerprint(request.get_host(), request.get_full_path(), etag, site_stamp(request),
                                getattr(request, "LANGUAGE_CODE", ""))
    kept = cache.get(key)
    if kept is not None:
        content, content_type = kept
        return HttpResponse(content, content_type=content_type)
    response = render()
    if response.status_code == 200 and not response.streaming:
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        cache.set(key, (response.content, response["Content-Type"]), seconds)
    return response


__all__ = ["cached_html", "fingerprint", "http_date", "public_cache", "quote_etag", "site_stamp"]
