"""Benchmarks of the open-data API and the substances page (part of `make bench`, see scripts/bench.py).

Each line sets the page beside the trivial view /healthz under the same gunicorn, so the ratio shows
what the page costs beyond the framework. The demo data has the real 68 grids, the 99 substances and
the demo producers. The last lines show what a conditional repeat (If-None-Match → 304) costs.
"""

import urllib.request


def _etag(ctx, path: str) -> str:
    request = urllib.request.Request(ctx.base_url + path, headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (our own server)
        return response.headers["ETag"]


def run(ctx):
    ctx.compare("/api/v1/producers/", "open data: producers, first page (50)")
    ctx.compare("/api/v1/producers/?page_size=100&township=sangong", "open data: producers, filtered, 100 a page")
    ctx.compare("/api/v1/substances/?page_size=100", "open data: substances, 100 a page")
    ctx.compare("/substances/", "/substances/ (all 99 entries, grouped; cached rendering)")
    ctx.compare("/substances/?q=%E7%94%B2%E8%83%BA", "/substances/?q=甲胺")
    for path in ("/api/v1/producers/", "/substances/"):
        load = ctx.run_load(path, headers={"If-None-Match": _etag(ctx, path)})
        ctx.print(f"  conditional repeat (304) {load.row()}")
