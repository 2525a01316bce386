"""Real parts of a deployment on several servers, started by the tests themselves on free 127.0.0.1 ports:
an S3 endpoint (moto's server mode), a Redis server of their own, and a front cache's purge endpoint
(a small HTTP server that records the PURGE requests it gets)."""

import shutil
import socket
import subprocess
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# The complaint form's fixtures (valid form data, staff groups, generous rate limits).
from tests.complaints.conftest import complaint_settings, form_data, staff_groups  # noqa: F401


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- S3 ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, settings, tmp_path):
    """Public media and private files on the local S3 endpoint, in buckets of this test's own, configured
    as portal/settings/base.py does from S3_* variables. Returns a boto3 client and the bucket names."""
    import boto3

    public, private = f"media-{uuid.uuid4().hex[:12]}", f"private-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, aws_access_key_id="portal",
                          aws_secret_access_key="portal-secret", region_name="us-east-1")
    for bucket in (public, private):
        client.create_bucket(Bucket=bucket)
    common = {"endpoint_url": s3_endpoint, "access_key": "portal", "secret_key": "portal-secret",
              "region_name": "us-east-1", "addressing_style": "path", "signature_version": "s3v4",
              "file_overwrite": False, "querystring_auth": False}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "portal.storage_s3.PublicS3Storage", "OPTIONS": {
            **common, "bucket_name": public, "location": "media", "default_acl": "public-read"}},
        "private": {"BACKEND": "portal.storage_s3.PrivateS3Storage", "OPTIONS": {
            **common, "bucket_name": private, "location": "private", "default_acl": "private"}},
    }
    # Nothing may land on this server's disk: point both roots at folders that must stay empty.
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "media"), str(tmp_path / "private")
    return type("S3", (), {"client": client, "endpoint": s3_endpoint, "public": public, "private": private,
                           "disk": tmp_path})


# --- Redis ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A Redis server of the tests' own (Debian's redis-server), keeping nothing on disk."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(folder)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis_cache(redis_url, settings):
    """The cache and sessions as portal/settings/base.py sets them when CACHE_URL names Redis."""
    import redis

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": redis_url, "KEY_PREFIX": "deploy-tests"}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    server = redis.Redis.from_url(redis_url)
    server.flushdb()
    yield server
    server.flushdb()


# --- the front cache's purge endpoint ---------------------------------------------------------------------

class PurgeRecorder:
    def __init__(self):
        self.requests: list[tuple[str, str, str]] = []  # (method, path, Host)
        self.lock = threading.Lock()

    @property
    def paths(self) -> set[str]:
        with self.lock:
            return {path for method, path, _host in self.requests if method == "PURGE"}

    def hosts(self) -> set[str]:
        with self.lock:
            return {host for _method, _path, host in self.requests}


@pytest.fixture
def purge_recorder(settings):
    """A front cache that records PURGEs, configured as FRONTEND_CACHE_PURGE_URLS does."""
    from portal.frontcache import purges_wait

    recorder = PurgeRecorder()

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 - the HTTP method's name
            with recorder.lock:
                recorder.requests.append(("PURGE", self.path, self.headers.get("Host", "")))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {"front1": {"BACKEND": "portal.frontcache.PurgeBackend",
                                                "LOCATION": f"http://127.0.0.1:{server.server_port}"}}
    settings.PORTAL_PURGE_TIMEOUT = 1
    yield recorder
    purges_wait(5)
    server.shutdown()
    server.server_close()
