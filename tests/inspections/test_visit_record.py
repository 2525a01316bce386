"""An inspection recorded against a planned visit completes that visit (the row is locked while it is
linked, which PostgreSQL allows only on the visit itself, not on its outer-joined relations)."""

import datetime

import pytest

from disclosure.models import ProducerKind
from inspections.services.plans import my_visits, plan_generate
from tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db


def test_recording_a_planned_visit_completes_it(record, township, township_user, village):
    producer = ProducerFactory(village=village, kind=ProducerKind.COOPERATIVE)
    plan = plan_generate(township=township, year=datetime.date.today().year, user=township_user)
    visit = plan.visits.filter(producer=producer).first()
    stored = record(producer, visit=visit, expected_assignee=township_user.pk)
    visit.refresh_from_db()
    assert visit.inspection == stored.obj and visit.version == 2 and not stored.messages
    again = record(producer, visit=visit)
    assert again.created and "已由其他记录完成" in again.messages[0]
    assert visit.pk not in {v.pk for v in my_visits(township_user) if v.inspection_id is None}
