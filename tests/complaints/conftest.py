"""Fixtures for the complaints tests: staff users in each role, linked to grids, with the group grants."""


import pytest
from django.contrib.auth.models import Group, Permission

from complaints.models import Category, Kind
from complaints.services import complaint_permissions_grant, complaint_submit


@pytest.fixture
def staff_groups(db):
    admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in ("city_supervisor", "township_supervisor", "village_coordinator"):
        Group.objects.get_or_create(name=name)[0].permissions.add(admin)
    complaint_permissions_grant()
    return Group.objects.all()


@pytest.fixture
def submit(village):
    """submit(**overrides): a web complaint about the test village, through the real service."""

    def make(**overrides):
        values = {"kind": Kind.REPORT, "category": Category.BANNED_PESTICIDE,
                  "description": "看到有人在大棚里喷洒甲胺磷，气味很大。", "place_village": village,
                  "reporter_name": "举报人示例", "reporter_phone": "13912345678",
                  "reporter_email": "reporter@example.invalid"}
        values.update(overrides)
        return complaint_submit(**values)

    return make


@pytest.fixture(autouse=True)
def complaint_settings(settings):
    """Generous limits and no minimum fill time, unless a test sets them; SMS kept in memory."""
    from complaints import sms

    settings.COMPLAINTS_RATE_LIMITS = {"submit": (1000, 3600), "submit_attempt": (1000, 600),
                                       "track": (1000, 600), "producer_lookup": (1000, 600)}
    settings.COMPLAINTS_MIN_FILL_SECONDS = 0
    settings.COMPLAINTS_SMS_BACKEND = "complaints.sms.LocmemSmsBackend"
    sms.outbox.clear()
    return settings


def jpeg_bytes(size=(800, 600), color=(90, 140, 60), exif=None, fmt="JPEG") -> bytes:
    import io

    from PIL import Image

    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def upload(name="photo.jpg", data=None, content_type="image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, jpeg_bytes() if data is None else data, content_type=content_type)


@pytest.fixture
def form_data(township, village):
    """form_data(**overrides): a valid POST of the public form."""
    from complaints.forms import form_token_new

    def make(**overrides):
        data = {"kind": "report", "category": "banned_pesticide",
                "description": "看到有人在大棚里喷洒甲胺磷，气味很大。", "place_township": str(township.pk),
                "place_village": str(village.pk), "address": "3组东头大棚", "reporter_name": "填表人示例",
                "reporter_phone": "13912345678", "reporter_email": "filler@example.invalid", "consent": "on",
                "form_token": form_token_new(), "website": "", "producer": ""}
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return make
