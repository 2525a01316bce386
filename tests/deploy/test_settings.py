"""The production settings take the several-servers parts from the environment, and nothing changes for a
single server that sets none of them."""

import json
import os
import subprocess
import sys

from django.conf import settings

SHOW = """
import json
from django.conf import settings
print(json.dumps({
    "sessions": settings.SESSION_ENGINE,
    "default": settings.STORAGES["default"]["BACKEND"],
    "private": settings.STORAGES["private"]["BACKEND"],
    "private_options": settings.STORAGES["private"].get("OPTIONS", {}),
    "media_options": settings.STORAGES["default"].get("OPTIONS", {}),
    "documents": getattr(settings, "WAGTAILDOCS_SERVE_METHOD", None),
    "purge": {name: b["LOCATION"] for name, b in (getattr(settings, "WAGTAILFRONTENDCACHE", None) or {}).items()},
}))
"""

SEVERAL = {"S3_BUCKET": "portal-media", "S3_PRIVATE_BUCKET": "portal-private", "S3_ENDPOINT_URL": "http://10.0.0.5:9000",
           "S3_ACCESS_KEY_ID": "portal", "S3_SECRET_ACCESS_KEY": "secret", "CACHE_URL": "redis://10.0.0.6:6379/1",
           "FRONTEND_CACHE_PURGE_URLS": "http://10.0.0.7:6081,http://10.0.0.8:6081"}


def production_settings(**extra) -> dict:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("S3_", "FRONTEND_CACHE_")) and key != "CACHE_URL"}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings.production", "SECRET_KEY": "x" * 50,
                "EMAIL_HOST": "127.0.0.1", **extra})
    out = subprocess.run([sys.executable, "-c", SHOW], cwd=settings.BASE_DIR,
                         env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_a_single_server_keeps_files_on_disk_sessions_in_the_database_and_sends_no_purge():
    found = production_settings()
    assert found["sessions"] == "django.contrib.sessions.backends.db"
    assert found["default"] == "django.core.files.storage.FileSystemStorage"
    assert found["private"] == "portal.storage.PrivateFileSystemStorage"
    assert found["purge"] == {}


def test_several_servers_share_object_storage_redis_and_purge_every_front_cache():
    found = production_settings(**SEVERAL)
    assert found["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert found["default"] == "portal.storage_s3.PublicS3Storage"
    assert found["media_options"]["bucket_name"] == "portal-media"
    assert found["private"] == "portal.storage_s3.PrivateS3Storage"
    private = found["private_options"]
    assert private["bucket_name"] == "portal-private" and private["default_acl"] == "private"
    assert private["querystring_auth"] is False  # never a signed URL that would work without the portal
    assert found["documents"] == "serve_view"  # documents through Wagtail's checks, not a redirect to the bucket
    assert sorted(found["purge"].values()) == ["http://10.0.0.7:6081", "http://10.0.0.8:6081"]
