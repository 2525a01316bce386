"""Per-address rate limits that hold across server processes: counters live in the shared cache.

Fixed windows (e.g. 20 look-ups per 10 minutes). The address is hashed before it becomes a cache key, so
the cache never holds it in clear. With Redis (several servers) the counter is atomic (INCR); with the
database cache two processes hitting the same key in the same instant may both read the old value, so a
burst can slip a few requests past the limit — the limit still holds across processes, give or take that.
"""

import hashlib
import time

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.shortcuts import render

from portal.addresses import client_ip

from . import conf


def client_address(request) -> str:
    """The client's address; behind a proxy per PORTAL_PROXY_COUNT (portal/addresses.py)."""
    return client_ip(request) or "unknown"


def _key(request, scope: str) -> tuple[str, int]:
    limit, period = conf.rate_limit(scope)
    window = int(time.time() // period)
    digest = hashlib.sha256(f"{scope}|{client_address(request)}".encode()).hexdigest()[:24]
    return f"complaints:rl:{scope}:{digest}:{window}", period


def used(request, scope: str) -> int:
    key, _period = _key(request, scope)
    return int(cache.get(key, 0) or 0)


def allowed(request, scope: str) -> bool:
    """Whether another request in `scope` is still within the limit (does not count it)."""
    limit, _period = conf.rate_limit(scope)
    return used(request, scope) < limit


def count(request, scope: str) -> int:
    """Count one request in `scope`; returns the count in the current window.

    The first request of a window uses add, so two processes cannot both start at 1; then Redis's INCR,
    or get + set on the database cache (whose incr is the same get + set but resets the timeout to the
    cache's default)."""
    key, period = _key(request, scope)
    if isinstance(caches["default"], RedisCache):
        if cache.add(key, 1, timeout=period + 5):
            return 1
        try:
            return cache.incr(key)  # keeps the key's expiry
        except ValueError:  # the window's key expired in between
            return count(request, scope)
    value = cache.get(key)
    if value is None:
        if cache.add(key, 1, timeout=period + 5):
            return 1
        value = cache.get(key) or 0
    value = int(value) + 1
    cache.set(key, value, timeout=period + 5)
    return value


def hit(request, scope: str) -> bool:
    """Count a request and say whether it is within the limit."""
    limit, _period = conf.rate_limit(scope)
    return count(request, scope) <= limit


def too_many(request, scope: str):
    """The 429 answer, in Chinese (templates/429.html), with Retry-After."""
    _limit, period = conf.rate_limit(scope)
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(period - int(time.time()) % period)
    response["Cache-Control"] = "no-store"
    return response
