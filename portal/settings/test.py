"""Fast, isolated settings for the test suite. DATABASE_URL switches it to PostgreSQL."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PORTAL_BASE_URL = "https://nc.example.cn"

_tmp = tempfile.mkdtemp(prefix="portal-test-")
MEDIA_ROOT = f"{_tmp}/media"
PRIVATE_MEDIA_ROOT = f"{_tmp}/private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Background tasks run at once, inside the request that queues them (tests/portal/test_jobs.py also runs
# the database worker itself).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Counties' summary rows are recounted after each change only where a test asks (tests/disclosure/
# test_counties.py): run inline, the recount would add a county's worth of queries to every saving request.
GRIDWORK_ROLLUPS_FOLLOW_CHANGES = False
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"},
}
# Most tests sign staff in with force_login; tests/staff/test_second_factor.py turns enforcement back on.
STAFF_SECOND_FACTOR_ENFORCED = False
