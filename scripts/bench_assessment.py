"""The townships' assessment and the public results with ten years of records on PostgreSQL.

Run by scripts/bench.py (`make bench`, or BENCH_ONLY=assessment) as `run(ctx)`, or alone against a migrated
PostgreSQL database with the demo data: `DATABASE_URL=postgres://… .venv/bin/python scripts/bench_assessment.py`.
The database is BENCH_ASSESSMENT_DATABASE_URL, else BENCH_PG_DATABASE_URL, else the bench's DATABASE_URL
when it is PostgreSQL; skipped otherwise.

In one transaction rolled back at the end: 5,000 more producers, and for each of ten years (this year and
the nine before) 25,000 confirmed inspections, 5,000 samples with a rapid test each (5 % positive), 1,500
finished complaints (most rated), each township's quota and a training session with attendance; then
ANALYZE. Measured in process (median of RUNS): counting every indicator of a year for the ten townships
(`assessment_figures`), computing and storing a year's scores (`scores_compute`), the public figures
(`results_for`), and through the real views (Django's test Client, the city's staff user): the ranking, a
score card, /results/ and /api/v1/results/ without their caches; with the number of SQL queries each takes.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_ASSESSMENT_RUNS", "5"))
YEARS = 10


def _setup():
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(Path(__file__).parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()


def _fill(this_year: int) -> dict:
    import datetime
    import random
    import string

    from bench_inspections import COMMON
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from complaints.models import Complaint, State
    from disclosure.models import Grid, Person, Producer
    from gridwork.models import Attendance, StationQuota, TrainingSession
    from inspections.models import Inspection, RapidTest, Sample

    namespace: dict = {}
    exec(COMMON.replace("django.setup()\n", ""), namespace)  # noqa: S102 (bulk_producers)
    t0 = timezone.now()
    namespace["bulk_producers"](5000)
    rng = random.Random(11)
    producers = list(Producer.objects.values_list("id", "village__parent_id"))
    townships = list(Grid.objects.townships().values_list("id", flat=True))
    people = list(Person.objects.values_list("id", flat=True))
    boss = get_user_model().objects.filter(is_superuser=True).first()
    tz = timezone.get_current_timezone()
    counts = {"inspections": 0, "rapid_tests": 0, "complaints": 0}
    for year in range(this_year - YEARS + 1, this_year + 1):
        last_day = 365 if year < this_year else max(timezone.localdate().timetuple().tm_yday - 1, 1)

        def day(year=year, last_day=last_day):
            return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(last_day))

        rows = []
        for _n in range(25_000):
            pid, tid = rng.choice(producers)
            rows.append(Inspection(producer_id=pid, township_id=tid, inspected_on=day(), inspector_names="压测",
                                   confirmed=True))
        Inspection.objects.bulk_create(rows, batch_size=5000)
        counts["inspections"] += len(rows)
        samples = []
        for n in range(5000):
            pid, tid = rng.choice(producers)
            taken = day()
            samples.append(Sample(number=f"B{year}{n:06d}", producer_id=pid, township_id=tid, product="黄瓜",
                                  taken_at=datetime.datetime.combine(taken, datetime.time(9), tzinfo=tz)))
        samples = Sample.objects.bulk_create(samples, batch_size=5000)
        RapidTest.objects.bulk_create([RapidTest(
            sample=s, method="gold", target="克百威", tested_on=s.taken_at.date(),
            result="positive" if rng.random() < 0.05 else "negative") for s in samples], batch_size=5000)
        counts["rapid_tests"] += len(samples)
        complaints = []
        for _n in range(1500):
            tid = rng.choice(townships)
            received = datetime.datetime.combine(day(), datetime.time(10), tzinfo=tz)
            closed = received + datetime.timedelta(days=rng.randint(5, 70))
            complaints.append(Complaint(
                tracking_code="".join(rng.choice(string.ascii_uppercase + string.digits) for _c in range(10)),
                kind="complaint", category="residue", description="压测", grid_id=tid, township_id=tid,
                state=State.CLOSED, submitted_at=received, accepted_at=received + datetime.timedelta(days=1),
                accept_due=(received + datetime.timedelta(days=5)).date(), closed_at=closed,
                closed_on_time=closed - received <= datetime.timedelta(days=60),
                rating=rng.randint(1, 5) if rng.random() < 0.7 else None, rated_at=closed))
        Complaint.objects.bulk_create(complaints, batch_size=5000, ignore_conflicts=True)
        Complaint.objects.counties_fill()
        counts["complaints"] += len(complaints)
        StationQuota.objects.bulk_create([StationQuota(township_id=t, year=year, quota=500) for t in townships],
                                         ignore_conflicts=True)
        for t in townships:
            session = TrainingSession.objects.create(grid_id=t, held_on=datetime.date(year, 6, 1), topic="压测",
                                                     trainer="压测", place="压测", created_by=boss)
            Attendance.objects.bulk_create([Attendance(session=session, person_id=p, status="present")
                                            for p in rng.sample(people, min(20, len(people)))])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts["fill_s"] = round((timezone.now() - t0).total_seconds(), 1)
    counts["producers"] = len(producers)
    return counts


def _median(func, runs=RUNS) -> tuple[float, int]:
    import statistics
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _n in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
        queries = len(captured)
    return statistics.median(times) * 1000, queries


def measure() -> dict:
    _setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from disclosure.models import Grid
    from gridwork.services.assessment import scheme_open, scores_compute
    from gridwork.services.assessment_figures import assessment_figures
    from gridwork.services.results import results_for

    if connection.vendor != "postgresql":
        raise SystemExit("bench_assessment needs PostgreSQL (DATABASE_URL=postgres://…)")
    settings.STAFF_SECOND_FACTOR_ENFORCED = False
    settings.ALLOWED_HOSTS = ["*"]
    this_year = timezone.localdate().year
    old = this_year - 5
    out = {}
    with transaction.atomic():
        out["data"] = _fill(this_year)
        user = get_user_model().objects.filter(is_superuser=True).first()
        townships = list(Grid.objects.townships().in_order())
        scheme = scheme_open(year=this_year, user=user)
        old_scheme = scheme_open(year=old, user=user)
        out["figures"] = _median(lambda: assessment_figures(year=this_year, townships=townships))
        out["figures_old"] = _median(lambda: assessment_figures(year=old, townships=townships))
        out["compute"] = _median(lambda: scores_compute(scheme=scheme, user=user))
        scores_compute(scheme=old_scheme, user=user)
        out["results"] = _median(lambda: results_for(year=this_year))
        client = Client()
        client.force_login(user)
        township = townships[0].pk

        def get(path):
            cache.clear()
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        out["ranking"] = _median(lambda: get(f"/admin/gridwork/assessment/?year={this_year}"))
        out["card"] = _median(lambda: get(f"/admin/gridwork/assessment/{this_year}/{township}/"))
        anonymous = Client()

        def public(path):
            cache.clear()
            assert anonymous.get(path).status_code == 200

        out["page"] = _median(lambda: public(f"/results/?year={this_year}"))
        out["api"] = _median(lambda: public(f"/api/v1/results/?year={old}"))
        transaction.set_rollback(True)
    return out


def _url(ctx) -> str | None:
    url = (os.environ.get("BENCH_ASSESSMENT_DATABASE_URL") or os.environ.get("BENCH_PG_DATABASE_URL")
           or ctx.env.get("DATABASE_URL", ""))
    return url if url.startswith(("postgres://", "postgresql://")) else None


def report(result: dict, say) -> None:
    d = result["data"]
    say(f"  ten years on PostgreSQL: {d['inspections']:,} inspections, {d['rapid_tests']:,} rapid tests, "
        f"{d['complaints']:,} complaints, {d['producers']:,} producers (filled in {d['fill_s']} s)")
    labels = [("figures", "every indicator of this year, 10 townships (assessment_figures)"),
              ("figures_old", "the same for a year five years back"),
              ("compute", "computing and storing this year's scores (scores_compute)"),
              ("results", "the public figures of this year (results_for)"),
              ("ranking", "ranking page /admin/gridwork/assessment/"), ("card", "a township's score card"),
              ("page", "/results/ without its caches"), ("api", "/api/v1/results/ without its caches")]
    for key, label in labels:
        ms, queries = result[key]
        say(f"    {label}: median {ms:.0f} ms, {queries} queries")


def run(ctx) -> None:
    url = _url(ctx)
    if url is None:
        ctx.print("  assessment with ten years of records: skipped (set BENCH_PG_DATABASE_URL to PostgreSQL)")
        return
    env = dict(ctx.env, DATABASE_URL=url)
    for args in (["migrate", "--noinput", "-v0"], ["createcachetable"]):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    done = subprocess.run([sys.executable, __file__, "--json"], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"bench_assessment failed:\n{done.stderr[-3000:]}")
    report(json.loads(done.stdout.strip().splitlines()[-1]), ctx.print)


if __name__ == "__main__":
    result = measure()
    if "--json" in sys.argv:
        print(json.dumps(result))
    else:
        report(result, print)
