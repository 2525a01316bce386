"""Fixtures for the gridwork tests: staff in their real roles and rapid tests recorded through the services."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone


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


@pytest.fixture
def rapid_tests(tester_user, producer):
    """rapid_tests(day, n=1, product="黄瓜"): n samples taken and rapid-tested on `day`, through the services."""
    from inspections.services.records import rapid_test_record, sample_take

    def make(day: datetime.date, n: int = 1, product: str = "黄瓜", user=None, on_producer=None):
        user = user or tester_user
        taken_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
        taken_at = min(taken_at, timezone.now() - datetime.timedelta(minutes=1))  # a run after midnight
        made = []
        for _ in range(n):
            sample = sample_take(producer=on_producer or producer, user=user, product=product, taken_at=taken_at).obj
            made.append(rapid_test_record(sample=sample, user=user, method="gold", target="克百威",
                                          result="negative", tested_on=day))
        return made

    return make
