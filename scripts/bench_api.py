"""Benchmarks of the open-data API and the substances page (part of `make bench`, see scripts/bench.py).

Each line sets the page beside the trivial view /healthz under the same gunicorn, so the ratio shows
what the page costs beyond the framework. The demo data has the real 68 grids, the 99 substances and
the demo producers.
"""


def run(ctx):
    ctx.compare("/api/v1/producers/", "open data: producers, first page (50)")
    ctx.compare("/api/v1/producers/?page_size=100&township=sangong", "open data: producers, filtered, 100 a page")
    ctx.compare("/api/v1/substances/?page_size=100", "open data: substances, 100 a page")
    ctx.compare("/substances/", "/substances/ (all 99 entries, grouped)")
    ctx.compare("/substances/?q=%E7%94%B2%E8%83%BA", "/substances/?q=甲胺")
