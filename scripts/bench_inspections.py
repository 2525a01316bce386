"""Inspections: plan generation, offline sync, coverage over a million rows, the producer page's history.

Run by scripts/bench.py (`make bench`, or BENCH_ONLY=inspections) with `run(ctx)`. Prints:
- plan generation for 100,000 producers (ten townships), in one transaction rolled back afterwards;
- 200 offline records through inspections.services.records.inspection_record with client keys, then the
  same 200 again (the duplicate path a phone takes when it resends), rolled back afterwards;
- the coverage computation (inspections.services.coverage.coverage_for) with 1,000,000 inspection rows on
  PostgreSQL: BENCH_PG_DATABASE_URL, or BENCH_DATABASE_URL when that is PostgreSQL; skipped otherwise.
  the rows go in with COPY into a scratch copy of that database, are vacuumed and analysed (as autovacuum
  would) and the copy is dropped afterwards;
- the producer page with 500 inspections (and their tests): queries and render time without the page
  cache, then under load beside /healthz.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMON = r"""
import json, random, statistics, string, sys, time, uuid, datetime
import django
django.setup()
from django.db import connection, transaction
from django.contrib.auth import get_user_model
from disclosure.models import Grid, Producer, PublicCode
from disclosure.models.producers import CODE_ALPHABET, CODE_LENGTH

class Rollback(Exception):
    pass

def admin():
    User = get_user_model()
    return User.objects.filter(is_superuser=True).order_by("id").first() or User.objects.create_superuser(
        "bench_admin", "bench@example.cn", uuid.uuid4().hex)

def bulk_producers(n):
    villages = list(Grid.objects.filter(level="village").values_list("id", flat=True))
    taken = set(PublicCode.objects.values_list("code", flat=True))
    kinds = ["smallholder"] * 6 + ["large_grower"] * 2 + ["cooperative", "family_farm", "enterprise", "input_shop",
                                                            "storage"]
    rows, codes = [], set()
    rnd = random.Random(7)
    while len(codes) < n:
        code = "".join(rnd.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken and code not in codes:
            codes.add(code)
    # One prepared row varied per producer, sent with executemany: bulk_create's per-object work took
    # longer than the insert itself.
    template = Producer(code="X", name="X", kind="smallholder", village_id=villages[0])
    fields = [f for f in Producer._meta.concrete_fields if not f.primary_key]
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            setattr(template, f.attname, datetime.datetime.now(datetime.UTC))
    base = {f.column: f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields}
    columns = list(base)
    for i, code in enumerate(sorted(codes)):
        row = dict(base, code=code, name=f"压测主体{i}", kind=rnd.choice(kinds), village_id=villages[i % len(villages)],
                   grade=rnd.choice(["A"] * 18 + ["B", "C"]))
        rows.append([row[c] for c in columns])
    sql = (f"INSERT INTO {Producer._meta.db_table} ({', '.join(columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])
    return Producer.objects.filter(name__startswith="压测主体")
"""

PLAN = COMMON + r"""
from inspections.services.plans import plan_generate
from inspections.models import PlannedVisit
year = datetime.date.today().year + 1
result = {}
try:
    with transaction.atomic():
        t = time.perf_counter(); bulk_producers(100_000); result["insert_s"] = time.perf_counter() - t
        towns = list(Grid.objects.filter(level="township"))
        t = time.perf_counter()
        for town in towns:
            plan_generate(township=town, year=year, small_share=20, peak_months="6,9")
        result["plan_s"] = time.perf_counter() - t
        result["towns"] = len(towns)
        result["producers"] = Producer.objects.count()
        result["visits"] = PlannedVisit.objects.filter(plan__year=year).count()
        raise Rollback
except Rollback:
    pass
print(json.dumps(result))
"""

SYNC = COMMON + r"""
from inspections.services.records import inspection_record
user = admin()
producers = list(Producer.objects.order_by("id")[:50])
keys = [uuid.uuid4() for _ in range(200)]
ok = {i: ("pass", "") for i in range(1, 8)}
today = datetime.date.today()
result = {}
try:
    with transaction.atomic():
        for label in ("new", "again"):
            times = []
            for i, key in enumerate(keys):
                t = time.perf_counter()
                stored = inspection_record(producer=producers[i % len(producers)], user=user, inspected_on=today,
                                           results=ok, representative="压测", client_key=key)
                times.append(time.perf_counter() - t)
                assert stored.created == (label == "new")
            result[label] = {"total_s": sum(times), "median_ms": statistics.median(times) * 1000}
        raise Rollback
except Rollback:
    pass
print(json.dumps(result))
"""

COVERAGE = COMMON + r"""
from django.db import connection
from django.test.utils import CaptureQueriesContext
from inspections.models import Inspection
from inspections.services.coverage import coverage_for
from inspections.services.plans import plan_generate
ROWS = int(sys.argv[1])
year = datetime.date.today().year
result = {}
t = time.perf_counter()
with transaction.atomic():
    ids = list(bulk_producers(100_000).values_list("id", "village__parent_id"))
    for town in Grid.objects.filter(level="township"):
        plan_generate(township=town, year=year, small_share=20, peak_months="6,9")
result["setup_s"] = time.perf_counter() - t
table = Inspection._meta.db_table
cols = "producer_id, township_id, kind, inspected_on, inspector_names, representative, other_findings, " \
       "failed_items, confirmed, recorded_at, conflict_note"
now = datetime.datetime.now(datetime.UTC)
rnd = random.Random(11)
t = time.perf_counter()
with transaction.atomic(), connection.cursor() as cursor:
    with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        for i in range(ROWS):
            pid, tid = ids[i % len(ids)]
            # 40% of the rows in the year measured, the rest over the four years before
            y = year if rnd.random() < 0.4 else year - rnd.randint(1, 4)
            day = min(datetime.date(y, rnd.randint(1, 12), rnd.randint(1, 28)), datetime.date.today())
            copy.write_row((pid, tid, "routine", day, "压测", "", "", 0, rnd.random() > 0.02, now, ""))
result["copy_s"] = time.perf_counter() - t
with connection.cursor() as cursor:  # as autovacuum would, before anyone looks at the figures
    cursor.execute("VACUUM ANALYZE")
result["rows"] = Inspection.objects.count()
coverage_for(year=year)
times = []
for _ in range(5):
    with CaptureQueriesContext(connection) as ctx:
        t = time.perf_counter(); figures = coverage_for(year=year); times.append(time.perf_counter() - t)
result["queries"] = len(ctx)
result["slowest"] = sorted((float(q["time"]) for q in ctx.captured_queries), reverse=True)[:3]
result["median_s"] = statistics.median(times)
result["min_s"] = min(times)
result["done"] = figures.city.done
result["required"] = figures.city.required
result["producers"] = figures.city.producers
print(json.dumps(result))
"""

PAGE = COMMON + r"""
from django.core.cache import cache
from django.test import Client
from django.test.utils import CaptureQueriesContext
from inspections.models import Inspection
from inspections.services.records import inspection_record, lab_test_record, rapid_test_record, sample_take
from django.utils import timezone
user = admin()
producer = Producer.objects.published().filter(kind="family_farm").order_by("id").first()
have = Inspection.objects.filter(producer=producer).count()
ok = {i: ("pass", "") for i in range(1, 8)}
today = datetime.date.today()
t = time.perf_counter()
for i in range(have, 500):
    day = today - datetime.timedelta(days=i % 360)
    stored = inspection_record(producer=producer, user=user, inspected_on=day, results=ok, representative="压测")
    if i % 5 == 0:
        taken = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        sample = sample_take(producer=producer, user=user, product="番茄", inspection=stored.obj, taken_at=taken).obj
        rapid = rapid_test_record(sample=sample, user=user, method="gold", target="克百威", result="suspect", tested_on=day)
        lab_test_record(sample=sample, user=user, lab="压测检测中心", report_number=f"B{producer.pk}-{i}", target="克百威",
                        unit="mg/kg", limit="0.02", reported_on=day, rapid_test=rapid)
added = time.perf_counter() - t
client = Client(HTTP_HOST="127.0.0.1")
url = f"/p/{producer.code}/"
client.get(url)
times = []
for _ in range(20):
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        t = time.perf_counter(); response = client.get(url); times.append(time.perf_counter() - t)
    assert response.status_code == 200
print(json.dumps({"code": producer.code, "inspections": Inspection.objects.filter(producer=producer).count(),
                  "queries": len(ctx), "median_ms": statistics.median(times) * 1000, "added_s": added}))
"""


def _python(ctx, code: str, *args: str, env: dict | None = None) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env or ctx.env,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"bench_inspections: a measurement failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _pg_env(ctx) -> dict | None:
    """A scratch PostgreSQL database copied from BENCH_PG_DATABASE_URL's (or BENCH_DATABASE_URL's), where a
    million rows can be committed and vacuumed as in real use; None without PostgreSQL."""
    url = os.environ.get("BENCH_PG_DATABASE_URL") or ctx.env["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    env = dict(ctx.env, DATABASE_URL=url)
    for args in (["migrate", "--noinput", "-v0"], ["createcachetable"]):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    has_grids = subprocess.run([sys.executable, "manage.py", "shell", "-v0", "-c",
                                "from disclosure.models import Grid; print(Grid.objects.count())"],
                               cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.strip()
    if has_grids in ("", "0"):
        subprocess.run([sys.executable, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    base, name = url.rsplit("/", 1)
    scratch = f"{name.split('?')[0]}_coverage_bench"
    _admin_sql(url, f'DROP DATABASE IF EXISTS "{scratch}"')
    _admin_sql(url, f'CREATE DATABASE "{scratch}" TEMPLATE "{name.split("?")[0]}"')
    return dict(ctx.env, DATABASE_URL=f"{base}/{scratch}", SCRATCH=scratch, ADMIN_URL=url)


def _admin_sql(url: str, sql: str) -> None:
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def run(ctx) -> None:
    plan = _python(ctx, PLAN)
    ctx.print(f"  plan generation: {plan['producers']:,} producers in {plan['towns']} townships → "
              f"{plan['visits']:,} planned visits in {plan['plan_s']:.1f} s "
              f"({plan['plan_s'] / plan['towns']:.2f} s per township; inserting the producers took {plan['insert_s']:.1f} s)")

    sync = _python(ctx, SYNC)
    ctx.print(f"  offline sync, 200 records with client keys: {sync['new']['total_s']:.2f} s "
              f"(median {sync['new']['median_ms']:.1f} ms per record)")
    ctx.print(f"    the same 200 sent again (stored once): {sync['again']['total_s']:.2f} s "
              f"(median {sync['again']['median_ms']:.2f} ms per record)")

    pg = _pg_env(ctx)
    rows = int(os.environ.get("BENCH_COVERAGE_ROWS", "1000000"))
    if pg is None:
        ctx.print("  coverage with 1,000,000 inspections: skipped (set BENCH_PG_DATABASE_URL to a PostgreSQL database)")
    else:
        try:
            cov = _python(ctx, COVERAGE, str(rows), env=pg)
        finally:
            _admin_sql(pg["ADMIN_URL"], f'DROP DATABASE IF EXISTS "{pg["SCRATCH"]}"')
        ctx.print(f"  coverage on PostgreSQL: {cov['rows']:,} inspection rows, {cov['producers']:,} producers "
                  f"(COPY {cov['copy_s']:.1f} s, setup {cov['setup_s']:.1f} s)")
        ctx.print(f"    coverage_for(year): {cov['queries']} queries, median {cov['median_s'] * 1000:.0f} ms, "
                  f"best {cov['min_s'] * 1000:.0f} ms (done {cov['done']:,} of {cov['required']:,} required)")
        ctx.print("    slowest queries of the last run: " + ", ".join(f"{t * 1000:.0f} ms" for t in cov["slowest"]))

    page = _python(ctx, PAGE)
    ctx.print(f"  producer page with {page['inspections']} inspections: {page['queries']} queries, "
              f"median {page['median_ms']:.1f} ms rendered without the page cache")
    ctx.compare(f"/p/{page['code']}/", f"producer page with a long history /p/{page['code']}/")


if __name__ == "__main__":
    raise SystemExit("run through scripts/bench.py (make bench)")
