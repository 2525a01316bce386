"""A complaint's rectification and referral are the same records an inspection makes (casework)."""

import datetime

import pytest
from django.utils import timezone

from casework.models import Rectification, RectificationState, Referral
from complaints.services import (
    ComplaintError,
    complaint_accept,
    complaint_assign,
    complaint_check_rectification,
    complaint_order_rectification,
    complaint_refer,
    complaint_start_investigation,
)
from tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db


def act(service, complaint, user, **kwargs):
    return service(complaint=complaint, user=user, expected_version=complaint.version, **kwargs)


@pytest.fixture
def investigating(submit, township_user, village):
    producer = ProducerFactory(village=village)
    c = submit(producer=producer)
    act(complaint_accept, c, township_user)
    act(complaint_assign, c, township_user, assignee=township_user)
    act(complaint_start_investigation, c, township_user)
    return c


def test_a_complaints_rectification_is_kept_by_casework_and_followed_up(investigating, township_user):
    c = investigating
    due = timezone.localdate() + datetime.timedelta(days=7)
    act(complaint_order_rectification, c, township_user, due=due, requirements="停止使用并销毁库存")
    order = Rectification.objects.from_source(c).get()
    assert order.state == RectificationState.OPEN and order.due == due and order.producer == c.producer
    later = due + datetime.timedelta(days=7)
    act(complaint_check_rectification, c, township_user, passed=False, findings="仍有存货", new_due=later)
    order.refresh_from_db()
    assert order.due == later and order.follow_ups.count() == 1
    act(complaint_check_rectification, c, township_user, passed=True, findings="已销毁")
    order.refresh_from_db()
    assert order.state == RectificationState.DONE


def test_the_same_deadline_rule_refuses_today_for_complaints(investigating, township_user):
    with pytest.raises(ComplaintError) as exc:
        act(complaint_order_rectification, investigating, township_user, due=timezone.localdate(),
            requirements="整改")
    assert "整改期限必须是今天以后的日期" in str(exc.value)
    assert not Rectification.objects.exists()


def test_referring_a_complaint_records_the_referral_and_escalates_the_open_order(investigating, township_user):
    c = investigating
    act(complaint_order_rectification, c, township_user, due=timezone.localdate() + datetime.timedelta(days=3),
        requirements="整改")
    act(complaint_refer, c, township_user, agency="昌吉市农业综合行政执法大队", note_internal="附检测报告")
    referral = Referral.objects.get()
    assert referral.agency == "昌吉市农业综合行政执法大队" and referral.summary == "附检测报告"
    assert referral.rectification.state == RectificationState.ESCALATED
