#!/usr/bin/env python
"""`make bench`: measure the portal under gunicorn on 127.0.0.1 with production-like settings.

One run prints, for each measured page, requests per second and median latency next to a trivial view
of the same app (/healthz) — their ratio is what the page costs beyond the framework — and then every
area's own measurements (scripts/bench_<area>.py, each with a `run(ctx)` function).

Load comes from wrk (Debian package), bounded in time (BENCH_SECONDS, default 8 s per URL).
BENCH_ONLY=pages,grids (say) runs only those sections: `pages` is the CMS pages, the others are the
bench_<area>.py scripts. `region` (region-size data, a quarter of an hour to generate) runs only when named.
"""

import importlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PY = sys.executable
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(max(2, (os.cpu_count() or 2)))))
ONLY = {name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()}
NAMED_ONLY = {"region"}  # long: runs only when BENCH_ONLY names it


def wanted(section: str) -> bool:
    return section in ONLY if section in NAMED_ONLY else not ONLY or section in ONLY


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Load:
    path: str
    rps: float
    median_ms: float
    errors: int = 0

    def row(self) -> str:
        return f"{self.path:<42} {self.rps:>9.0f} req/s {self.median_ms:>8.2f} ms median  errors={self.errors}"


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


@dataclass
class Context:
    base_url: str
    env: dict
    results: list[str] = field(default_factory=list)

    def run_load(self, path: str, seconds: int = SECONDS, connections: int = CONNECTIONS,
                 headers: dict | None = None) -> Load:
        """Hit base_url+path with wrk for `seconds` and return throughput and median latency."""
        wrk = shutil.which("wrk")
        if not wrk:
            raise SystemExit("wrk is not installed: apt-get install -y wrk (make bench does this as root)")
        args = [wrk, f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency",
                "-H", "X-Forwarded-Proto: https"]
        for key, value in (headers or {}).items():
            args += ["-H", f"{key}: {value}"]
        out = subprocess.run([*args, self.base_url + path], capture_output=True, text=True, check=True).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        median = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
        errors = 0
        m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        if m:
            errors += int(m.group(1))
        m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
        if m:
            errors += sum(int(x) for x in m.groups())
        return Load(path, rps, median, errors)

    def compare(self, path: str, label: str | None = None) -> None:
        """Measure `path` and the trivial view back to back and print both with their ratio."""
        page = self.run_load(path)
        base = self.run_load("/healthz")
        self.print(f"  {label or path}")
        self.print(f"    page     {page.row()}")
        self.print(f"    trivial  {base.row()}")
        self.print(f"    ratio    page/trivial throughput = {page.rps / base.rps:.2f}, "
                   f"median latency ×{page.median_ms / max(base.median_ms, 0.001):.1f}")

    def print(self, line: str = "") -> None:
        print(line, flush=True)
        self.results.append(line)

    def manage(self, *args: str) -> str:
        return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                              capture_output=True, text=True).stdout


def prepare_env() -> dict:
    VAR.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{VAR / 'bench.sqlite3'}"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORTAL_BASE_URL": "https://nc.example.cn",
        "SECURE_SSL_REDIRECT": "false",
        "MEDIA_ROOT": str(VAR / "media"),
        "PRIVATE_MEDIA_ROOT": str(VAR / "private"),
        "LOG_LEVEL": "WARNING",
        # Production settings insist on an SMTP server; nothing in the bench sends mail.
        "EMAIL_HOST": os.environ.get("EMAIL_HOST", "127.0.0.1"),
    })
    return env


def main() -> None:
    env = prepare_env()
    ctx = Context(base_url="", env=env)
    ctx.print(f"== make bench · {time.strftime('%Y-%m-%d %H:%M')} · {os.cpu_count()} CPUs · "
              f"gunicorn {WORKERS} workers · wrk {CONNECTIONS} connections × {SECONDS} s per URL")
    ctx.print(f"   database: {env['DATABASE_URL'].split('@')[-1]}")
    ctx.manage("migrate", "--noinput", "-v0")
    ctx.manage("createcachetable")
    ctx.manage("load_demo")
    ctx.manage("collectstatic", "--noinput", "-v0")
    port = free_port()
    ctx.base_url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(WORKERS),
         "--access-logfile", "/dev/null", "--error-logfile", str(VAR / "gunicorn.log")],
        cwd=ROOT, env=env, start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(ctx.base_url + "/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        if wanted("pages"):
            ctx.print("\n-- CMS pages beside the trivial view (/healthz)")
            ctx.compare("/", "home page /")
            ctx.compare("/news/", "news index /news/")
            etag = urllib.request.urlopen(ctx.base_url + "/").headers["ETag"]  # noqa: S310
            load = ctx.run_load("/", headers={"If-None-Match": etag})
            ctx.print(f"  home page repeat with If-None-Match (304)\n    page     {load.row()}")
        for module in sorted(Path(__file__).parent.glob("bench_*.py")):
            if not wanted(module.stem.removeprefix("bench_")):
                continue
            mod = importlib.import_module(module.stem)
            ctx.print(f"\n-- {module.stem}")
            mod.run(ctx)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    (VAR / "last_run.txt").write_text("\n".join(ctx.results) + "\n", encoding="utf-8")
    print(f"\n(saved to {VAR / 'last_run.txt'})")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
