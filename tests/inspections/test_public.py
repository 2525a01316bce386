"""The producer page's inspections section: the last inspection in words, the short list, rectification,
privacy, caching through HTTP, and a constant number of queries whatever the history."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.services.signboards import signboard_issue
from inspections.models import Inspection
from inspections.services.records import (
    inspection_confirm,
    lab_test_record,
    rapid_test_record,
    rectification_from_inspection,
    sample_take,
)
from tests.factories import ProducerFactory
from tests.inspections.conftest import ALL_PASS

pytestmark = pytest.mark.django_db


def noon(day):
    """Noon of a day, or a minute ago when that noon is still ahead (a run just after midnight)."""
    from django.utils import timezone

    return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))),
               timezone.now() - datetime.timedelta(minutes=1))

TODAY = datetime.date.today()
SECRET_NOTE = "废弃农药瓶随意丢弃在田边水渠"
SECRET_FINDINGS = "仓库里发现过期农药两瓶"
SECRET_REPRESENTATIVE = "在场人秘密名"


def page(client, producer, query="", **headers):
    return client.get(f"/p/{producer.code}/{query}", **headers)


def with_failed_waste(**extra):
    results = dict(ALL_PASS)
    results[5] = ("fail", SECRET_NOTE)
    return results


def test_page_says_when_last_inspected_and_that_all_seven_items_passed(client, producer, record):
    record(producer, inspected_on=TODAY - datetime.timedelta(days=40))
    results = dict(ALL_PASS)
    results[4] = ("na", "不使用保鲜剂")
    record(producer, inspected_on=TODAY - datetime.timedelta(days=3), results=results)
    html = page(client, producer).content.decode()
    last = (TODAY - datetime.timedelta(days=3)).isoformat()
    assert "最近一次巡查" in html and f"{last}</time> 日常巡查：6 项符合，1 项不适用" in html
    assert "7 项均符合" in html  # the earlier one, in the short list
    assert "不使用保鲜剂" not in html


def test_no_inspection_yet_is_said_in_words(client, producer):
    assert "尚无日常巡查记录" in page(client, producer).content.decode()


def test_failed_item_with_rectification_says_what_it_means_without_notes_or_people(
        client, producer, record, township_user):
    inspection = record(producer, results=with_failed_waste(), other_findings=SECRET_FINDINGS,
                        representative=SECRET_REPRESENTATIVE, inspector_names="巡查员秘密名").obj
    due = TODAY + datetime.timedelta(days=15)
    rectification_from_inspection(inspection=inspection, user=township_user, requirements="规范处置废弃物", due=due)
    html = page(client, producer).content.decode()
    assert f"日常巡查：1 项不符合（投入品废弃物处置），已限期整改至 {due.isoformat()}" in html
    assert f"整改中：期限至 {due.isoformat()}" in html and "到期后监管人员上门复查" in html
    for secret in (SECRET_NOTE, SECRET_FINDINGS, SECRET_REPRESENTATIVE, "巡查员秘密名", "规范处置废弃物",
                   township_user.first_name):
        assert secret not in html, secret


def test_unconfirmed_hazard_record_stays_off_the_page_until_confirmed(client, producer, village_user, township_user,
                                                                      record):
    stored = record(producer, user=village_user, inspected_on=TODAY - datetime.timedelta(days=1))
    assert stored.obj.confirmed is False
    assert "尚无日常巡查记录" in page(client, producer).content.decode()
    inspection_confirm(inspection=stored.obj, user=township_user)
    html = page(client, producer).content.decode()
    assert "隐患排查：7 项均符合" in html


def test_rapid_and_quantitative_tests_in_plain_words(client, producer, record, township_user):
    inspection = record(producer, inspected_on=TODAY).obj
    sample = sample_take(producer=producer, user=township_user, product="番茄", inspection=inspection,
                         taken_at=noon(inspection.inspected_on)).obj
    rapid_test_record(sample=sample, user=township_user, method="enzyme", target="有机磷和氨基甲酸酯类农药",
                      inhibition_rate="62.5", tested_on=TODAY)
    positive = rapid_test_record(sample=sample, user=township_user, method="gold", target="克百威", result="suspect",
                                 tested_on=TODAY)
    lab_test_record(sample=sample, user=township_user, lab="昌吉州农产品质量检测中心", report_number="JC-001",
                    target="克百威", unit="mg/kg", limit="0.02", value="0.0500", reported_on=TODAY,
                    rapid_test=positive)
    html = page(client, producer).content.decode()
    assert "快速检测 番茄（有机磷和氨基甲酸酯类农药）" in html and "阳性，等待实验室定量检测确认" in html
    assert "可疑，已送实验室定量检测" in html
    assert "定量检测 番茄（克百威）" in html and "不合格：检测值 0.05 mg/kg，超过限量 0.02 mg/kg" in html
    assert html.count('<li class="inspections-') == 4  # the last four, whatever came first


def test_the_signboard_scan_shows_the_same_section(client, producer, record):
    record(producer, inspected_on=TODAY - datetime.timedelta(days=2))
    sign, _ = signboard_issue(producer=producer)
    html = page(client, producer, f"?s={sign.serial}").content.decode()
    assert f"{(TODAY - datetime.timedelta(days=2)).isoformat()}</time> 日常巡查：7 项均符合" in html


def test_english_page_says_it_in_english(client, producer, record):
    inspection = record(producer, results=with_failed_waste()).obj
    client.cookies["lang"] = "en"
    html = page(client, producer).content.decode()
    assert "Last inspection" in html and "Routine inspection: 1 item not compliant (disposal of input waste)" in html
    record(producer, inspected_on=inspection.inspected_on - datetime.timedelta(days=1))
    assert "all 7 items compliant" in page(client, producer).content.decode()


def test_a_new_inspection_changes_the_etag_through_http(client, producer, record):
    first = page(client, producer)
    etag = first["ETag"]
    assert page(client, producer, HTTP_IF_NONE_MATCH=etag).status_code == 304
    record(producer, inspected_on=TODAY - datetime.timedelta(days=1))
    again = page(client, producer, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
    assert f"{(TODAY - datetime.timedelta(days=1)).isoformat()}</time> 日常巡查" in again.content.decode()


def test_a_rectification_closed_by_follow_up_changes_the_page(client, producer, record, township_user):
    from inspections.services.records import follow_up_inspection

    inspection = record(producer, results=with_failed_waste(), inspected_on=TODAY - datetime.timedelta(days=5)).obj
    order = rectification_from_inspection(inspection=inspection, user=township_user, requirements="规范处置",
                                          due=TODAY + datetime.timedelta(days=10))
    etag = page(client, producer)["ETag"]
    follow = record(producer, kind="follow_up").obj
    follow_up_inspection(rectification=order, inspection=follow, user=township_user, passed=True)
    html = page(client, producer, HTTP_IF_NONE_MATCH=etag).content.decode()
    assert "整改中" not in html and "整改复查：7 项均符合" in html and "复查，已整改到位" in html


def _history(producer, record, township_user, count):
    for i in range(count):
        results = with_failed_waste() if i % 3 == 0 else dict(ALL_PASS)
        inspection = record(producer, inspected_on=TODAY - datetime.timedelta(days=i), results=results).obj
        sample = sample_take(producer=producer, user=township_user, product="黄瓜", inspection=inspection,
                         taken_at=noon(inspection.inspected_on)).obj
        rapid_test_record(sample=sample, user=township_user, method="gold", target="克百威", result="positive",
                          tested_on=inspection.inspected_on)
        lab_test_record(sample=sample, user=township_user, lab="检测中心", report_number=f"R{producer.pk}-{i}",
                        target="克百威", unit="mg/kg", limit="0.02", reported_on=inspection.inspected_on)
        if i % 3 == 0:
            rectification_from_inspection(inspection=inspection, user=township_user, requirements="整改",
                                          due=TODAY + datetime.timedelta(days=10 + i))


def _cold_queries(client, producer) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert page(client, producer).status_code == 200
    return len(ctx)


def test_page_queries_are_the_same_with_1_and_with_30_inspections(client, village, record, township_user,
                                                                  django_assert_num_queries):
    short, long = ProducerFactory(village=village), ProducerFactory(village=village)
    _history(short, record, township_user, 1)
    _history(long, record, township_user, 30)
    assert Inspection.objects.filter(producer=long).count() == 30
    page(client, short)  # warm per-process caches (content types, site settings)
    expected = _cold_queries(client, short)
    cache.clear()
    with django_assert_num_queries(expected):
        html = page(client, long).content.decode()
    assert html.count('<li class="inspections-') == 4
