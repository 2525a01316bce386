"""Settings of rectification and referral, with their defaults. Override any of them in portal/settings."""

from django.conf import settings

DEFAULTS = {
    # A rectification's deadline suggested to the person ordering it, in working days (they may change it).
    "CASEWORK_RECTIFICATION_WORKING_DAYS": 10,
    # Where a suspected violation is referred (附件1 第八条), suggested in the form.
    "CASEWORK_REFERRAL_AGENCY": "县级农业农村部门（农业综合执法机构）",
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
