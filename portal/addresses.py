"""The client's address, as the rate limits and the sign-in lockout see it.

Behind reverse proxies REMOTE_ADDR is the nearest proxy's address, so every citizen would share one
rate-limit bucket. PORTAL_PROXY_COUNT says how many proxies of our own stand in front of the application;
each appends the address it saw to PORTAL_CLIENT_IP_HEADER (X-Forwarded-For), so the client is the entry
that many places from the right. Entries further left came from the client and are not trusted. With no
proxy (the default) the header is ignored: anyone could send one.
"""

import ipaddress

from django.conf import settings


def _valid(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def client_ip(request) -> str:
    """The address of the client that sent this request (see the module docstring); "" when there is
    none to trust (a unix socket, a test request built by hand)."""
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    count = getattr(settings, "PORTAL_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    header = getattr(settings, "PORTAL_CLIENT_IP_HEADER", "X-Forwarded-For")
    entries = [e.strip() for e in request.headers.get(header, "").split(",") if e.strip()]
    if len(entries) < count:
        return remote  # the request bypassed a proxy: trust only the connection itself
    return _valid(entries[-count]) or remote


def axes_client_ip(request) -> str | None:
    """client_ip for django-axes, which stores the address in an IP column (None when unknown)."""
    return client_ip(request) or None
