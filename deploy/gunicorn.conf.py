"""gunicorn's settings for one application server (deploy/systemd/portal@.service, docs/deploy.md).

The address comes from the command line (-b 127.0.0.1:8001); the rest from here, or from the environment
for what differs between machines.
"""

import os

# Synchronous workers: a page is a few milliseconds of Python and SQL, and the front cache answers repeats.
# Two per CPU keeps the CPUs busy while a worker waits for PostgreSQL.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * (os.cpu_count() or 1)))
# A signboard PDF drawn on request takes a few seconds; posters up to about one.
timeout = 60
graceful_timeout = 30
# The front cache keeps its connections open: no new TCP handshake per request.
keepalive = 30
# A worker that has served this many requests is replaced, so slow memory growth cannot accumulate.
max_requests = 5000
max_requests_jitter = 500
accesslog = None  # the front cache and nginx log requests; gunicorn logs errors only
errorlog = "-"
