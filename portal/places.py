"""The name of the place a site serves (a county-level city, say): page titles, the header, the admin's
branding and printed matter say it, and no template or code writes it. The grid tree knows it (the grid the
request's site serves), so the domain app that keeps the tree registers a provider here; portal never
imports it. The provider remembers its answers; `place_forget` tells it the tree changed.
"""

_provider = None
_forget = None


def register_place_provider(provider, forget=None) -> None:
    """provider() -> the served place's name in the active language ("" when there is no grid yet);
    forget() drops whatever the provider remembers."""
    global _provider, _forget
    _provider, _forget = provider, forget


def place_name() -> str:
    if _provider is None:
        return ""
    return _provider() or ""


def place_forget() -> None:
    """Drop the remembered names (after the grid tree changed, and between tests)."""
    if _forget is not None:
        _forget()
