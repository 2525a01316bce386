"""Settings of the complaints app, with their defaults. Override any of them in portal/settings."""

from django.conf import settings

DEFAULTS = {
    # Deadlines (期限). Acceptance is decided within this many working days of receipt.
    "COMPLAINTS_ACCEPT_WORKING_DAYS": 7,
    # Handling is finished within this many days of acceptance (or of reopening) ...
    "COMPLAINTS_FINISH_DAYS": 60,
    # ... counted as calendar days (a deadline on a rest day moves to the next working day), or as
    # working days when this is True.
    "COMPLAINTS_FINISH_IN_WORKING_DAYS": False,
    # After closing, the reporter may ask to reopen within this many calendar days.
    "COMPLAINTS_REOPEN_DAYS": 15,
    # Abuse guards on the public form and the tracking look-up: (requests, seconds) per client address.
    "COMPLAINTS_RATE_LIMITS": {
        "submit": (6, 3600),          # accepted submissions
        "submit_attempt": (30, 600),  # every POST of the form, valid or not
        "track": (20, 600),           # tracking look-ups, ratings and reopen requests
        "producer_lookup": (120, 600),
    },
    # A form sent back faster than this after it was shown is treated as a robot's.
    "COMPLAINTS_MIN_FILL_SECONDS": 4,
    # Reporters' identities and photos of complaints finished longer ago than this many years are erased
    # (complaints.services.retention; the facts of the complaint are kept).
    "COMPLAINTS_RETENTION_YEARS": 5,
    # Photos.
    "COMPLAINTS_MAX_PHOTOS": 5,
    "COMPLAINTS_MAX_PHOTO_BYTES": 10 * 1024 * 1024,
    "COMPLAINTS_MAX_PHOTO_PIXELS": 50_000_000,   # about 8,660 × 5,770; phones take 12–50 megapixels
    "COMPLAINTS_PHOTO_LONG_EDGE": 2560,          # re-encoded photos are scaled down to this
    "COMPLAINTS_STAGED_PHOTO_HOURS": 24,         # photos kept across a failed submit live this long
    # Notifications.
    "COMPLAINTS_SMS_BACKEND": "complaints.sms.LoggingSmsBackend",
    # Where a staff member opens a complaint in the back office ({id} is replaced).
    "COMPLAINTS_ADMIN_URL": "/admin/triage/{id}/",
    # Open311: the jurisdiction_id this endpoint answers to (optional for clients, checked if given).
    "COMPLAINTS_OPEN311_JURISDICTION": "changji.gov.cn",
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def rate_limit(scope: str) -> tuple[int, int]:
    limits = {**DEFAULTS["COMPLAINTS_RATE_LIMITS"], **getattr(settings, "COMPLAINTS_RATE_LIMITS", {})}
    return limits[scope]
