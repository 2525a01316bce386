"""Region-size data: the pages that must not grow with the region, on PostgreSQL with 108 counties, 940
townships, 7,196 villages, 500,000 producers, 5,000,000 complaints and 10,000,000 inspections.

Run by scripts/bench.py (`BENCH_ONLY=region make bench`) as `run(ctx)`, or alone:
`.venv/bin/python scripts/bench_region.py`.

Two databases of its own on the server the complaints bench uses (BENCH_REGION_DATABASE_URL names the
server, else as scripts/bench_complaints.py finds it): `bench_region`, filled by `manage.py generate_region`
at full size (about a quarter of an hour; BENCH_REGION_PRODUCERS, _COMPLAINTS, _INSPECTIONS change the
sizes), and `bench_region_small`, the same region tree with 2,000 producers, 10,000 complaints and 20,000
inspections. Both are dropped and made afresh, except that BENCH_REGION_REUSE=1 keeps a `bench_region`
that already holds generated data (generating takes long).

Measured in process with Django's test Client and production settings (the second factor off: force_login
stands in for signing in), the host name selecting the Wagtail site (a county's site and the region's,
made with grid_site_add), the median of BENCH_REGION_RUNS GETs with the number of SQL queries each takes:
(a) the QR page /p/<CODE>/ of five producers of a county, the HTML cache cleared before each, in both
databases (the query counts must be equal); (b) the triage queue's first page as a township's supervisor;
(c) the county supervisor's triage queue, admin home and dashboard, and /results/ on the county's site;
(d) /results/ and /grid/ on the region's site (from the counties' summary rows) — both pages drawn afresh,
and repeated (the ETag check and the HTML cache) — and how long refreshing
one county's summary rows takes (and every county's, unless BENCH_REGION_REFRESH_ALL=0). Two counties:
the reference city 昌吉市 and the county with the most villages.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_REGION_RUNS", "11"))
SIZES = {name: int(os.environ.get(f"BENCH_REGION_{name.upper()}", default))
         for name, default in (("producers", "500000"), ("complaints", "5000000"), ("inspections", "10000000"))}
SMALL = {"producers": 2000, "complaints": 10000, "inspections": 20000}
BIG_DB, SMALL_DB = "bench_region", "bench_region_small"
COUNTIES = ("652301", "653125")  # 昌吉市 (the reference city, 57 villages), 莎车县 (478 villages, the most)

MEASURE = r"""
import json, statistics, sys, time
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from complaints.models import Complaint
from disclosure.models import Grid, Producer
from disclosure.services.sites import grid_site_add
from gridwork.services.rollups import county_figures_refresh, figures_refresh_all

RUNS, COUNTIES, SMALL, REFRESH_ALL = int(sys.argv[1]), sys.argv[2].split(","), sys.argv[3] == "1", sys.argv[4] == "1"
override_settings(STAFF_SECOND_FACTOR_ENFORCED=False, STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
users = get_user_model().objects
region = Grid.objects.get(code="65")
grid_site_add(grid=region, hostname="region.bench.example")
client = Client()
result = {"sizes": {"producers": Producer.objects.count(), "complaints": Complaint.objects.count()}}

def measure(path, host, *, clear=True, runs=RUNS):
    first = client.get(path, HTTP_HOST=host, secure=True)
    assert first.status_code == 200, (path, host, first.status_code)
    if clear:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(path, HTTP_HOST=host, secure=True)
    count = len(queries.captured_queries)  # now: every request clears the log
    times = []
    for _ in range(runs):
        if clear:
            cache.clear()
        started = time.perf_counter()
        client.get(path, HTTP_HOST=host, secure=True)
        times.append((time.perf_counter() - started) * 1000)
    return [round(statistics.median(times), 1), count]

for code in COUNTIES:
    county = Grid.objects.get(code=code)
    host = f"c{code}.bench.example"
    grid_site_add(grid=county, hostname=host)
    mine = Producer.objects.published().filter(village__path__startswith=county.path).order_by("id")
    n = mine.count()
    picks = [mine[i * n // 5] for i in range(5)] if n >= 5 else list(mine)
    qr = [measure(f"/p/{p.code}/", host) for p in picks]
    out = {"producers": n, "qr_ms": statistics.median(m[0] for m in qr), "qr_queries": sorted({m[1] for m in qr})}
    if not SMALL:
        busiest = (Complaint.objects.filter(township__path__startswith=county.path).values("township_id")
                   .annotate(n=Count("id")).order_by("-n").first())
        township = Grid.objects.get(pk=busiest["township_id"])
        out["complaints"] = Complaint.objects.filter(grid__path__startswith=county.path).count()
        out["township"] = f"{township.name} ({busiest['n']:,} complaints)"
        client.force_login(users.get(username=f"supervisor-{township.code}"))
        out["township: triage, first page"] = measure("/admin/triage/", host, clear=False)
        client.force_login(users.get(username=f"supervisor-{county.code}"))
        out["county: triage, first page"] = measure("/admin/triage/", host, clear=False)
        out["county: admin home"] = measure("/admin/", host, clear=False)
        out["county: dashboard"] = measure("/admin/triage/dashboard/", host, clear=False)
        out["county: inspection coverage"] = measure("/admin/inspection-coverage/", host, clear=False, runs=3)
        client.logout()
        out["county: /results/"] = measure("/results/", host)
        out["county: /results/ repeat"] = measure("/results/", host, clear=False)
        times = []
        for _ in range(3):
            started = time.perf_counter()
            county_figures_refresh(county=county)
            times.append(time.perf_counter() - started)
        out["county figures refresh s"] = round(statistics.median(times), 2)
    result[code] = out
if not SMALL:
    result["region: /results/"] = measure("/results/", "region.bench.example")
    result["region: /results/ repeat"] = measure("/results/", "region.bench.example", clear=False)
    result["region: /grid/"] = measure("/grid/", "region.bench.example")
    result["region: /grid/ repeat"] = measure("/grid/", "region.bench.example", clear=False)
    client.force_login(users.get(username="overseer-65"))
    result["region overseer: dashboard"] = measure("/admin/triage/dashboard/", "region.bench.example", clear=False, runs=3)
    result["region overseer: admin home"] = measure("/admin/", "region.bench.example", clear=False, runs=3)
    result["region overseer: inspection coverage"] = measure("/admin/inspection-coverage/", "region.bench.example",
                                                             clear=False, runs=1)
    client.logout()
    if REFRESH_ALL:
        started = time.perf_counter()
        counted = figures_refresh_all()
        result["all counties' figures refresh s"] = [round(time.perf_counter() - started, 1), counted]
with connection.cursor() as cursor:
    cursor.execute("SELECT pg_database_size(current_database())")
    result["database bytes"] = cursor.fetchone()[0]
print("RESULT" + json.dumps(result, ensure_ascii=False))
"""


def _database(server: str, name: str, *, template: str | None = None) -> str:
    import psycopg

    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    return f"{server}/{name}"


def _holds_data(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            return conn.execute("SELECT COUNT(*) FROM complaints_complaint").fetchone()[0] > 0
    except Exception:  # noqa: BLE001 - no database, or not migrated: generate afresh
        return False


def _generate(ctx, env: dict, sizes: dict) -> None:
    args = [sys.executable, "manage.py", "generate_region"] + [f"--{k}={v}" for k, v in sizes.items()]
    started = time.perf_counter()
    out = subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if not line.startswith("  "):
            ctx.print(f"    {line}")
    ctx.print(f"    ({time.perf_counter() - started:.0f} s with the process start)")


def _measure(env: dict, *, small: bool) -> dict:
    refresh_all = os.environ.get("BENCH_REGION_REFRESH_ALL", "1") != "0"
    out = subprocess.run([sys.executable, "-c", MEASURE, str(RUNS), ",".join(COUNTIES), "1" if small else "0",
                          "1" if refresh_all else "0"], cwd=ROOT, env=env, check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.split("RESULT", 1)[1].strip().splitlines()[0])


def run(ctx) -> None:
    import bench_complaints

    server = (os.environ.get("BENCH_REGION_DATABASE_URL", "").rsplit("/", 1)[0]
              or bench_complaints._server_url(ctx.env))
    try:
        small_url = _database(server, SMALL_DB)
    except Exception as exc:  # noqa: BLE001 - say why and go on with the other benches
        ctx.print(f"  skipped: no PostgreSQL at {server.split('@')[-1]} ({exc.__class__.__name__}: {exc})")
        return
    envs = {}
    for name, url in ((SMALL_DB, small_url), (BIG_DB, f"{server}/{BIG_DB}")):
        env = bench_complaints._env(ctx.env, url)
        env["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver,.bench.example"
        envs[name] = env
    bench_complaints._manage(envs[SMALL_DB], "migrate", "--noinput", "-v0")
    bench_complaints._manage(envs[SMALL_DB], "createcachetable")
    reuse = os.environ.get("BENCH_REGION_REUSE") == "1" and _holds_data(f"{server}/{BIG_DB}")
    if reuse:
        ctx.print(f"  {BIG_DB}: kept from an earlier run (BENCH_REGION_REUSE=1), migrated")
        bench_complaints._manage(envs[BIG_DB], "migrate", "--noinput", "-v0")
    else:
        _database(server, BIG_DB, template=SMALL_DB)  # migrated already
        ctx.print(f"  {BIG_DB}: generated afresh, {', '.join(f'{k} {v:,}' for k, v in SIZES.items())}:")
        _generate(ctx, envs[BIG_DB], SIZES)
    ctx.print(f"  {SMALL_DB}: {', '.join(f'{k} {v:,}' for k, v in SMALL.items())}")
    _generate(ctx, envs[SMALL_DB], SMALL)
    small = _measure(envs[SMALL_DB], small=True)
    big = _measure(envs[BIG_DB], small=False)
    ctx.print(f"  database sizes: {BIG_DB} {big['database bytes'] / 2**30:.1f} GiB, "
              f"{SMALL_DB} {small['database bytes'] / 2**20:.0f} MiB")
    ctx.print(f"  in process, production settings, median of {RUNS} GETs (ms, queries):")
    for code in COUNTIES:
        b, s = big[code], small[code]
        same = "same" if b["qr_queries"] == s["qr_queries"] else "DIFFERENT — CHECK"
        ctx.print(f"  county {code}: {b['producers']:,} producers, {b['complaints']:,} complaints; "
                  f"busiest township {b['township']}")
        ctx.print(f"    QR page /p/<CODE>/, cache cleared    {b['qr_ms']:8.1f} ms   queries {b['qr_queries']} "
                  f"(small database: {s['qr_ms']:.1f} ms, queries {s['qr_queries']}: {same})")
        for label, value in b.items():
            if isinstance(value, list) and not label.startswith("qr_"):
                ctx.print(f"    {label:<36} {value[0]:8.1f} ms   {value[1]:>3} queries")
        ctx.print(f"    county figures refresh (one county)  {b['county figures refresh s']:8.2f} s")
    for label in ("region: /results/", "region: /results/ repeat", "region: /grid/", "region: /grid/ repeat",
                  "region overseer: dashboard", "region overseer: admin home",
                  "region overseer: inspection coverage"):
        ctx.print(f"  {label:<38} {big[label][0]:8.1f} ms   {big[label][1]:>3} queries")
    if "all counties' figures refresh s" in big:
        seconds, counties = big["all counties' figures refresh s"]
        ctx.print(f"  every county's figures refreshed ({counties} counties): {seconds:.1f} s")


def main() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    import bench

    ctx = bench.Context(base_url="", env=bench.prepare_env())
    ctx.print(f"== bench_region · {time.strftime('%Y-%m-%d %H:%M')} · {os.cpu_count()} CPUs")
    run(ctx)


if __name__ == "__main__":
    main()
