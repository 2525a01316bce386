"""Orders and referrals entered after the day they were given keep that day (ordered_on, sent_on), which the
deadline is measured from; a day in the future is refused and nothing is saved."""

import datetime

import pytest

from casework.models import Rectification, RectificationState, Referral
from inspections.services.records import InspectionError, rectification_from_inspection, refer
from tests.inspections.conftest import ALL_PASS

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def failed(record, producer):
    results = dict(ALL_PASS)
    results[6] = ("fail", "销售未开具合格证")
    return record(producer, inspected_on=TODAY - datetime.timedelta(days=40), results=results).obj


def test_an_order_given_weeks_ago_keeps_its_day_and_can_be_overdue(failed, township_user):
    ordered = TODAY - datetime.timedelta(days=40)
    order = rectification_from_inspection(inspection=failed, user=township_user, requirements="开具合格证",
                                          ordered_on=ordered, due=ordered + datetime.timedelta(days=14))
    assert order.ordered_on == ordered and order.is_overdue
    assert Rectification.objects.overdue().get() == order


def test_an_order_dated_in_the_future_or_due_before_it_was_given_is_refused(failed, township_user):
    with pytest.raises(InspectionError) as exc:
        rectification_from_inspection(inspection=failed, user=township_user, requirements="开具合格证",
                                      ordered_on=TODAY + datetime.timedelta(days=1),
                                      due=TODAY + datetime.timedelta(days=15))
    assert "下达日期不能晚于今天" in str(exc.value)
    ordered = TODAY - datetime.timedelta(days=10)
    with pytest.raises(InspectionError):
        rectification_from_inspection(inspection=failed, user=township_user, requirements="开具合格证",
                                      ordered_on=ordered, due=ordered)
    assert not Rectification.objects.exists()


def test_a_referral_keeps_the_day_it_was_sent(failed, township_user, producer):
    ordered = TODAY - datetime.timedelta(days=30)
    order = rectification_from_inspection(inspection=failed, user=township_user, requirements="开具合格证",
                                          ordered_on=ordered, due=ordered + datetime.timedelta(days=14))
    sent = TODAY - datetime.timedelta(days=20)
    referral = refer(producer=producer, user=township_user, agency="昌吉市农业综合行政执法大队", summary="检测报告",
                     source=failed, rectification=order, sent_on=sent)
    assert referral.sent_on == sent
    order.refresh_from_db()
    assert order.state == RectificationState.ESCALATED and order.closed_on == sent
    with pytest.raises(InspectionError):
        refer(producer=producer, user=township_user, agency="昌吉市农业综合行政执法大队", summary="检测报告",
              sent_on=TODAY + datetime.timedelta(days=1))
    assert Referral.objects.count() == 1
