"""Grid map measurements for `make bench`: page throughput beside the trivial view, poster render time
(uncached, in a separate process with the bench settings) and the cached poster's serve time."""

import json
import time
import urllib.request

RENDERS = 5  # uncached renders per poster; the median is reported

# Runs inside `manage.py shell` with the bench environment: renders posters without the cache.
RENDER_CODE = """
import json, statistics, time
from disclosure.services import posters
from disclosure.services.grids import grid_map_load
from disclosure.services.signboards import hotline_number
gmap = grid_map_load(producer_counts=False)
hotline = hotline_number()
nodes = {"city /grid/": gmap.root, "township /grid/sangong/": gmap.township("sangong"),
         "village /grid/sangong/changfeng/": gmap.village("sangong", "changfeng")}
posters.poster_pdf(node=nodes["village /grid/sangong/changfeng/"], gmap=gmap, hotline=hotline)  # warm up fonts
result = {}
for label, node in nodes.items():
    times, size = [], 0
    for _ in range(%(n)d):
        start = time.perf_counter()
        size = len(posters.poster_pdf(node=node, gmap=gmap, hotline=hotline))
        times.append(time.perf_counter() - start)
    result[label] = {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times), "bytes": size}
from django.core.cache import cache
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
pages = {}
for path in ("/grid/", "/grid/sangong/", "/grid/sangong/changfeng/", "/personnel/"):
    client.get(path)
    times = []
    for _ in range(10):
        cache.clear()
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    pages[path] = statistics.median(times)
print("RESULT" + json.dumps({"posters": result, "pages": pages}))
"""


def run(ctx) -> None:
    ctx.print("  grid pages (repeats come from the HTML cache, keyed by the page's ETag)")
    ctx.compare("/grid/", "grid map /grid/")
    for path in ("/grid/sangong/", "/grid/sangong/changfeng/", "/personnel/"):
        load = ctx.run_load(path)
        ctx.print(f"    page     {load.row()}")
    # A phone (or a proxy) revalidating its copy: the ETag check costs two small queries, no rendering.
    request = urllib.request.Request(ctx.base_url + "/grid/", headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (local server)
        etag = response.headers.get("ETag", "")
    load = ctx.run_load("/grid/", headers={"If-None-Match": etag})
    ctx.print(f"    304      {load.row()}  (If-None-Match: the revalidation path)")

    out = ctx.manage("shell", "-c", RENDER_CODE % {"n": RENDERS})
    measured = json.loads(out.split("RESULT", 1)[1].strip().splitlines()[0])
    ctx.print("  pages drawn afresh (HTML cache cleared before each; in-process, median of 10)")
    for path, seconds in measured["pages"].items():
        ctx.print(f"    {path:<34} {seconds * 1000:.1f} ms")
    ctx.print(f"  poster render, uncached (median of {RENDERS}, in-process WeasyPrint)")
    for label, r in measured["posters"].items():
        ctx.print(f"    {label:<34} median {r['median_s']:.2f} s  (min {r['min_s']:.2f}, max {r['max_s']:.2f}) "
                  f"{r['bytes'] / 1024:.0f} KiB")

    ctx.print("  poster served from the cache")
    for path in ("/grid/sangong/poster.pdf", "/grid/poster.pdf"):
        start = time.perf_counter()
        with urllib.request.urlopen(ctx.base_url + path, timeout=120) as response:  # noqa: S310 (local server)
            response.read()
        first = time.perf_counter() - start
        load = ctx.run_load(path)
        ctx.print(f"    {path:<28} first request {first:.2f} s (renders unless cached already)")
        ctx.print(f"    cached   {load.row()}")
