"""Fixtures for the back office tests: staff users in each role, linked to grids, with the real group
grants (staff.roles.staff_roles_setup), complaints made through the services, and a logged-in client."""

import datetime

import pytest
from django.contrib.auth.models import Group

from complaints.models import Category, Kind
from complaints.services import complaint_submit, staged_upload_create
from disclosure.models import Role
from disclosure.services.grids import role_assign
from tests.factories import PersonFactory, UserFactory

GROUP_FOR_ROLE = {Role.SUPERVISOR: "township_supervisor", Role.TESTER: "township_supervisor",
                  Role.COORDINATOR: "village_coordinator", Role.CITY_FIRST: "city_supervisor"}


@pytest.fixture
def staff_groups(db):
    from staff.roles import staff_roles_setup

    return staff_roles_setup()


@pytest.fixture
def make_staff(staff_groups):
    """make_staff(username, grid, role, group=None): a staff user holding a role on a grid since last year
    (grid None: no linked person at all)."""

    def make(username, grid, role=None, group=None):
        user = UserFactory(username=username, first_name=f"{username}姓名")
        if grid is not None:
            person = PersonFactory(name=f"{username}示例", user=user)
            role_assign(person=person, grid=grid, role=role,
                        start_date=datetime.date.today() - datetime.timedelta(days=365))
        user.groups.add(Group.objects.get(name=group or GROUP_FOR_ROLE[role]))
        return user

    return make


@pytest.fixture
def city_user(make_staff, grids):
    return make_staff("city", grids.get(level="city"), Role.SUPERVISOR, "city_supervisor")


@pytest.fixture
def township_user(make_staff, township):
    return make_staff("sangong", township, Role.SUPERVISOR)


@pytest.fixture
def village_user(make_staff, village):
    return make_staff("changfeng", village, Role.COORDINATOR)


@pytest.fixture
def other_township(grids):
    return grids.filter(level="township").exclude(code="652301101").order_by("code").first()


@pytest.fixture
def other_township_user(make_staff, other_township):
    return make_staff("othertown", other_township, Role.SUPERVISOR)


@pytest.fixture
def other_village(township, village):
    return township.children.exclude(pk=village.pk).order_by("code").first()


@pytest.fixture
def other_village_user(make_staff, other_village):
    return make_staff("othervillage", other_village, Role.COORDINATOR)


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


@pytest.fixture
def login(client):
    """login(user) → the test client logged in as that user."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in
