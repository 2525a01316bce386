"""Settings of the inspections app, with their defaults. Override any of them in portal/settings."""

from django.conf import settings

DEFAULTS = {
    "INSPECTIONS_MAX_PHOTOS": 10,                   # per inspection record
    "INSPECTIONS_MAX_PHOTO_BYTES": 10 * 1024 * 1024,
    "INSPECTIONS_MAX_PHOTO_PIXELS": 50_000_000,
    "INSPECTIONS_PHOTO_LONG_EDGE": 2048,
    # 酶抑制法: an inhibition rate at or above this percentage is positive (GB/T 5009.199).
    "INSPECTIONS_ENZYME_POSITIVE_RATE": 50,
    # Coverage: a township is behind plan when it has done less than this share of the visits due so far.
    "INSPECTIONS_BEHIND_PLAN_SHARE": 0.9,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
