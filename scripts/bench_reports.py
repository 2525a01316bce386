"""Monthly reports upward (gridwork): a month's figures for every township with ten years of records on
PostgreSQL.

Run by scripts/bench.py (`make bench`, or BENCH_ONLY=reports) with `run(ctx)`, on BENCH_PG_DATABASE_URL or
BENCH_DATABASE_URL when that is PostgreSQL (skipped otherwise). Inside one transaction that is rolled back
afterwards, it adds ten years of records for the ten townships — 3,000 producers inspected monthly
(360,000 inspections), 150,000 samples rapid-tested (3 % positive, half of them with a rectification),
20,000 rectifications, 2,000 referrals, 20,000 complaints and 1,200 training sessions with 60,000
attendances — analyses the tables, and prints for the latest month that has ended:
- `month_figures` for all ten townships (the city's month summary) and for one (a report's page): queries
  and median time;
- the city's month overview (`reports_month`) and the month's XLSX;
- `report_submit` (figures counted and frozen).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CODE = r"""
import datetime, json, os, statistics, sys, time, uuid
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disclosure.models import Grid, Person, Producer
from disclosure.services.grids import places_load
from inspections.models import RapidTest

YEARS = 10
today = timezone.localdate()
first = datetime.date(today.year - YEARS + 1, 1, 1)
last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
YEAR, MONTH = last_month_end.year, last_month_end.month

class Rollback(Exception):
    pass

def timed(fn, runs=7):
    times = []
    for _ in range(runs):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    with CaptureQueriesContext(connection) as q:
        fn()
    slow = sorted(q.captured_queries, key=lambda x: -float(x["time"]))
    if os.environ.get("BENCH_REPORTS_EXPLAIN"):
        with connection.cursor() as c:
            c.execute("EXPLAIN ANALYZE " + slow[0]["sql"])
            sys.stderr.write(slow[0]["sql"] + "\n" + "\n".join(r[0] for r in c.fetchall()) + "\n\n")
    return {"median_ms": statistics.median(times) * 1000, "best_ms": min(times) * 1000, "queries": len(q),
            "slowest_ms": [float(x["time"]) * 1000 for x in slow[:3]]}

result = {}
try:
    with transaction.atomic():
        if not Grid.objects.townships().exists():
            places_load()
        towns = list(Grid.objects.townships().in_order())
        villages = list(Grid.objects.villages().values_list("id", "parent_id"))
        t0 = time.perf_counter()
        Producer.objects.bulk_create([Producer(code=f"BR{i:08d}", name=f"压测主体{i}", kind="smallholder",
                                               village_id=villages[i % len(villages)][0]) for i in range(3000)],
                                     batch_size=1000)
        rapid_ct = ContentType.objects.get_for_model(RapidTest).pk
        with connection.cursor() as c:
            c.execute("CREATE TEMP TABLE bench_p AS SELECT p.id, v.parent_id AS township_id FROM disclosure_producer p "
                      "JOIN disclosure_grid v ON v.id = p.village_id WHERE p.code LIKE 'BR%'")
            c.execute("INSERT INTO inspections_inspection (producer_id, township_id, kind, inspected_on, inspector_names,"
                      " representative, other_findings, failed_items, confirmed, recorded_at, conflict_note) "
                      "SELECT p.id, p.township_id, 'routine', (d + (p.id %% 27) * interval '1 day')::date, '压测', '', '',"
                      " CASE WHEN random() < 0.05 THEN 1 ELSE 0 END, true, now(), '' FROM bench_p p, "
                      "generate_series(%s::date, %s::date, interval '1 month') d", [first, today])
            c.execute("INSERT INTO inspections_sample (number, producer_id, township_id, product, place, quantity, taken_at,"
                      " taken_by_name) SELECT 'BS' || g, p.id, p.township_id, '黄瓜', '', '', "
                      "%s::timestamptz + (g %% (%s * 365)) * interval '1 day', '压测' "
                      "FROM generate_series(1, 150000) g JOIN bench_p p ON p.id = (SELECT min(id) FROM bench_p) + g %% 3000",
                      [timezone.make_aware(datetime.datetime.combine(first, datetime.time(9))), YEARS])
            c.execute("INSERT INTO inspections_rapidtest (sample_id, method, target, result, tested_on, tested_by_name) "
                      "SELECT s.id, 'gold', '克百威', CASE WHEN s.id % 33 = 0 THEN 'positive' ELSE 'negative' END, "
                      "(s.taken_at AT TIME ZONE 'Asia/Shanghai')::date, '压测' FROM inspections_sample s "
                      "WHERE s.number LIKE 'BS%'")
            c.execute("INSERT INTO casework_rectification (producer_id, source_type_id, source_id, requirements, ordered_on,"
                      " due, state, closed_on, ordered_by_name, created_at) "
                      "SELECT s.producer_id, %s, r.id, '停止使用', r.tested_on, r.tested_on + 15, 'done', r.tested_on + 12,"
                      " '压测', now() FROM inspections_rapidtest r JOIN inspections_sample s ON s.id = r.sample_id "
                      "WHERE s.number LIKE 'BS%%' AND r.result = 'positive' AND r.id %% 2 = 0", [rapid_ct])
            c.execute("INSERT INTO casework_rectification (producer_id, requirements, ordered_on, due, state,"
                      " ordered_by_name, created_at) SELECT p.id, '建立记录', %s::date + (g %% (%s * 365))::int, "
                      "%s::date + (g %% (%s * 365))::int + 15, 'open', '压测', now() FROM generate_series(1, 20000 - "
                      "(SELECT count(*) FROM casework_rectification WHERE ordered_by_name = '压测')) g "
                      "JOIN bench_p p ON p.id = (SELECT min(id) FROM bench_p) + g %% 3000", [first, YEARS, first, YEARS])
            c.execute("INSERT INTO casework_referral (producer_id, agency, sent_on, summary, sent_by_name, created_at) "
                      "SELECT p.id, '执法大队', %s::date + (g %% (%s * 365))::int, '', '压测', now() "
                      "FROM generate_series(1, 2000) g JOIN bench_p p ON p.id = (SELECT min(id) FROM bench_p) + g %% 3000",
                      [first, YEARS])
        # Complaints: copies of one made through the real service, spread over the ten years.
        from complaints.services import complaint_submit
        template = complaint_submit(kind="report", category="banned_pesticide", description="压测投诉。",
                                    place_village=Grid.objects.villages().first(), reporter_name="压测",
                                    reporter_phone="13900000000")
        from complaints.models import Complaint
        fields = [f for f in Complaint._meta.concrete_fields if not f.primary_key]
        override = {"tracking_code": "'B' || lpad(g::text, 10, '0')", "submission_key": "NULL",
                    "township_id": f"(ARRAY{[t.pk for t in towns]})[1 + g %% 10]",
                    "submitted_at": f"%s::timestamptz + (g %% ({YEARS} * 365)) * interval '1 day'",
                    "closed_at": f"%s::timestamptz + (g %% ({YEARS} * 365) + 20) * interval '1 day'",
                    "state": "'closed'", "closed_on_time": "g %% 7 <> 0"}
        columns = [f.column for f in fields]
        exprs = [override.get(col, f"t.{col}") for col in columns]
        start = timezone.make_aware(datetime.datetime.combine(first, datetime.time(10)))
        with connection.cursor() as c:
            c.execute(f"INSERT INTO complaints_complaint ({', '.join(columns)}) SELECT {', '.join(exprs)} "
                      "FROM complaints_complaint t, generate_series(1, 20000) g WHERE t.id = %s",
                      [start, start, template.pk])
        from gridwork.models import Attendance, TrainingSession
        people = Person.objects.bulk_create([Person(name=f"压测人员{i}") for i in range(50)])
        sessions = TrainingSession.objects.bulk_create([
            TrainingSession(grid=t, held_on=datetime.date(first.year + y, m, 15), topic="压测", trainer="压测",
                            place="压测") for t in towns for y in range(YEARS) for m in range(1, 13)])
        Attendance.objects.bulk_create([Attendance(session=s, person=p, status="present")
                                        for s in sessions for p in people], batch_size=5000)
        result["setup_s"] = time.perf_counter() - t0
        with connection.cursor() as c:
            for table in ("inspections_inspection", "inspections_sample", "inspections_rapidtest",
                          "casework_rectification", "casework_referral", "complaints_complaint",
                          "gridwork_trainingsession", "gridwork_attendance"):
                c.execute(f"ANALYZE {table}")
                c.execute(f"SELECT count(*) FROM {table}")
                result.setdefault("rows", {})[table] = c.fetchone()[0]

        from gridwork.models import MonthlyReport
        from gridwork.services.month_figures import month_figures
        from gridwork.services.report_files import month_xlsx
        from gridwork.services.reports import report_draft, report_submit, reports_month
        ids = [t.pk for t in towns]
        result["all"] = timed(lambda: month_figures(year=YEAR, month=MONTH, township_ids=ids))
        result["one"] = timed(lambda: month_figures(year=YEAR, month=MONTH, township_ids=ids[:1]))
        result["overview"] = timed(lambda: reports_month(year=YEAR, month=MONTH, townships=towns))
        result["xlsx"] = timed(lambda: month_xlsx(year=YEAR, month=MONTH,
                                                  rows=reports_month(year=YEAR, month=MONTH, townships=towns)), runs=3)
        result["figures"] = month_figures(year=YEAR, month=MONTH, township_ids=ids[:1])[ids[0]]
        from gridwork.services.scope import gridwork_permissions_grant
        from django.contrib.auth.models import Group, Permission
        from disclosure.services.grids import role_assign
        group, _ = Group.objects.get_or_create(name="bench_township")
        group.permissions.add(*Permission.objects.filter(content_type__app_label="gridwork",
                                                         codename__in=["submit_monthlyreport", "view_monthlyreport"]))
        user = get_user_model().objects.create_user(f"bench_{uuid.uuid4().hex[:8]}", password=uuid.uuid4().hex)
        user.groups.add(group)
        role_assign(person=Person.objects.create(name="压测监管员", user=user), grid=towns[0], role="supervisor",
                    start_date=first)
        report = report_draft(user=user, township=towns[0], year=YEAR, month=MONTH)
        t = time.perf_counter()
        with CaptureQueriesContext(connection) as q:
            report_submit(user=user, report=report, texts={"work_done": "压测"})
        result["submit"] = {"ms": (time.perf_counter() - t) * 1000, "queries": len(q)}
        raise Rollback
except Rollback:
    pass
result["month"] = f"{YEAR}-{MONTH:02d}"
print(json.dumps(result))
"""


def _pg_url(ctx) -> str | None:
    url = os.environ.get("BENCH_PG_DATABASE_URL") or ctx.env.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def measure(env: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", CODE], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"bench_reports: the measurement failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(result: dict, out) -> None:
    rows = result["rows"]
    out(f"  monthly reports on PostgreSQL, month {result['month']}, ten years of records "
        f"(set up in {result['setup_s']:.0f} s): {rows['inspections_inspection']:,} inspections, "
        f"{rows['inspections_rapidtest']:,} rapid tests, {rows['casework_rectification']:,} rectifications, "
        f"{rows['complaints_complaint']:,} complaints, {rows['gridwork_attendance']:,} attendances")
    for key, label in (("all", "month_figures, ten townships"), ("one", "month_figures, one township"),
                       ("overview", "reports_month (city overview)"), ("xlsx", "month XLSX")):
        r = result[key]
        out(f"    {label}: {r['queries']} queries, median {r['median_ms']:.0f} ms, best {r['best_ms']:.0f} ms; "
            "slowest queries " + ", ".join(f"{t:.0f} ms" for t in r["slowest_ms"]))
    out(f"    report_submit (figures counted and frozen): {result['submit']['queries']} queries, "
        f"{result['submit']['ms']:.0f} ms")


def run(ctx) -> None:
    url = _pg_url(ctx)
    if url is None:
        ctx.print("  monthly reports with ten years of records: skipped (set BENCH_PG_DATABASE_URL to PostgreSQL)")
        return
    report(measure(dict(ctx.env, DATABASE_URL=url)), ctx.print)


if __name__ == "__main__":
    raise SystemExit("run through scripts/bench.py (make bench, BENCH_ONLY=reports)")
