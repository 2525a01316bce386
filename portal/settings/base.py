"""Settings shared by every environment. Production-safe defaults; dev and test relax them."""

import datetime
from urllib.parse import urlsplit

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from . import env

BASE_DIR = env.BASE_DIR
VAR_DIR = BASE_DIR / "var"

SECRET_KEY = env.get("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env.listing("CSRF_TRUSTED_ORIGINS")

# The canonical address of the portal. Printed QR codes and posters encode it, so it must be the
# address citizens reach from outside, not whatever host a request came in on.
PORTAL_BASE_URL = (env.get("PORTAL_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL

INSTALLED_APPS = [
    # ours, highest layer first
    "staff",
    "gridwork",
    "complaints",
    "inspections",
    "casework",
    "disclosure",
    "portal",
    # wagtail
    # English versions of pages kept beside the Chinese ones (translations and the admin's translate view)
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",
    "disclosure.sites.ServedSiteMiddleware",  # which grid the request's site (host name) serves
    "portal.middleware.OddInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "staff.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "portal.middleware.StaffSessionMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": env.database(BASE_DIR / "db.sqlite3")}
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # PostgreSQL's JIT compiles a query whose estimated cost is high (a county's counts over a few hundred
    # thousand complaints) for 0.8 s to save a fraction of that: the portal's queries are short, so it is off
    # for its connections (docs/benchmarks.md, "Region-size data").
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by every server process: rate limits and rendered posters depend on it.
# Redis when CACHE_URL is given, otherwise a database table (works on SQLite and PostgreSQL alike).
BUILD_ID = env.build_id(BASE_DIR)
if env.get("CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": env.get("CACHE_URL"), "KEY_PREFIX": BUILD_ID}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "portal_cache", "KEY_PREFIX": BUILD_ID}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "/admin/"
WAGTAILADMIN_USER_LOGIN_FORM = "portal.auth.LoginForm"

# Chinese first; English complete as the second language; Uyghur (Arabic script, right to left) for the
# pages citizens use most: the producer page, the complaint form and its tracking, the substances list and
# the badge check. The language is chosen explicitly (switcher → cookie), never guessed from the browser,
# so a phone set to English still gets Chinese unless its owner asks otherwise.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English"), ("ug", "ئۇيغۇرچە")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "lang"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Page content (home, news, standard pages) in Chinese with English versions beside it; a page with no
# English version yet is shown in Chinese with a note. Uyghur readers see Chinese page content.
WAGTAIL_I18N_ENABLED = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.get("MEDIA_ROOT") or str(BASE_DIR / "media")
SERVE_MEDIA = env.flag("SERVE_MEDIA")  # Django serves /media/ itself: only without a proxy (portal/urls.py)
# Files that only staff may fetch (complaint photos, signed commitment letters) live outside MEDIA_ROOT
# and are served through permission-checking views, never by the web server directly.
PRIVATE_MEDIA_ROOT = env.get("PRIVATE_MEDIA_ROOT") or str(BASE_DIR / "var" / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600
# `manage.py backup` writes archives of the database and both file trees here, keeping the newest few.
BACKUP_DIR = env.get("BACKUP_DIR") or str(VAR_DIR / "backups")
BACKUP_KEEP = int(env.get("BACKUP_KEEP", "14"))

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The client's address behind reverse proxies (portal/addresses.py): how many proxies of ours stand in
# front, and the header they append to. 0 (no proxy) ignores the header, which anyone could forge.
PORTAL_PROXY_COUNT = int(env.get("PROXY_COUNT", "0"))
PORTAL_CLIENT_IP_HEADER = env.get("CLIENT_IP_HEADER", "X-Forwarded-For")

# Background work (django-tasks): Wagtail's own (search and reference index) and ours (portal/jobs.py:
# township signboards, large imports) is queued in the database and run by `manage.py db_worker`, which
# `make run` starts beside the web server and production runs as its own service (docs/deploy.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Finished jobs and their files are deleted this many days after they were started (daily_jobs).
PORTAL_JOB_RETENTION_DAYS = int(env.get("JOB_RETENTION_DAYS", "14"))

# Sign-in throttling (django-axes): an account is locked from an address after this many wrong
# passwords, for the cool-off time; the city can unlock it earlier in the back office.
AXES_FAILURE_LIMIT = int(env.get("SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env.get("SIGNIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "portal.addresses.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "portal.auth.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = True  # every failure and lockout goes to the log (user name and address masked by django-axes, no password)

# Reporters' identities and photos are erased this many years after a complaint is finished (daily_jobs).
COMPLAINTS_RETENTION_YEARS = int(env.get("RETENTION_YEARS", "5"))

# Staff sessions end after this long without a request (sliding; portal.middleware.StaffSessionMiddleware).
# A password change signs the account out of every other session (Django's session hash).
PORTAL_STAFF_IDLE_SECONDS = int(env.get("STAFF_IDLE_MINUTES", "60")) * 60
# The staff group an account joins when it is opened for a role holder of a grid level (staff/roles.py).
PORTAL_STAFF_GROUP_FOR_LEVEL = {"region": "overseer", "prefecture": "overseer", "city": "city_supervisor",
                                "township": "township_supervisor", "village": "village_coordinator"}

# Second factor (django-otp): compulsory for staff holding any of these permissions, optional for others.
STAFF_SECOND_FACTOR_ENFORCED = True
STAFF_SECOND_FACTOR_PERMISSIONS = ("complaints.view_reporter_identity", "complaints.export_complaint")
OTP_TOTP_ISSUER = "农产品质量安全网格化管理"
# Passkeys (django-otp-webauthn) as a second factor beside the authenticator app; never instead of the
# password. The passkey is bound to the host the back office is used at (staff/passkeys.py).
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
OTP_WEBAUTHN_RP_ID_CALLABLE = "staff.passkeys.relying_party_id"
OTP_WEBAUTHN_HELPER_CLASS = "staff.passkeys.PortalWebAuthnHelper"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_ALLOWED_ORIGINS = (
    [f"{_base.scheme}://{_base.netloc}"]
    if (_base := urlsplit(PORTAL_BASE_URL)).scheme == "https" or _base.hostname == "localhost"
    else ["http://localhost"])

# Content-Security-Policy (django-csp). Public pages need no inline script or style; the back office
# runs Wagtail's own inline scripts and style attributes, so it gets PORTAL_ADMIN_CSP instead.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The inspectors' phone app (/field/): the public policy, plus blob: images for photos waiting on the phone.
PORTAL_FIELD_CSP = {"DIRECTIVES": {**CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": [SELF, "data:", "blob:"]}}
PORTAL_ADMIN_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # Wagtail 8 still writes inline <script> for date pickers and inline panels, without nonces.
        "script-src": [SELF, "'unsafe-inline'"],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
# What the site never uses, denied to every page (Permissions-Policy header).
PORTAL_PERMISSIONS_POLICY = ("accelerometer=(), autoplay=(), camera=(), display-capture=(), "
                             "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), "
                             "payment=(), usb=()")

# Security defaults that hold everywhere; production adds HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

WAGTAIL_SITE_NAME = "农产品质量安全网格化管理公示平台"
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"},
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "xlsx", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILADMIN_COMMENTS_ENABLED = False
# No outside requests, the back office included: avatars are not fetched from gravatar.com.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILEMBEDS_FINDERS = []  # no outside requests

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "noreply@example.invalid")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # lockouts are warnings; each failure is INFO
    },
}

PORTAL_NEWS_KINDS = [
    ("dynamics", _("动态")),
    ("progress", _("进展")),
    ("results", _("成效")),
]

# inspections.Inspection and complaints.Complaint (a county's dashboard) have covering indexes (INCLUDE
# columns) on PostgreSQL; SQLite builds them without the extra columns, which is all a development database
# needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Several servers behind a front cache (docs/deploy.md, "Several servers") ---------------------------
# Each part is off unless its environment variable is set: a single server runs exactly as above.
# Uploaded files on S3-compatible object storage (django-storages): public media in S3_BUCKET under
# S3_MEDIA_PREFIX, addressed as /media/… on the site's own host (the front cache passes /media/ to the
# bucket); private files in S3_PRIVATE_BUCKET (default: the same bucket) under S3_PRIVATE_PREFIX, with a
# private ACL and no URL (portal/storage.py). Without S3_BUCKET they stay on this server's disk.
STORAGES["private"] = {"BACKEND": "portal.storage.PrivateFileSystemStorage"}
if env.get("S3_BUCKET"):
    _s3 = {
        "endpoint_url": env.get("S3_ENDPOINT_URL") or None,
        "access_key": env.get("S3_ACCESS_KEY_ID"),
        "secret_key": env.get("S3_SECRET_ACCESS_KEY"),
        "region_name": env.get("S3_REGION") or None,
        # Servers of one's own (MinIO, Garage, Ceph) answer at one address, buckets in the path.
        "addressing_style": "path" if env.get("S3_ENDPOINT_URL") else None,
        "signature_version": "s3v4",
        "file_overwrite": False,  # a second upload of the same name gets a name of its own, as on disk
        "querystring_auth": False,  # never a signed, temporary URL: public files need none, private get none
    }
    STORAGES["default"] = {"BACKEND": "portal.storage_s3.PublicS3Storage", "OPTIONS": {
        **_s3, "bucket_name": env.get("S3_BUCKET"), "location": env.get("S3_MEDIA_PREFIX", "media"),
        # "" when a bucket policy makes the media prefix readable instead (buckets that refuse ACLs)
        "default_acl": env.get("S3_PUBLIC_ACL", "public-read") or None}}
    STORAGES["private"] = {"BACKEND": "portal.storage_s3.PrivateS3Storage", "OPTIONS": {
        **_s3, "bucket_name": env.get("S3_PRIVATE_BUCKET") or env.get("S3_BUCKET"),
        "location": env.get("S3_PRIVATE_PREFIX", "private"), "default_acl": "private"}}
    # Documents through Wagtail's view (its collection privacy checked), as on disk, not a redirect to
    # the bucket.
    WAGTAILDOCS_SERVE_METHOD = "serve_view"

# Sessions: with Redis as the cache, read from Redis and written through to the database (cached_db), so
# that restarting or emptying Redis signs no member of staff out; without it, in the database as before.
if env.get("CACHE_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# The front cache (Varnish, deploy/varnish/portal.vcl): each address in FRONTEND_CACHE_PURGE_URLS gets a
# PURGE for a public page's path once a change to it is committed (portal/frontcache.py), so the change
# shows at once instead of after the page's shared-cache lifetime. Unset: nothing is sent.
PORTAL_PURGE_TIMEOUT = float(env.get("FRONTEND_CACHE_PURGE_TIMEOUT", "2"))
if env.listing("FRONTEND_CACHE_PURGE_URLS"):
    WAGTAILFRONTENDCACHE = {
        f"front{number}": {"BACKEND": "portal.frontcache.PurgeBackend", "LOCATION": location}
        for number, location in enumerate(env.listing("FRONTEND_CACHE_PURGE_URLS"), start=1)
    }
