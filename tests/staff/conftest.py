"""Fixtures for the back office tests: staff users in each role, linked to grids, with the real group
grants (staff.roles.staff_roles_setup), complaints made through the services, and a logged-in client."""


import pytest

from complaints.models import Category, Kind
from complaints.services import complaint_submit, staged_upload_create


@pytest.fixture
def staff_groups(db):
    from staff.roles import staff_roles_setup

    return staff_roles_setup()


@pytest.fixture
def unlinked_user(make_staff):
    """In the township supervisors' group, but no person (so no grid) linked to the account."""
    return make_staff("unlinked", None, group="township_supervisor")


def jpeg_bytes(size=(640, 480), color=(90, 140, 60)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def submit(village):
    """submit(photos=0, **overrides): a web complaint about the test village, through the real service."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(photos=0, **overrides):
        values = {"kind": Kind.REPORT, "category": Category.BANNED_PESTICIDE,
                  "description": "看到有人在大棚里喷洒甲胺磷，气味很大。", "place_village": village,
                  "reporter_name": "举报人示例", "reporter_phone": "13912345678",
                  "reporter_email": "reporter@example.invalid"}
        values.update(overrides)
        staged = [staged_upload_create(upload=SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg"))
                  for _ in range(photos)]
        return complaint_submit(staged_ids=[str(s.pk) for s in staged], **values)

    return make


@pytest.fixture(autouse=True)
def complaint_settings(settings):
    """SMS kept in memory; mail is locmem in the test settings already."""
    from complaints import sms

    settings.COMPLAINTS_SMS_BACKEND = "complaints.sms.LocmemSmsBackend"
    sms.outbox.clear()
    return settings
