"""Keeping the front cache fresh (docs/deploy.md, "Several servers").

Public pages let shared caches keep them for a few minutes (portal.http.public_cache: s-maxage) while
browsers revalidate. Whatever changes a page asks the front cache to drop it once the change is committed,
so the next visitor gets the new page within a second instead of after minutes. The front cache drops a
path with every query string and language variant under it (deploy/varnish/portal.vcl, PURGE).

The front caches are settings.WAGTAILFRONTENDCACHE (from FRONTEND_CACHE_PURGE_URLS), Wagtail's HTTP PURGE
backend with a timeout. Nothing is sent before the commit, and nothing is sent by the request itself: a
sender thread takes the paths and sends them, so a cache that is down or slow costs a warning in the log,
never a failed or slower save. Wagtail would queue its page purges as background tasks, which wait behind
minute-long print jobs in the task worker; pages are purged here instead (PortalConfig.ready connects
`page_changed`; wagtail.contrib.frontend_cache itself is not installed).
"""

import atexit
import logging
import queue
import threading
import time
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings
from django.db import transaction
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend, PurgeRequest
from wagtail.contrib.frontend_cache.utils import get_backends

logger = logging.getLogger(__name__)


class PurgeBackend(HTTPBackend):
    """Wagtail's HTTP PURGE backend with a timeout (PORTAL_PURGE_TIMEOUT); a cache that does not answer is
    a warning in the log, not an error that reaches the caller."""

    def purge(self, url):
        error = self.purge_or_error(url)
        if error:
            logger.warning("front cache %s did not purge %s: %s", self.cache_netloc, urlsplit(url).path, error)

    def purge_or_error(self, url) -> str | None:
        """Send one PURGE; None when the cache took it, else what went wrong."""
        parts = urlsplit(url)
        request = PurgeRequest(
            url=urlunsplit([self.cache_scheme, self.cache_netloc, parts.path, parts.query, ""]),
            headers={"Host": parts.netloc, "User-Agent": "portal-purge"})
        try:
            with urlopen(request, timeout=settings.PORTAL_PURGE_TIMEOUT) as response:  # noqa: S310 (configured)
                response.read()
        except Exception as exc:  # refused, timed out, an HTTP error: the page then expires on its own
            return str(exc) or type(exc).__name__
        return None


def enabled() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_paths(paths: Iterable[str]) -> None:
    """Ask every front cache to drop these paths (e.g. "/p/AB12/") once the current transaction commits;
    at once outside a transaction. Does nothing when no front cache is configured."""
    if not enabled():
        return
    base = settings.PORTAL_BASE_URL
    urls = sorted({base + path for path in paths if path.startswith("/")})
    if urls:
        transaction.on_commit(lambda: _sender.put(urls), robust=True)


def page_paths(page) -> set[str]:
    """The paths of a CMS page and of the pages above it that list it (the news index, the home page).
    A translation has its source's address (the language is a cookie), so it gives the same paths."""
    paths = set()
    for each in [*page.get_ancestors().filter(depth__gt=1), page]:
        parts = each.get_url_parts()
        if parts is None:
            continue
        path = parts[2]
        for extra in each.specific_deferred.get_cached_paths():
            paths.add(path + extra.lstrip("/"))
    return paths


def page_changed(instance, **kwargs) -> None:
    """Signal receiver (page_published, page_unpublished): purge the page and the lists that show it."""
    if enabled():
        purge_paths(page_paths(instance))


class _Sender:
    """One thread per process that sends the committed purges, several commits' paths at once."""

    def __init__(self):
        self.waiting: queue.Queue[list[str]] = queue.Queue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def put(self, urls: list[str]) -> None:
        self.waiting.put(urls)
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="front-cache-purge", daemon=True)
                self.thread.start()

    def run(self) -> None:
        while True:
            batches = [self.waiting.get()]
            while True:  # a registry import commits hundreds of producers: one round for all of them
                try:
                    batches.append(self.waiting.get_nowait())
                except queue.Empty:
                    break
            try:
                self.send(sorted({url for batch in batches for url in batch}))
            except Exception:
                logger.exception("front cache purge failed")
            finally:
                for _batch in batches:
                    self.waiting.task_done()

    @staticmethod
    def send(urls: list[str]) -> None:
        for name, backend in get_backends().items():
            for done, url in enumerate(urls):
                error = backend.purge_or_error(url) if isinstance(backend, PurgeBackend) else backend.purge(url)
                if error:
                    # A cache that did not answer one purge will not answer the next ones of this round.
                    more = f" and {len(urls) - done - 1} more" if len(urls) - done > 1 else ""
                    logger.warning("front cache %s (%s) did not purge %s%s: %s", name, getattr(backend, "cache_netloc", ""),
                                   urlsplit(url).path, more, error)
                    break
            else:
                logger.info("front cache %s: purged %d paths", name, len(urls))

    def wait(self, timeout: float) -> bool:
        """Whether every purge handed over so far was sent (or failed) within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self.waiting.all_tasks_done:
            while self.waiting.unfinished_tasks:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.waiting.all_tasks_done.wait(left)
        return True


_sender = _Sender()


def purges_wait(timeout: float = 10.0) -> bool:
    """Block until the purges handed to the sender so far have gone out (tests, short-lived commands)."""
    return _sender.wait(timeout)


# A management command (a registry import, say) ends right after its commit: let its purges go out first.
atexit.register(purges_wait, 5.0)
