"""Several servers behind a front cache (`BENCH_ONLY=cluster make bench`; docs/benchmarks.md).

On 127.0.0.1: PostgreSQL (a database of its own, created afresh, the demo data), a Redis of its own as the
cache and session store, two application servers (gunicorn with deploy/gunicorn.conf.py and production
settings), the task worker, and Debian's Varnish in front with deploy/varnish/portal.vcl. wrk measures a
producer's page `/p/<CODE>/` through the cache beside a static file through the same cache; during the
page's run a staff process changes the producer's grade through the real service (rating_set) once a
second, and a poller reads the page through the cache until each new grade shows. Before measuring, a few
checks of what the cache must and must not do. Every process started here is stopped at the end.
"""

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
GUNICORN = str(Path(PY).parent / "gunicorn")
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = "bench_cluster"
HOST = "nc.example.cn"
CHANGE_EVERY = 1.0  # seconds between two grade changes
VISIBLE_WITHIN = 5.0  # the target: each change visible through the cache within this many seconds
RATIO_TARGET = 0.90
ROUNDS = int(os.environ.get("BENCH_CLUSTER_ROUNDS", "3"))  # static and page measured turn about, medians compared


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url: str, seconds: int = SECONDS) -> dict:
    """wrk on one URL, as a phone asks (gzip), bounded in time."""
    args = ["wrk", f"-t{min(2, CONNECTIONS)}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency",
            "-H", "Accept-Encoding: gzip", "-H", "X-Forwarded-Proto: https", "-H", f"Host: {HOST}", url]
    out = subprocess.run(args, capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
            "p99": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
            "errors": errors}


def fetch(url: str, cookie: str = "", method: str = "GET", source: str | None = None) -> tuple[int, dict, str]:
    """One request (from `source`, a local address, when given); status, headers, body."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10,
                                            source_address=(source, 0) if source else None)
    headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = cookie
    connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers)
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


class Cluster:
    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
        self.processes: list[subprocess.Popen] = []
        self.app_ports = [free_port(), free_port()]
        self.varnish_port = free_port()
        self.redis_port = free_port()
        self.cache_url = f"http://127.0.0.1:{self.varnish_port}"
        self.env = dict(os.environ)
        self.env.update({
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": "bench-cluster-" + "k" * 40,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "FRONTEND_CACHE_PURGE_URLS": self.cache_url,
            "ALLOWED_HOSTS": f"{HOST},127.0.0.1,localhost",
            "PORTAL_BASE_URL": f"https://{HOST}",
            "SECURE_SSL_REDIRECT": "false",
            "PROXY_COUNT": "1",  # Varnish appends the client's address
            "MEDIA_ROOT": str(self.folder / "media"),
            "PRIVATE_MEDIA_ROOT": str(self.folder / "private"),
            "EMAIL_HOST": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "GUNICORN_WORKERS": os.environ.get("BENCH_CLUSTER_WORKERS", "2"),
        })

    def start(self, args: list[str], name: str, **kwargs) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "w")  # noqa: SIM115 - kept open for the process
        process = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True, **kwargs)
        self.processes.append(process)
        return process

    def manage(self, *args: str) -> str:
        return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def database_afresh(self) -> None:
        for sql in (f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)", f"CREATE DATABASE {DB_NAME}"):
            subprocess.run(["psql", PG_ADMIN, "-q", "-c", sql], check=True, capture_output=True)

    def up(self) -> None:
        subprocess.run([str(ROOT / "scripts" / "ensure_debs.sh"), "varnish", "wrk", "redis-server"], check=True)
        self.start(["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--dir", str(self.folder)], "redis")
        self.database_afresh()
        self.manage("migrate", "--noinput", "-v0")
        self.manage("load_demo")
        self.manage("collectstatic", "--noinput", "-v0")
        for port in self.app_ports:
            self.start([GUNICORN, "portal.wsgi", "-c", "deploy/gunicorn.conf.py", "-b", f"127.0.0.1:{port}",
                        "--error-logfile", str(self.folder / f"gunicorn-{port}.log")], f"app-{port}")
        self.start([PY, "manage.py", "db_worker", "--queue-name", "*", "--no-reload", "-v0"], "worker")
        vcl = (ROOT / "deploy" / "varnish" / "portal.vcl").read_text()
        vcl = vcl.replace('.port = "8001"', f'.port = "{self.app_ports[0]}"')
        vcl = vcl.replace('.port = "8002"', f'.port = "{self.app_ports[1]}"')
        vcl = vcl.replace('.port = "9000"', f'.port = "{free_port()}"')  # no object storage in this run
        (self.folder / "portal.vcl").write_text(vcl)
        self.start(["varnishd", "-F", "-j", "none", "-n", str(self.folder / "varnish"), "-a",
                    f"127.0.0.1:{self.varnish_port}", "-T", "none", "-f", str(self.folder / "portal.vcl"),
                    "-s", "malloc,256m"], "varnish")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if fetch(self.cache_url + "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"the cluster did not come up; logs in {self.folder}")

    def down(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        subprocess.run(["psql", PG_ADMIN, "-q", "-c", f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)"],
                       capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


STAFF = """
import datetime, json, sys, time
from django.utils import timezone
from disclosure.models import Producer
from disclosure.services.producers import rating_set
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.cached_db import SessionStore

producer = Producer.objects.published().order_by("code").first()
command = sys.argv[1] if len(sys.argv) > 1 else ""
if command == "code":
    print(json.dumps({"code": producer.code}))
elif command == "session":
    user = get_user_model().objects.filter(is_superuser=True).first()
    session = SessionStore()
    session.update({"_auth_user_id": str(user.pk), "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                    "_auth_user_hash": user.get_session_auth_hash()})
    session.create()
    print(json.dumps({"session": session.session_key}))
elif command == "change":
    import os
    every, stop = float(sys.argv[2]), sys.argv[3]
    user = get_user_model().objects.filter(is_superuser=True).first()
    i = 0
    while not os.path.exists(stop):
        i += 1
        started = time.monotonic()
        marker = f"bench-grade-change-{time.time_ns()}"
        rating_set(producer=producer, grade="A" if i % 2 else "B", effective_date=timezone.localdate(),
                   basis=marker, set_by=user)
        print(json.dumps({"marker": marker, "committed": time.time()}), flush=True)
        time.sleep(max(0.0, every - (time.monotonic() - started)))
"""


def staff(cluster: Cluster, *args: str, **kwargs):
    return subprocess.Popen([PY, "manage.py", "shell", "-v", "0", "-c", f"import sys; sys.argv = ['x', *{list(args)!r}]\n"
                             + STAFF], cwd=ROOT, env=cluster.env, stdout=subprocess.PIPE, text=True, **kwargs)


def staff_once(cluster: Cluster, *args: str) -> dict:
    out, _err = staff(cluster, *args).communicate(timeout=120)
    return json.loads([line for line in out.splitlines() if line.startswith("{")][-1])


def checks(cluster: Cluster, ctx, code: str) -> None:
    """What the cache must and must not do, seen from outside."""
    url = cluster.cache_url
    results = []

    def check(what: str, ok: bool) -> None:
        results.append(ok)
        ctx.print(f"    {'ok  ' if ok else 'FAIL'} {what}")

    fetch(f"{url}/p/{code}/")
    check("a repeat of /p/<CODE>/ comes from the cache", fetch(f"{url}/p/{code}/")[1].get("x-cache") == "HIT")
    check("the scan form /P/<CODE>/?s=1 is kept too", [fetch(f"{url}/P/{code}/?s=1")[1].get("x-cache")
                                                       for _ in range(2)] == ["MISS", "HIT"])
    _s, en, body_en = fetch(f"{url}/p/{code}/", cookie="lang=en")
    check("English readers get the English page", en.get("content-language") == "en" and "Credit" in body_en)
    _s, ug, _b = fetch(f"{url}/p/{code}/", cookie="csrftoken=abc; lang=ug")
    check("Uyghur readers get the Uyghur page", ug.get("content-language") == "ug")
    _s, other, _b = fetch(f"{url}/p/{code}/", cookie="csrftoken=xyz; lang=en; _ga=1")
    check("other cookies do not split the cache (csrftoken, trackers)", other.get("x-cache") == "HIT")
    session = staff_once(cluster, "session")["session"]
    _s, mine, staff_home = fetch(f"{url}/", cookie=f"sessionid={session}")
    _s, public, public_home = fetch(f"{url}/")
    check("a signed-in page is never stored nor served to the public",
          "wagtail-userbar" in staff_home and "wagtail-userbar" not in public_home and mine.get("x-cache") == "MISS")
    check("the back office is never cached", [fetch(f"{url}/admin/login/")[1].get("x-cache")
                                              for _ in range(2)] == ["MISS", "MISS"])
    check("a PURGE from another address is refused", fetch(f"{url}/p/{code}/", method="PURGE",
                                                            source="127.0.0.2")[0] == 405)
    fetch(f"{url}/p/{code}/", method="PURGE")
    check("a PURGE from this machine drops every spelling and query", [
        fetch(f"{url}{path}")[1].get("x-cache") for path in (f"/p/{code}/", f"/P/{code}/?s=1")] == ["MISS", "MISS"])
    if not all(results):
        ctx.print("    !!! some checks failed")


def poll_changes(cluster: Cluster, code: str, changes: subprocess.Popen, delays: list, missed: list) -> None:
    """For each committed change, read the page through the cache until it shows the change."""
    for line in changes.stdout:
        if not line.startswith("{"):
            continue
        event = json.loads(line)
        deadline = event["committed"] + 2 * VISIBLE_WITHIN
        while True:
            _status, _headers, body = fetch(f"{cluster.cache_url}/P/{code}/")
            now = time.time()
            if event["marker"] in body:
                delays.append(now - event["committed"])
                break
            if now > deadline:
                missed.append(event["marker"])
                break
            time.sleep(0.01)


def run(ctx) -> None:
    if not shutil.which("psql"):
        ctx.print("  skipped: psql not found")
        return
    cluster = Cluster()
    try:
        cluster.up()
        code = staff_once(cluster, "code")["code"]
        page = f"{cluster.cache_url}/P/{code}/"
        css = re.search(r'href="(/static/css/portal\.[^"]+\.css)"', fetch(page)[2]).group(1)
        static = f"{cluster.cache_url}{css}"
        ctx.print(f"  two application servers × {cluster.env['GUNICORN_WORKERS']} gunicorn workers, Varnish "
                  f"{subprocess.run(['varnishd', '-V'], capture_output=True, text=True).stderr.split()[1].strip('(').split('-')[-1]}, "
                  f"Redis, PostgreSQL; wrk {CONNECTIONS} connections × {SECONDS} s, gzip")
        ctx.print("  checks through the cache")
        checks(cluster, ctx, code)
        for url in (page, static):
            fetch(url)
        sizes = {name: len(urllib.request.urlopen(urllib.request.Request(  # noqa: S310 - 127.0.0.1
            url, headers={"Accept-Encoding": "gzip", "Host": HOST})).read()) for name, url in
            (("page", page), ("static", static))}
        wrk(static, seconds=2)  # warm up: connections, Varnish's threads
        wrk(page, seconds=2)
        row = "    {:<48} {:>8.0f} req/s  median {:>5.2f} ms  p99 {:>6.2f} ms  errors={}"
        ctx.print(f"  static file {css.rsplit('/', 1)[-1]} ({sizes['static']:,} bytes gzipped), "
                  f"producer page ({sizes['page']:,} bytes gzipped)")
        quiet = wrk(page)
        ctx.print(row.format("/P/<CODE>/ through the cache, no changes", quiet["rps"], quiet["p50"], quiet["p99"],
                             quiet["errors"]))
        delays, missed = [], []
        stop = cluster.folder / "stop-changing"
        changes = staff(cluster, "change", str(CHANGE_EVERY), str(stop))
        poller = threading.Thread(target=poll_changes, args=(cluster, code, changes, delays, missed))
        poller.start()
        time.sleep(2)  # the staff process's Django start
        statics, pages = [], []
        for number in range(1, ROUNDS + 1):
            statics.append(wrk(static))
            ctx.print(row.format(f"static file through the cache, round {number}", *statics[-1].values()))
            pages.append(wrk(page))
            ctx.print(row.format(f"/P/<CODE>/ while its grade changes, round {number}", *pages[-1].values()))
        stop.touch()
        changes.wait(timeout=60)
        poller.join(timeout=60)
        static_rps = statistics.median(r["rps"] for r in statics)
        page_rps = statistics.median(r["rps"] for r in pages)
        ratio = page_rps / static_rps
        ctx.print(f"    medians of {ROUNDS} rounds: page {page_rps:.0f} req/s, static {static_rps:.0f} req/s; ratio "
                  f"{ratio:.2f} (target ≥ {RATIO_TARGET:.2f}: {'met' if ratio >= RATIO_TARGET else 'NOT met'}); "
                  f"without changes {quiet['rps'] / static_rps:.2f}")
        if delays:
            met = max(delays) <= VISIBLE_WITHIN and not missed
            ctx.print(f"    {len(delays)} grade changes, visible through the cache after: median "
                      f"{statistics.median(delays) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms "
                      f"(target ≤ {VISIBLE_WITHIN:.0f} s: {'met' if met else 'NOT met'})")
        if missed:
            ctx.print(f"    !!! {len(missed)} changes not seen within {2 * VISIBLE_WITHIN:.0f} s")
    finally:
        cluster.down()
