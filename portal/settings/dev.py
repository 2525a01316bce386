"""Local development: SQLite, debug on, a key that is generated once per checkout."""

import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
ALLOWED_HOSTS = ["*"]

_key_file = VAR_DIR / "secret_key"
if not _key_file.exists():
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _key_file.write_text(secrets.token_urlsafe(50))
SECRET_KEY = _key_file.read_text().strip()

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
