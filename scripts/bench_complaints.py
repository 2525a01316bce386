"""Complaints: concurrent submissions through the real form, and the triage queue with 100,000 complaints.

Run by scripts/bench.py (`make bench`) as `run(ctx)`, or alone: `.venv/bin/python scripts/bench_complaints.py`.

Always on PostgreSQL on 127.0.0.1, in a database of its own (`bench_complaints`, dropped and created
afresh each run) so that 100,000 rows never land in anyone else's data. The server is taken from
BENCH_COMPLAINTS_DATABASE_URL, else from the bench's DATABASE_URL when that is PostgreSQL, else
postgres://postgres@127.0.0.1:5432. A gunicorn of its own serves it, with production settings except for
the per-address limits and the minimum fill time (every client comes from 127.0.0.1 and fills the form in
milliseconds; both guards are tested elsewhere).

Prints:
1. submissions: CLIENTS concurrent clients for SECONDS seconds, each loop = GET /complaints/new/ then POST
   it (one in four with a photo). Success answers (302 to the receipt), rows created, distinct tracking
   codes — the three must be equal — and median/95th-percentile latency of the POST.
2. triage queue: 100,000 complaints made with bulk_create (a realistic mix of states, grids and ages), then
   the median time, in process, of the first page (25 rows) of `visible_to(user).awaiting_triage()
   .by_deadline().for_list()` for a township supervisor and for the city, and of `open().by_deadline()`,
   `overdue()` and `counts_by_state()` — the querysets the back office's queue is built on.
"""

import io
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
SECONDS = int(os.environ.get("BENCH_COMPLAINT_SECONDS", os.environ.get("BENCH_SECONDS", "10")))
CLIENTS = int(os.environ.get("BENCH_COMPLAINT_CLIENTS", "16"))
ROWS = int(os.environ.get("BENCH_COMPLAINT_ROWS", "100000"))
DB_NAME = "bench_complaints"

SETTINGS = '''"""Settings for the complaints benchmark's own gunicorn (written by scripts/bench_complaints.py)."""
from portal.settings.production import *  # noqa: F403

COMPLAINTS_RATE_LIMITS = {"submit": (10**9, 3600), "submit_attempt": (10**9, 600), "track": (10**9, 600),
                          "producer_lookup": (10**9, 600)}
COMPLAINTS_MIN_FILL_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
'''


def _server_url(env: dict) -> str:
    explicit = os.environ.get("BENCH_COMPLAINTS_DATABASE_URL")
    if explicit:
        return explicit.rsplit("/", 1)[0]
    url = env.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url.rsplit("/", 1)[0]
    return "postgres://postgres@127.0.0.1:5432"


def _fresh_database(server: str) -> str:
    import psycopg

    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    return f"{server}/{DB_NAME}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(base_env: dict, database_url: str) -> dict:
    settings_dir = VAR / "complaints_settings"
    settings_dir.mkdir(parents=True, exist_ok=True)
    (settings_dir / "bench_complaints_settings.py").write_text(SETTINGS, encoding="utf-8")
    env = dict(base_env)
    env.update({"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench_complaints_settings",
                "PYTHONPATH": os.pathsep.join([str(settings_dir), str(ROOT)]),
                "PRIVATE_MEDIA_ROOT": str(VAR / "complaints_private"), "LOG_LEVEL": "WARNING"})
    env.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("SECURE_SSL_REDIRECT", "false")
    return env


def _manage(env: dict, *args: str) -> str:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1024, 768), (90, 140, 60)).save(out, format="JPEG", quality=85)
    return out.getvalue()


def _multipart(fields: dict, files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = "----bench" + os.urandom(8).hex()
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, data in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: image/jpeg\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Client(threading.Thread):
    """One citizen after another: open the form, send it, note the answer."""

    def __init__(self, port: int, deadline: float, number: int, photo: bytes, village_ids: list[str]):
        super().__init__(daemon=True)
        self.port, self.deadline, self.number, self.photo, self.villages = port, deadline, number, photo, village_ids
        self.ok = self.failed = 0
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}

    def _request(self, conn, method, path, body=None, headers=None):
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()

    def run(self):
        conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
        n = 0
        while time.monotonic() < self.deadline:
            n += 1
            try:
                response, page = self._request(conn, "GET", "/complaints/new/")
                cookies = "; ".join(c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or [])
                html = page.decode()
                csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
                token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
                fields = {"csrfmiddlewaretoken": csrf, "form_token": token, "kind": "report",
                          "category": "banned_pesticide", "place_village": self.villages[n % len(self.villages)],
                          "description": f"压测第{self.number}-{n}件：看到有人在大棚喷洒禁用农药。",
                          "reporter_phone": "13912345678", "consent": "on", "website": ""}
                files = [("photos", "photo.jpg", self.photo)] if n % 4 == 0 else []
                body, content_type = _multipart(fields, files)
                started = time.perf_counter()
                response, _body = self._request(conn, "POST", "/complaints/new/", body,
                                                {"Content-Type": content_type, "Cookie": cookies})
                elapsed = time.perf_counter() - started
                if response.status == 302 and "/complaints/receipt/" in (response.getheader("Location") or ""):
                    self.ok += 1
                    self.latencies.append(elapsed)
                else:
                    self.failed += 1
                    self.errors[str(response.status)] = self.errors.get(str(response.status), 0) + 1
            except Exception as exc:  # noqa: BLE001 - count and go on
                self.failed += 1
                self.errors[type(exc).__name__] = self.errors.get(type(exc).__name__, 0) + 1
                conn.close()
                conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.close()


SETUP = r"""
import django
django.setup()
from disclosure.services.grids import places_load
from disclosure.models import Grid
places_load()
print(",".join(str(pk) for pk in Grid.objects.villages().values_list("pk", flat=True)))
"""

COUNT = r"""
import django, json
django.setup()
from django.db import connection
with connection.cursor() as cur:
    cur.execute("SELECT count(*), count(DISTINCT tracking_code) FROM complaints_complaint")
    rows, distinct = cur.fetchone()
    cur.execute("SELECT count(*) FROM complaints_attachment")
    photos = cur.fetchone()[0]
print(json.dumps({"rows": rows, "distinct": distinct, "photos": photos}))
"""

TRIAGE = r"""
import datetime, json, random, secrets, statistics, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from complaints.models import IN_HAND_STATES, TRACKING_ALPHABET, Complaint, State
from complaints.services import complaint_permissions_grant
from complaints.services.routing import township_of
from disclosure.models import Grid, Person, Role
from disclosure.services.grids import role_assign

ROWS = int(sys.argv[1])
rng = random.Random(7)
for name in ("city_supervisor", "township_supervisor", "village_coordinator"):
    Group.objects.get_or_create(name=name)
complaint_permissions_grant()
users = get_user_model().objects
township = Grid.objects.get(code="652301101")
city = Grid.objects.city()
def staff(username, grid, role, group):
    user = users.create_user(username, password=secrets.token_urlsafe(12), is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    person = Person.objects.create(name=username, phone="0994-0000001", user=user)
    role_assign(person=person, grid=grid, role=role, start_date=datetime.date(2025, 1, 1))
    return users.get(pk=user.pk)
township_user = staff("bench_township", township, Role.SUPERVISOR, "township_supervisor")
city_user = staff("bench_city", city, Role.SUPERVISOR, "city_supervisor")
villages = list(Grid.objects.villages().select_related("parent"))
mix = ([State.SUBMITTED] * 15 + [State.ACCEPTED] * 5 + [State.ASSIGNED] * 10 + [State.INVESTIGATING] * 15
       + [State.RECTIFYING] * 5 + [State.REPLY_DRAFTED] * 3 + [State.CLOSED] * 40 + [State.NOT_ACCEPTED] * 4
       + [State.TRANSFERRED] * 3)
today = timezone.localdate()
now = timezone.now()
codes = set()
started = time.perf_counter()
batch = []
for i in range(ROWS):
    code = "".join(rng.choice(TRACKING_ALPHABET) for _ in range(12))
    while code in codes:
        code = "".join(rng.choice(TRACKING_ALPHABET) for _ in range(12))
    codes.add(code)
    village = rng.choice(villages)
    state = rng.choice(mix)
    age = rng.randint(0, 720)
    submitted = now - datetime.timedelta(days=age, minutes=rng.randint(0, 1440))
    accepted = state not in (State.SUBMITTED, State.NOT_ACCEPTED, State.TRANSFERRED)
    start = submitted.date() + datetime.timedelta(days=3)
    batch.append(Complaint(
        tracking_code=code, kind=rng.choice(["complaint", "report"]), category=rng.choice(
            ["banned_pesticide", "vet_drug", "residue", "certificate", "other"]),
        description="压测数据", grid=village, township=village.parent, place_village=village,
        place_township=village.parent, state=state, submitted_at=submitted,
        accept_due=submitted.date() + datetime.timedelta(days=9), clock_started_on=start if accepted else None,
        finish_due=start + datetime.timedelta(days=60) if accepted else None,
        due_on=(submitted.date() + datetime.timedelta(days=9) if state == State.SUBMITTED
                else start + datetime.timedelta(days=60) if state in IN_HAND_STATES else None),
        closed_at=submitted + datetime.timedelta(days=30) if state == State.CLOSED else None))
    if len(batch) == 5000:
        Complaint.objects.bulk_create(batch)
        batch = []
if batch:
    Complaint.objects.bulk_create(batch)
Complaint.objects.counties_fill()
made = time.perf_counter() - started
with connection.cursor() as cur:
    cur.execute("ANALYZE complaints_complaint")

def median_ms(make, runs=41):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = make()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result

measures = {}
for label, user in (("township", township_user), ("city", city_user)):
    qs = lambda: Complaint.objects.visible_to(user)
    with CaptureQueriesContext(connection) as q:
        page = list(qs().awaiting_triage().by_deadline().for_list()[:25])
    measures[f"{label}: awaiting_triage first page"] = median_ms(
        lambda: list(qs().awaiting_triage().by_deadline().for_list()[:25]))[0]
    measures[f"{label}: open() by deadline first page"] = median_ms(
        lambda: list(qs().open().by_deadline().for_list()[:25]))[0]
    measures[f"{label}: overdue() first page"] = median_ms(
        lambda: list(qs().overdue().by_deadline().for_list()[:25]))[0]
    measures[f"{label}: counts_by_state()"] = median_ms(lambda: qs().counts_by_state())[0]
    measures[f"{label}: queries for one page"] = len(q.captured_queries)
    measures[f"{label}: rows visible"] = qs().count()
print(json.dumps({"rows": Complaint.objects.count(), "bulk_create_s": made, **measures}))
"""


def _python(env: dict, code: str, *args: str) -> str:
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout.strip().splitlines()[-1]


def run(ctx) -> None:
    server = _server_url(ctx.env)
    try:
        database_url = _fresh_database(server)
    except Exception as exc:  # noqa: BLE001 - say why and go on with the other benches
        ctx.print(f"  skipped: no PostgreSQL at {server.split('@')[-1]} ({exc.__class__.__name__}: {exc})")
        return
    env = _env(ctx.env, database_url)
    ctx.print(f"  database: {database_url.split('@')[-1]} (fresh), gunicorn of its own, production settings "
              "except per-address limits and minimum fill time")
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "createcachetable")
    villages = _python(env, SETUP).split(",")
    workers = int(os.environ.get("BENCH_WORKERS", str(max(2, os.cpu_count() or 2))))
    port = _free_port()
    server_proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "portal.wsgi", "-b", f"127.0.0.1:{port}", "-w",
         str(workers), "--access-logfile", "/dev/null", "--error-logfile", str(VAR / "complaints_gunicorn.log")],
        cwd=ROOT, env=env, start_new_session=True)
    try:
        for _ in range(100):
            try:
                conn = HTTPConnection("127.0.0.1", port, timeout=1)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        photo = _photo()
        deadline = time.monotonic() + SECONDS
        clients = [Client(port, deadline, n, photo, villages) for n in range(CLIENTS)]
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=SECONDS + 60)
    finally:
        os.killpg(server_proc.pid, signal.SIGTERM)
        server_proc.wait(timeout=20)
    ok = sum(c.ok for c in clients)
    failed = sum(c.failed for c in clients)
    latencies = sorted(x for c in clients for x in c.latencies)
    errors: dict[str, int] = {}
    for c in clients:
        for k, v in c.errors.items():
            errors[k] = errors.get(k, 0) + v
    counted = json.loads(_python(env, COUNT))
    median = statistics.median(latencies) * 1000 if latencies else 0
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0
    ctx.print(f"  submissions: {CLIENTS} clients × {SECONDS} s, gunicorn {workers} workers, 1 in 4 with a photo")
    ctx.print(f"    accepted (302 → receipt) {ok:>6}   failed answers {failed} {errors or ''}")
    ctx.print(f"    rows created             {counted['rows']:>6}   distinct tracking codes {counted['distinct']}   "
              f"photos stored {counted['photos']}")
    ctx.print(f"    throughput {ok / SECONDS:.1f} complaints/s   POST median {median:.1f} ms   p95 {p95:.1f} ms")
    consistent = ok == counted["rows"] == counted["distinct"]
    ctx.print(f"    rows = success answers = distinct codes: {'yes' if consistent else 'NO — CHECK'}")
    result = json.loads(_python(env, TRIAGE, str(ROWS)))
    ctx.print(f"  triage queue with {result.pop('rows'):,} complaints (bulk_create in {result.pop('bulk_create_s'):.1f} s),"
              " median of 41 runs, in process:")
    for label, value in result.items():
        unit = " ms" if isinstance(value, float) else ""
        shown = f"{value:.2f}" if isinstance(value, float) else f"{value:,}"
        ctx.print(f"    {label:<44} {shown}{unit}")


def main() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    import bench

    ctx = bench.Context(base_url="", env=bench.prepare_env())
    ctx.print(f"== bench_complaints · {time.strftime('%Y-%m-%d %H:%M')} · {os.cpu_count()} CPUs")
    run(ctx)


if __name__ == "__main__":
    main()

