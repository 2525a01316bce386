import datetime
import uuid
from decimal import Decimal

import pytest

from casework.models import Rectification, RectificationState, Referral
from inspections.models import Inspection, Kind, Outcome, Verdict
from inspections.services.records import (
    InspectionError,
    follow_up_inspection,
    inspection_confirm,
    lab_test_record,
    rapid_test_record,
    rectification_from_inspection,
    refer,
    sample_take,
)
from inspections.services.scope import InspectionPermissionDenied
from tests.inspections.conftest import ALL_PASS

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_an_inspection_keeps_its_seven_items_and_counts_failures(record, producer):
    results = dict(ALL_PASS)
    results[3] = ("fail", "未落实安全间隔期，采收前3天喷药")
    stored = record(producer, results=results)
    inspection = stored.obj
    assert stored.created and inspection.confirmed and inspection.kind == Kind.ROUTINE
    assert inspection.items.count() == 7 and inspection.failed_items == 1
    assert inspection.township_id == producer.village.parent_id


def test_every_item_needs_a_result_and_a_failed_item_a_note(record, producer):
    results = dict(ALL_PASS)
    del results[5]
    results[2] = ("fail", "")
    with pytest.raises(InspectionError) as exc:
        record(producer, results=results)
    assert set(exc.value.message_dict) == {"item_5", "item_2"}
    assert Inspection.objects.count() == 0


def test_dates_in_the_future_are_refused(record, producer):
    with pytest.raises(InspectionError) as exc:
        record(producer, inspected_on=TODAY + datetime.timedelta(days=1))
    assert "不能晚于今天" in str(exc.value)


def test_a_date_long_before_the_producer_existed_is_refused(record, producer):
    with pytest.raises(InspectionError) as exc:
        record(producer, inspected_on=TODAY - datetime.timedelta(days=800))
    assert "早于该主体纳入名录" in str(exc.value)


def test_a_producer_outside_the_users_grids_is_refused(record, other_township_user, producer):
    with pytest.raises(InspectionPermissionDenied) as exc:
        record(producer, user=other_township_user)
    assert "不在您负责的网格范围内" in str(exc.value)


def test_the_same_offline_record_sent_twice_is_stored_once(record, producer):
    key = uuid.uuid4()
    first = record(producer, client_key=key)
    second = record(producer, client_key=str(key))
    assert first.created and not second.created and second.obj.pk == first.obj.pk
    assert "没有重复保存" in second.messages[0]
    assert Inspection.objects.count() == 1


def test_a_coordinators_hazard_record_waits_for_the_township(record, producer, village_user, township_user):
    stored = record(producer, user=village_user)
    assert stored.obj.kind == Kind.HAZARD and not stored.obj.confirmed
    with pytest.raises(InspectionPermissionDenied):
        inspection_confirm(inspection=stored.obj, user=village_user)
    inspection_confirm(inspection=stored.obj, user=township_user)
    assert Inspection.objects.confirmed().count() == 1


def test_a_coordinator_cannot_record_outside_their_village(record, producer, other_village_user):
    with pytest.raises(InspectionPermissionDenied):
        record(producer, user=other_village_user)


def test_enzyme_inhibition_rate_decides_the_result_and_positive_needs_the_lab(record, producer, tester_user):
    sample = sample_take(producer=producer, user=tester_user, product="小白菜").obj
    assert sample.number.startswith("YP") and sample.place == "长丰村二组"
    high = rapid_test_record(sample=sample, user=tester_user, method="enzyme", target="有机磷和氨基甲酸酯类农药",
                             inhibition_rate="62.5", result="negative")
    low = rapid_test_record(sample=sample, user=tester_user, method="enzyme", target="有机磷和氨基甲酸酯类农药",
                            inhibition_rate=12)
    assert high.result == Outcome.POSITIVE and high.needs_lab
    assert low.result == Outcome.NEGATIVE and not low.needs_lab


def test_a_test_result_without_a_sample_is_refused(tester_user):
    with pytest.raises(InspectionError) as exc:
        rapid_test_record(sample=None, user=tester_user, method="gold", target="克伦特罗", result="negative")
    assert "必须对应一个样品" in str(exc.value)


def test_a_quantitative_value_needs_unit_and_limit_and_gets_its_verdict(producer, tester_user):
    sample = sample_take(producer=producer, user=tester_user, product="韭菜").obj
    with pytest.raises(InspectionError) as exc:
        lab_test_record(sample=sample, user=tester_user, lab="昌吉州农产品检测中心", report_number="R-1",
                        target="腐霉利", value="0.8", unit="", limit="", reported_on=TODAY)
    assert set(exc.value.message_dict) == {"unit", "limit"}
    failed = lab_test_record(sample=sample, user=tester_user, lab="昌吉州农产品检测中心", report_number="R-1",
                             target="腐霉利", value="0.8", unit="mg/kg", limit="0.2", reported_on=TODAY)
    clean = lab_test_record(sample=sample, user=tester_user, lab="昌吉州农产品检测中心", report_number="R-2",
                            target="毒死蜱", value=None, unit="mg/kg", limit="0.02", reported_on=TODAY)
    assert failed.verdict == Verdict.FAIL and failed.value == Decimal("0.8")
    assert clean.verdict == Verdict.PASS


def test_rectification_follow_up_and_referral_are_casework_records(record, producer, township_user):
    failing = dict(ALL_PASS)
    failing[6] = ("fail", "未开具承诺达标合格证")
    inspection = record(producer, results=failing).obj
    with pytest.raises(InspectionError):
        rectification_from_inspection(inspection=inspection, user=township_user, requirements="开具合格证",
                                      due=TODAY)
    order = rectification_from_inspection(inspection=inspection, user=township_user, requirements="开具合格证",
                                          due=TODAY + datetime.timedelta(days=10))
    assert Rectification.objects.from_source(inspection).open().get() == order
    again = record(producer, results=failing, kind=Kind.FOLLOW_UP).obj
    follow_up_inspection(rectification=order, inspection=again, user=township_user, passed=False, escalate=True)
    order.refresh_from_db()
    assert order.state == RectificationState.ESCALATED
    refer(producer=producer, user=township_user, agency="昌吉市农业综合行政执法大队", summary="巡查记录、照片",
          source=again, rectification=order)
    assert Referral.objects.get().agency == "昌吉市农业综合行政执法大队"


def test_a_new_inspection_moves_the_producers_change_time(record, producer):
    before = producer.updated_at
    record(producer)
    producer.refresh_from_db()
    assert producer.updated_at > before
