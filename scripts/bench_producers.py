"""Producers: the QR landing page under load, and the cost of rendering signboards.

Run by scripts/bench.py (`make bench`) with `run(ctx)`. Prints:
- /p/<CODE>/ (a cooperative with photos, three supervisors and a registered sign) beside /healthz:
  requests per second, median latency and their ratio; the same for a scan of a sign (?s=<serial>);
- rendering 100 signboards one by one in a fresh process: median and total time per sign, peak RSS;
- rendering the same 100 signboards into one PDF (the township batch): time and peak RSS.
Memory is the process's peak resident set size (ru_maxrss), which includes WeasyPrint's C libraries
(pango, harfbuzz, cairo-free pydyf); tracemalloc would see only Python objects.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIGNS = 100

RENDER = r"""
import json, resource, statistics, sys, time
import django
django.setup()
from disclosure.models import Producer, Signboard
from disclosure.services.signboard_render import signboards_pdf
from disclosure.services.signboards import signboard_issue

mode, count = sys.argv[1], int(sys.argv[2])
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
producers = list(Producer.objects.published().for_public_display().order_by("id")[:count])
signs = [signboard_issue(producer=p, force=False)[0] for p in producers]
signs = [signs[i % len(signs)] for i in range(count)]
signboards_pdf(signs=signs[:1])  # warm up fonts and templates, as a running server would be
times, size = [], 0
start = time.perf_counter()
if mode == "each":
    for sign in signs:
        t = time.perf_counter()
        size += len(signboards_pdf(signs=[sign]))
        times.append(time.perf_counter() - t)
else:
    size = len(signboards_pdf(signs=signs))
total = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"n": len(signs), "median": statistics.median(times) if times else None, "total": total,
                  "baseline_mb": baseline / 1024, "peak_mb": peak / 1024, "bytes": size}))
"""


def _render(ctx, mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", RENDER, mode, str(SIGNS)], cwd=ROOT, env=ctx.env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run(ctx) -> None:
    query = ("from disclosure.models import Producer, Signboard;"
             "from disclosure.services.signboards import signboard_issue;"
             "p = Producer.objects.published().filter(kind='cooperative', inspector_name__gt='').order_by('id').first();"
             "s = signboard_issue(producer=p, force=False)[0];"
             "print(p.code, s.serial)")
    code, serial = ctx.manage("shell", "-v0", "-c", query).split()[-2:]
    ctx.compare(f"/p/{code}/", f"producer page /p/{code}/")
    ctx.compare(f"/P/{code}/?s={serial}", f"a scan of sign No.{int(serial):06d}: /P/{code}/?s={serial}")
    ctx.compare("/producers/?q=%E5%90%88%E4%BD%9C%E7%A4%BE", "directory /producers/?q=合作社")

    each = _render(ctx, "each")
    ctx.print(f"  rendering {each['n']} signboards (A3) one by one, one process")
    ctx.print(f"    median {each['median'] * 1000:.0f} ms per sign, total {each['total']:.1f} s, "
              f"{each['bytes'] / each['n'] / 1024:.0f} KB per PDF")
    ctx.print(f"    peak RSS {each['peak_mb']:.0f} MB (process after Django setup: {each['baseline_mb']:.0f} MB)")
    batch = _render(ctx, "batch")
    ctx.print(f"  rendering the same {batch['n']} signboards into one PDF (township batch)")
    ctx.print(f"    total {batch['total']:.1f} s ({batch['total'] / batch['n'] * 1000:.0f} ms per sign), "
              f"{batch['bytes'] / 1024 / 1024:.1f} MB PDF, peak RSS {batch['peak_mb']:.0f} MB")


if __name__ == "__main__":
    raise SystemExit("run through scripts/bench.py (make bench)")
