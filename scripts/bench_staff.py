"""Back office: the triage queue's first page through the real view, with 100,000 complaints on PostgreSQL.

Run by scripts/bench.py (`make bench`) as `run(ctx)`, or alone: `.venv/bin/python scripts/bench_staff.py`.

A PostgreSQL database of its own (`bench_staff`, dropped and created afresh each run) on the server the
complaints bench uses (BENCH_STAFF_DATABASE_URL, else BENCH_COMPLAINTS_DATABASE_URL, else the bench's
DATABASE_URL when it is PostgreSQL, else postgres://postgres@127.0.0.1:5432). The 100,000 complaints are
made exactly as scripts/bench_complaints.py makes them (its TRIAGE script up to the measurements: a
realistic mix of states, villages and ages, bulk_create, ANALYZE), with its two users — a township
supervisor of 三工镇 and a city supervisor — then the staff groups get their real permissions.

Measured in process with Django's test Client logged in as each user (middleware, session, Wagtail admin,
template rendering included; no network, no gunicorn; static URLs without the manifest): the median of 31 GETs of
/admin/triage/ (the first page: open complaints, nearest deadline first, counts per state), the same
with ?state=submitted and ?overdue=yes, a complaint's page, and the dashboard; with the number of SQL
queries each takes.
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = int(os.environ.get("BENCH_STAFF_ROWS", os.environ.get("BENCH_COMPLAINT_ROWS", "100000")))
RUNS = int(os.environ.get("BENCH_STAFF_RUNS", "31"))
DB_NAME = "bench_staff"

MEASURE = r"""
import statistics, time
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from complaints.models import Complaint
from staff.roles import staff_roles_setup

staff_roles_setup()
RUNS = int(sys.argv[2])
# Static URLs without the collected manifest (the bench may run before or without collectstatic).
from django.test.utils import override_settings
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
users = get_user_model().objects
result = {"rows": Complaint.objects.count()}
for label, username in (("township", "bench_township"), ("city", "bench_city")):
    user = users.get(username=username)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    sample = Complaint.objects.visible_to(user).open().by_deadline().first()
    pages = [("queue, first page", "/admin/triage/"), ("queue, waiting for acceptance", "/admin/triage/?state=submitted"),
             ("queue, overdue", "/admin/triage/?overdue=yes"), ("complaint page", f"/admin/triage/{sample.pk}/"),
             ("dashboard", "/admin/triage/dashboard/")]
    result[f"{label}: visible"] = Complaint.objects.visible_to(user).count()
    for name, path in pages:
        response = client.get(path, secure=True)
        assert response.status_code == 200, (path, response.status_code)
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
            client.get(path, secure=True)
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            client.get(path, secure=True)
            times.append((time.perf_counter() - started) * 1000)
        result[f"{label}: {name}"] = [statistics.median(times), len(queries)]
print(json.dumps(result))
"""


def _split_build(triage_script: str) -> str:
    """The part of bench_complaints' TRIAGE script that builds the data (everything before it measures)."""
    marker = "\ndef median_ms("
    if marker not in triage_script or "ANALYZE complaints_complaint" not in triage_script:
        raise RuntimeError("scripts/bench_complaints.py's TRIAGE script changed: update bench_staff._split_build")
    return triage_script.split(marker)[0]


def _fresh_database(server: str) -> str:
    import psycopg

    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    return f"{server}/{DB_NAME}"


def _server_url(env: dict) -> str:
    explicit = os.environ.get("BENCH_STAFF_DATABASE_URL")
    if explicit:
        return explicit.rsplit("/", 1)[0]
    import bench_complaints

    return bench_complaints._server_url(env)


def run(ctx) -> None:
    import subprocess

    import bench_complaints

    server = _server_url(ctx.env)
    try:
        database_url = _fresh_database(server)
    except Exception as exc:  # noqa: BLE001 - say why and go on with the other benches
        ctx.print(f"  skipped: no PostgreSQL at {server.split('@')[-1]} ({exc.__class__.__name__}: {exc})")
        return
    env = bench_complaints._env(ctx.env, database_url)
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    ctx.print(f"  database: {database_url.split('@')[-1]} (fresh), production settings, in-process test Client")
    bench_complaints._manage(env, "migrate", "--noinput", "-v0")
    bench_complaints._manage(env, "createcachetable")
    bench_complaints._python(env, bench_complaints.SETUP)
    started = time.perf_counter()
    script = _split_build(bench_complaints.TRIAGE) + MEASURE
    out = subprocess.run([sys.executable, "-c", script, str(ROWS), str(RUNS)], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    result = json.loads(out)
    ctx.print(f"  triage views with {result.pop('rows'):,} complaints (built and measured in "
              f"{time.perf_counter() - started:.0f} s), median of {RUNS} GETs, in process:")
    for label, value in result.items():
        if isinstance(value, list):
            ctx.print(f"    {label:<44} {value[0]:8.1f} ms   {value[1]:>3} queries")
        else:
            ctx.print(f"    {label:<44} {value:>8,}")


def main() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    import bench

    ctx = bench.Context(base_url="", env=bench.prepare_env())
    ctx.print(f"== bench_staff · {time.strftime('%Y-%m-%d %H:%M')} · {os.cpu_count()} CPUs")
    run(ctx)


if __name__ == "__main__":
    main()
