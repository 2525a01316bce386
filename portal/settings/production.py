"""Production: PostgreSQL via DATABASE_URL, behind a TLS-terminating reverse proxy, gunicorn.

Required environment: SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS, PORTAL_BASE_URL.
Required too: EMAIL_HOST (mail to reporters and staff goes by SMTP; the console backend would write
reporters' addresses and tracking codes into the server log, so production refuses it).
Optional: CACHE_URL (redis://…), CSRF_TRUSTED_ORIGINS, MEDIA_ROOT, PRIVATE_MEDIA_ROOT, EMAIL_PORT,
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS/EMAIL_USE_SSL, SECURE_SSL_REDIRECT (default true),
PROXY_COUNT, CLIENT_IP_HEADER, BACKUP_DIR, BACKUP_KEEP, JOB_RETENTION_DAYS — docs/deploy.md; for several
servers behind a front cache S3_BUCKET and the other S3_* variables, FRONTEND_CACHE_PURGE_URLS (base.py's
last block; docs/deploy.md, "Several servers").
"""

from django.core.exceptions import ImproperlyConfigured

from . import env
from .base import *  # noqa: F403
from .base import SECRET_KEY

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment")

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.flag("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

EMAIL_BACKEND = env.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
if EMAIL_BACKEND != "django.core.mail.backends.smtp.EmailBackend":
    raise ImproperlyConfigured("production sends mail by SMTP only: unset EMAIL_BACKEND (mail that is only "
                               "logged would put reporters' addresses in the log)")
EMAIL_HOST = env.get("EMAIL_HOST")
if not EMAIL_HOST:
    raise ImproperlyConfigured("EMAIL_HOST must be set in the environment (the SMTP server; docs/deploy.md)")
EMAIL_PORT = int(env.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.flag("EMAIL_USE_TLS")
EMAIL_USE_SSL = env.flag("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 20
