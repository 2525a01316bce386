"""Fixtures for the inspections tests: staff in their real roles, producers, an inspection recorder."""

import datetime

import pytest
from django.contrib.auth.models import Group


@pytest.fixture
def staff_groups(db):
    from staff.roles import staff_roles_setup

    staff_roles_setup()
    return Group.objects.all()


@pytest.fixture
def tester_user(make_staff, township):
    from disclosure.models import Role

    return make_staff("sangong_tester", township, Role.TESTER)


@pytest.fixture
def producer(village):
    from tests.factories import ProducerFactory

    return ProducerFactory(village=village, name="长丰蔬菜专业合作社", address="长丰村二组")


ALL_PASS = dict.fromkeys(range(1, 8), ("pass", ""))


@pytest.fixture
def record(township_user):
    """record(producer, **overrides): an inspection through the real service, all seven items 符合."""
    from inspections.services.records import inspection_record

    def make(producer, **overrides):
        values = {"producer": producer, "user": township_user, "inspected_on": datetime.date.today(),
                  "results": dict(ALL_PASS), "representative": "王示例"}
        values.update(overrides)
        return inspection_record(**values)

    return make
