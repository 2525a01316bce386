#!/usr/bin/env python
"""`make lighthouse`: Lighthouse 12 (npm) with Debian's chromium against the portal under gunicorn with
production settings, mobile emulation (Lighthouse's default). Prints each page's category scores.

Lighthouse is installed into var/lighthouse/ on first use (npm registry only; no browser download).
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import PY, ROOT, VAR, Context, free_port, prepare_env  # noqa: E402

LH_DIR = ROOT / "var" / "lighthouse"
FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
         "--disable-component-update --disable-sync --no-first-run")


def lighthouse_bin() -> Path:
    binary = LH_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        LH_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "init", "-y"], cwd=LH_DIR, check=True, capture_output=True)
        subprocess.run(["npm", "install", "--silent", "lighthouse@12"], cwd=LH_DIR, check=True)
    return binary


def main(paths: list[str]) -> None:
    env = prepare_env()
    ctx = Context(base_url="", env=env)
    ctx.manage("migrate", "--noinput", "-v0")
    ctx.manage("createcachetable")
    ctx.manage("load_demo")
    ctx.manage("collectstatic", "--noinput", "-v0")
    if not paths:
        code = ctx.manage("shell", "-c", "from disclosure.models import Producer;"
                          "print(Producer.objects.published().order_by('id').first().code)").split()[-1]
        badge = ctx.manage("shell", "-c", "from disclosure.models import Badge;"
                           "print(Badge.objects.valid().order_by('id').first().code)").split()[-1]
        paths = ["/", "/news/", "/grid/", f"/p/{code}/", "/producers/", "/substances/", "/complaints/new/",
                 f"/b/{badge}/"]
    # LIGHTHOUSE_LANG=en or ug: the same pages read by someone who chose that language (the switcher's cookie).
    language = os.environ.get("LIGHTHOUSE_LANG", "")
    headers = [f'--extra-headers={{"Cookie": "lang={language}"}}'] if language else []
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env_run = dict(env, SECURE_SSL_REDIRECT="false", SERVE_MEDIA="true")  # no proxy here to serve /media/
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2",
         "--access-logfile", "/dev/null", "--error-logfile", str(VAR / "gunicorn-lighthouse.log")],
        cwd=ROOT, env=env_run, start_new_session=True)
    binary = lighthouse_bin()
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        print(f"{'page':<28} perf  a11y  best  seo")
        for path in paths:
            out = VAR / f"lighthouse-{path.strip('/').replace('/', '_') or 'home'}.json"
            for _attempt in range(3):  # Lighthouse sometimes loses the trace (NO_NAVSTART); try again
                done = subprocess.run([str(binary), base + path, "--quiet", f"--chrome-flags={FLAGS}",
                                       "--output=json", f"--output-path={out}",
                                       "--only-categories=performance,accessibility,best-practices,seo", *headers],
                                      env=dict(os.environ, CHROME_PATH="/usr/bin/chromium"))
                if done.returncode == 0:
                    break
            else:
                print(f"{path:<28} Lighthouse failed three times", flush=True)
                continue
            cats = json.loads(out.read_text())["categories"]
            scores = [round(cats[c]["score"] * 100) for c in ("performance", "accessibility", "best-practices", "seo")]
            print(f"{path:<28} " + "  ".join(f"{s:>4}" for s in scores), flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


if __name__ == "__main__":
    main(sys.argv[1:])
