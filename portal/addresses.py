"""The client's address, as the rate limits and the sign-in lockout see it.

Behind reverse proxies REMOTE_ADDR is the nearest proxy's address, so every citizen would share one
rate-limit bucket. PORTAL_PROXY_COUNT says how many proxies of our own stand in front of the application;
each appends the address it saw to PORTAL_CLIENT_IP_HEADER (X-Forwarded-For), so the client is the entry
that many places from the right. Entries further left came from the client and are not trusted. With no
proxy (the default) the header is ignored: anyone could send one.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The address of the client that sent this request (see the module docstring)."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    count = getattr(settings, "PORTAL_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    header = getattr(settings, "PORTAL_CLIENT_IP_HEADER", "X-Forwarded-For")
    entries = [e.strip() for e in request.headers.get(header, "").split(",") if e.strip()]
    if len(entries) < count:
        return remote  # the request bypassed a proxy: trust only the connection itself
    candidate = entries[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
