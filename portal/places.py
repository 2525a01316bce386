"""The name of the place a site serves (a county-level city, say): page titles, the header, the admin's
branding and printed matter say it, and no template or code writes it. The grid tree knows it (its top
grid), so the domain app that keeps the tree registers a provider here; portal never imports it.

The name is looked up once a minute per process and language: renaming the top grid shows within that.
"""

import time

from django.utils import translation

_provider = None
_memo: dict[str, tuple[float, str]] = {}
MEMO_SECONDS = 60


def register_place_provider(provider) -> None:
    """provider() -> the served place's name in the active language ("" when there is no grid yet)."""
    global _provider
    _provider = provider
    _memo.clear()


def place_name() -> str:
    if _provider is None:
        return ""
    language = translation.get_language() or ""
    now = time.monotonic()
    kept = _memo.get(language)
    if kept and now - kept[0] < MEMO_SECONDS:
        return kept[1]
    name = _provider() or ""
    _memo[language] = (now, name)
    return name


def place_forget() -> None:
    """Drop the remembered names (after the grid tree changed, and between tests)."""
    _memo.clear()
