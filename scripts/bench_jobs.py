"""Background jobs: a township's batch of 500 A3 signboards, queued from the back office and drawn by the
task worker (`manage.py db_worker`).

Run by scripts/bench.py (`make bench`) with `run(ctx)`. The bench database's 三工镇 is filled up to 500
published producers (copies of its own), the waiting Wagtail index tasks are run first, then:
- the request that starts the batch (POST /admin/producers/print/, in-process through Django's test
  client, so without network or gunicorn): its time, the median of five;
- the worker running the job alone (`db_worker --batch`): wall time, time to the first progress written,
  the worker process's peak RSS (ru_maxrss of the child, WeasyPrint's C libraries included), pages and
  size of the PDF.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIGNS = 500

DRIVE = r"""
import json, resource, statistics, subprocess, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import override_settings
from disclosure.models import Grid, Producer
from portal.models import BackgroundJob

count = int(sys.argv[1])
township = Grid.objects.get(slug="sangong")
own = list(Producer.objects.published().in_grid(township).order_by("id"))
with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
    for n in range(count - len(own)):
        p = Producer.objects.get(pk=own[n % len(own)].pk)
        p.pk = p.id = None
        p.code, p.credit_code, p.name = "", "", f"{p.name}{n:03d}"
        p.save()
# Wagtail's index updates queued while the demo was loaded run now, so the job below runs alone.
subprocess.run([sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--batch", "--no-reload",
                "--no-startup-delay", "-v0"], check=True)

user = get_user_model().objects.filter(is_superuser=True).first()
times = []
with override_settings(STAFF_SECOND_FACTOR_ENFORCED=False, ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False):
    client = Client()
    client.force_login(user)
    client.get("/admin/producers/print/")
    for _ in range(5):
        start = time.perf_counter()
        response = client.post("/admin/producers/print/", {"grid": township.pk, "paper": "A3"})
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, response.status_code
jobs = list(BackgroundJob.objects.order_by("id"))
BackgroundJob.objects.filter(pk__in=[j.pk for j in jobs[:-1]]).delete()  # the worker skips deleted jobs
job = jobs[-1]
start = time.perf_counter()
worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--batch",
                           "--no-reload", "--no-startup-delay", "-v0"])
first = None
while worker.poll() is None:
    job.refresh_from_db()
    if first is None and job.total:
        first = time.perf_counter() - start
    time.sleep(0.1)
wall = time.perf_counter() - start
job.refresh_from_db()
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
from pypdf import PdfReader
with job.result.open("rb") as handle:
    pages = len(PdfReader(handle).pages)
print(json.dumps({"status": job.status, "signs": job.total, "request_ms": statistics.median(times),
                  "wall": wall, "first": first, "peak_mb": peak, "pages": pages, "bytes": job.result.size,
                  "worker_s": (job.finished_at - job.started_at).total_seconds()}))
"""


def run(ctx) -> None:
    out = subprocess.run([sys.executable, "-c", DRIVE, str(SIGNS)], cwd=ROOT, env=ctx.env, check=True,
                         capture_output=True, text=True).stdout
    r = json.loads(out.strip().splitlines()[-1])
    ctx.print(f"  the request that queues a township's {r['signs']} A3 signboards: {r['request_ms']:.0f} ms "
              f"(median of 5, in-process)")
    ctx.print(f"  the worker: {r['status']}, {r['wall']:.1f} s wall ({r['worker_s']:.1f} s in the job), "
              f"first progress after {r['first']:.1f} s, peak RSS {r['peak_mb']:.0f} MB")
    ctx.print(f"  the PDF: {r['pages']} pages, {r['bytes'] / 1024 / 1024:.1f} MB")


if __name__ == "__main__":
    raise SystemExit("run through scripts/bench.py (make bench)")
