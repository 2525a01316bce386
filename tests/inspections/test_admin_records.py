"""Inspection records in the back office: recording one through the desktop form (bad input beside its
field, nothing saved), ordering rectification and the other steps through the page's forms, confirming a
coordinator's record, the list's filters, and scoping (another township gets 404 for everything)."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from casework.models import Rectification, RectificationState, Referral
from inspections.models import Inspection, InspectionPhoto, LabTest, Outcome, RapidTest, Sample
from inspections.services.records import sample_take

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (90, 140, 60)).save(out, format="JPEG")
    return SimpleUploadedFile("site.jpg", out.getvalue(), content_type="image/jpeg")


def _form(producer, **overrides) -> dict:
    data = {"producer": producer.pk, "kind": "routine", "inspected_on": TODAY.isoformat(),
            "inspector_names": "王监管、李检测", "representative": "张示例", "other_findings": ""}
    for n in range(1, 8):
        data[f"item_{n}"] = "pass"
        data[f"note_{n}"] = ""
    data.update(overrides)
    return data


def _field_html(html: str, field_id: str, before: int = 200, after: int = 900) -> str:
    at = html.index(field_id)
    return html[max(0, at - before):at + after]


def test_a_failing_item_without_a_note_is_refused_beside_it_and_nothing_is_saved(login, township_user, producer):
    client = login(township_user)
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    response = client.post(reverse("inspections:record"), _form(producer, inspected_on=tomorrow))
    assert response.status_code == 400
    assert "巡查日期不能晚于今天" in _field_html(response.content.decode(), 'id="id_inspected_on"', before=1200)
    response = client.post(reverse("inspections:record"), _form(producer, item_3="fail", item_5=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "不符合时，请写明发现的问题" in _field_html(html, 'id="item-3"', after=1500)
    assert "请为“农业投入品废弃物处置情况”选择符合、不符合或不适用" in _field_html(html, 'id="item-5"', after=1500)
    # What was typed is kept.
    assert 'value="王监管、李检测"' in html and re.search(r'name="item_3" value="fail"[^>]*checked', html)
    assert Inspection.objects.count() == 0


def test_record_with_a_failing_item_then_order_rectification(login, township_user, producer):
    client = login(township_user)
    response = client.post(reverse("inspections:record"), _form(
        producer, item_3="fail", note_3="采收前3天喷药，未落实安全间隔期", other_findings="仓库农药未上锁",
        photos=[_jpeg(), _jpeg()]))
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("inspections:detail",
                                                                          args=[inspection.pk])
    assert inspection.failed_items == 1 and inspection.confirmed and inspection.photos.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "1项不符合" in page and "采收前3天喷药" in page and "仓库农药未上锁" in page
    # The rectification form is open (a failed item) with the suggested deadline filled in.
    assert re.search(r'<details class="staff-action" id="rectify" open>', page)
    # A deadline in the past is refused beside the deadline; nothing is saved.
    act = reverse("inspections:act", args=[inspection.pk, "rectify"])
    response = client.post(act, {"requirements": "立即停止采收，按安全间隔期执行", "due": TODAY.isoformat()})
    assert response.status_code == 400
    assert "整改期限必须是今天以后的日期" in _field_html(response.content.decode(), 'id="id_due"', before=1200)
    assert not Rectification.objects.exists()
    due = TODAY + datetime.timedelta(days=10)
    response = client.post(act, {"requirements": "立即停止采收，按安全间隔期执行", "due": due.isoformat()})
    assert response.status_code == 302
    order = Rectification.objects.get()
    assert order.producer == producer and order.source == inspection and order.due == due
    page = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert "整改中" in page and "立即停止采收" in page


def test_sample_rapid_test_and_lab_test_through_the_page(login, tester_user, producer, record, settings):
    inspection = record(producer).obj
    client = login(tester_user)
    act = lambda action, **data: client.post(reverse("inspections:act", args=[inspection.pk, action]), data)  # noqa: E731
    assert act("sample", product="", place="").status_code == 400
    assert act("sample", product="小白菜", quantity="1kg").status_code == 302
    sample = Sample.objects.get()
    assert sample.number.startswith("YP") and sample.place == producer.address
    # 酶抑制法 without a rate: refused beside the rate. With 62 %: positive whatever was ticked.
    response = act("rapid_test", sample=sample.pk, method="enzyme", target="有机磷和氨基甲酸酯类农药",
                   result="negative", tested_on=TODAY.isoformat())
    assert response.status_code == 400
    assert "酶抑制法请填写抑制率" in _field_html(response.content.decode(), 'id="id_inhibition_rate"', before=1200)
    assert act("rapid_test", sample=sample.pk, method="enzyme", target="有机磷和氨基甲酸酯类农药",
               inhibition_rate="62", result="negative", tested_on=TODAY.isoformat()).status_code == 302
    rapid = RapidTest.objects.get()
    assert rapid.result == Outcome.POSITIVE
    # A quantitative value without a unit or a limit: both refused beside their fields, nothing saved.
    response = act("lab_test", sample=sample.pk, rapid_test=rapid.pk, lab="昌吉州农产品质量检测中心",
                   report_number="JC2026-001", target="毒死蜱", value="0.35", limit="", unit="",
                   reported_on=TODAY.isoformat())
    html = response.content.decode()
    assert response.status_code == 400 and not LabTest.objects.exists()
    assert "请填写检测值的单位" in _field_html(html, 'id="id_unit"', before=1200)
    assert "请填写限量值" in _field_html(html, 'id="id_limit"', before=1200)
    assert act("lab_test", sample=sample.pk, rapid_test=rapid.pk, lab="昌吉州农产品质量检测中心",
               report_number="JC2026-001", target="毒死蜱", value="0.35", limit="0.1", unit="mg/kg",
               reported_on=TODAY.isoformat()).status_code == 302
    page = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert sample.number in page and "阳性" in page and "不合格" in page and "0.35" in page
    assert reverse("inspections:sample_label", args=[sample.pk]) in page


def test_a_test_without_a_sample_is_refused(login, tester_user, producer, record):
    inspection = record(producer).obj
    client = login(tester_user)
    page = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert 'id="rapid_test"' not in page  # offered only once there is a sample
    response = client.post(reverse("inspections:act", args=[inspection.pk, "rapid_test"]), {
        "sample": "", "method": "gold", "target": "克伦特罗", "result": "positive", "tested_on": TODAY.isoformat()})
    assert response.status_code == 400 and "请先登记抽样" in response.content.decode()
    assert not RapidTest.objects.exists()


def test_follow_up_closes_the_order_and_referral_records_what_was_sent(login, township_user, producer, record):
    client = login(township_user)
    first = record(producer, results={**dict.fromkeys(range(1, 8), ("pass", "")), 5: ("fail", "农药包装随意丢弃")}).obj
    client.post(reverse("inspections:act", args=[first.pk, "rectify"]),
                {"requirements": "回收农药包装废弃物", "due": (TODAY + datetime.timedelta(days=5)).isoformat()})
    order = Rectification.objects.get()
    second = record(producer, kind="follow_up").obj
    page = client.get(reverse("inspections:detail", args=[second.pk])).content.decode()
    assert 'id="follow_up"' in page and "回收农药包装废弃物" in page
    act = reverse("inspections:act", args=[second.pk, "follow_up"])
    response = client.post(act, {"rectification": order.pk, "outcome": "again", "new_due": ""})
    assert response.status_code == 400 and "请给出新的整改期限" in response.content.decode()
    assert client.post(act, {"rectification": order.pk, "outcome": "passed"}).status_code == 302
    order.refresh_from_db()
    assert order.state == RectificationState.DONE and order.closed_on == TODAY
    # Referral: the county's agency is suggested; what was sent is kept.
    page = client.get(reverse("inspections:detail", args=[first.pk])).content.decode()
    assert 'value="县级农业农村部门（农业综合执法机构）"' in page
    assert client.post(reverse("inspections:act", args=[first.pk, "refer"]), {
        "agency": "县级农业农村部门（农业综合执法机构）", "summary": "现场照片2张、巡查记录1份"}).status_code == 302
    referral = Referral.objects.get()
    assert referral.source == first and referral.summary == "现场照片2张、巡查记录1份"


def test_a_coordinators_record_waits_for_the_township_to_confirm_it(login, village_user, township_user, producer):
    coordinator = login(village_user)
    form = coordinator.get(reverse("inspections:record")).content.decode()
    assert 'name="kind"' not in form and "隐患排查" in form
    data = _form(producer, item_2="fail", note_2="购进农药无台账")
    data.pop("kind")
    assert coordinator.post(reverse("inspections:record"), data).status_code == 302
    inspection = Inspection.objects.get()
    assert not inspection.confirmed and inspection.kind == "hazard"
    township = login(township_user)
    waiting = township.get(reverse("inspections:index"), {"awaiting": "yes"}).content.decode()
    assert reverse("inspections:detail", args=[inspection.pk]) in waiting
    assert township.post(reverse("inspections:act", args=[inspection.pk, "confirm"])).status_code == 302
    inspection.refresh_from_db()
    assert inspection.confirmed and inspection.confirmed_by == township_user
    waiting = township.get(reverse("inspections:index"), {"awaiting": "yes"}).content.decode()
    assert reverse("inspections:detail", args=[inspection.pk]) not in waiting


def test_list_filters_by_failed_items_and_dates(login, township_user, producer, record):
    passed = record(producer, inspected_on=TODAY - datetime.timedelta(days=40)).obj
    failed = record(producer, results={**dict.fromkeys(range(1, 8), ("pass", "")), 1: ("fail", "无生产记录")}).obj
    client = login(township_user)
    link = lambda i: reverse("inspections:detail", args=[i.pk])  # noqa: E731
    html = client.get(reverse("inspections:index")).content.decode()
    assert link(passed) in html and link(failed) in html
    html = client.get(reverse("inspections:index"), {"failed": "yes"}).content.decode()
    assert link(failed) in html and link(passed) not in html
    since = (TODAY - datetime.timedelta(days=10)).isoformat()
    html = client.get(reverse("inspections:index"), {"date_from": since}).content.decode()
    assert link(failed) in html and link(passed) not in html


def test_another_township_gets_404_for_the_record_its_photos_pdfs_and_actions(login, township_user,
                                                                                other_township_user, producer,
                                                                                record):
    inspection = record(producer, photos=[_jpeg()]).obj
    sample = sample_take(producer=producer, user=township_user, product="小白菜", inspection=inspection).obj
    photo = InspectionPhoto.objects.get()
    mine = login(township_user)
    assert mine.get(reverse("inspections:photo", args=[photo.pk]))["Content-Type"] == "image/jpeg"
    client = login(other_township_user)
    assert reverse("inspections:detail", args=[inspection.pk]) not in client.get(
        reverse("inspections:index")).content.decode()
    for url in (reverse("inspections:detail", args=[inspection.pk]),
                reverse("inspections:photo", args=[photo.pk]),
                reverse("inspections:photo_thumbnail", args=[photo.pk]),
                reverse("inspections:record_pdf", args=[inspection.pk]),
                reverse("inspections:sample_label", args=[sample.pk])):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("inspections:act", args=[inspection.pk, "rectify"]),
                           {"requirements": "越权", "due": (TODAY + datetime.timedelta(days=3)).isoformat()})
    assert response.status_code == 404 and not Rectification.objects.exists()
    # Recording for a producer outside the user's grids: the producer is not offered and is refused.
    response = client.post(reverse("inspections:record"), _form(producer))
    assert response.status_code == 400 and Inspection.objects.count() == 1
    # Nobody logged out reaches a photo.
    client.logout()
    assert client.get(reverse("inspections:photo", args=[photo.pk])).status_code == 302


def test_the_inspection_page_in_english(login, township_user, producer, record):
    from wagtail.users.models import UserProfile

    inspection = record(producer, results={**dict.fromkeys(range(1, 8), ("pass", "")), 3: ("fail", "未落实")}).obj
    UserProfile.get_for_user(township_user).__class__.objects.filter(user=township_user).update(
        preferred_language="en")
    client = login(township_user)
    for url, words in ((reverse("inspections:detail", args=[inspection.pk]), ["Order rectification", "Not compliant"]),
                       (reverse("inspections:record"), ["Record an inspection", "Compliant"]),
                       (reverse("inspections:plans"), ["Yearly inspection plans"]),
                       (reverse("inspections:index"), ["Inspection records"])):
        html = client.get(url).content.decode()
        main = html[html.index("<main"):]
        for word in words:
            assert word in main, (url, word)
        text = re.sub(r"<[^>]+>", " ", main)
        marks = re.findall(r".{0,12}(?:[A-Za-z][：（），；。]|[（][A-Za-z]).{0,12}", text)
        assert not marks, (url, marks[:5])
