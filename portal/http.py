"""HTTP caching for public pages, so that a reverse proxy can serve repeats and phones can revalidate."""

from django.utils.cache import patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import condition

PUBLIC_MAX_AGE = 300  # seconds; a sign's page may lag the registry by at most five minutes in a proxy


def public_cache(*, etag=None, last_modified=None, max_age: int = PUBLIC_MAX_AGE):
    """Decorator: ETag/Last-Modified with conditional GET (304), and public Cache-Control.

    etag(request, *args, **kwargs) and last_modified(...) are cheap functions (one query at most). The
    language is part of the ETag, since the page differs by the visitor's chosen language.
    """

    def with_language(func):
        if func is None:
            return None

        def tagged(request, *args, **kwargs):
            value = func(request, *args, **kwargs)
            if value is None:
                return None
            return f"{value}-{getattr(request, 'LANGUAGE_CODE', '')}"

        return tagged

    def decorator(view):
        conditional = condition(etag_func=with_language(etag), last_modified_func=last_modified)(view)

        def wrapped(request, *args, **kwargs):
            response = conditional(request, *args, **kwargs)
            if response.status_code in (200, 304) and not request.user.is_authenticated:
                patch_cache_control(response, public=True, max_age=max_age)
            return response

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorator


__all__ = ["http_date", "public_cache", "quote_etag"]
