"""/field/sync/: one record from the phone per request, stored once, refused with a reason the phone shows."""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inspections.models import Inspection, InspectionPhoto, PlannedVisit
from inspections.services.plans import visit_assign
from tests.inspections.field_helpers import jpeg, phone_record, post_record, visit_this_month

pytestmark = pytest.mark.django_db


def test_a_record_posted_twice_with_the_same_key_is_stored_once(login, township_user, producer):
    client = login(township_user)
    visit = visit_this_month(producer, township_user, township_user)
    payload = phone_record(producer, visit=visit)
    first = post_record(client, payload, [jpeg()])
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "stored" and first.json()["messages"] == []
    again = post_record(client, payload, [jpeg()])
    assert again.status_code == 200
    assert again.json()["status"] == "duplicate"
    assert again.json()["messages"] == ["这份记录此前已经收到，没有重复保存。"]
    inspection = Inspection.objects.get()
    assert str(inspection.client_key) == payload["client_key"]
    assert inspection.photos.count() == 1 and inspection.items.count() == 7
    assert PlannedVisit.objects.get(pk=visit.pk).inspection == inspection


def test_a_producer_outside_the_users_grids_is_refused_with_a_reason(login, other_township_user, producer):
    response = post_record(login(other_township_user), phone_record(producer))
    assert response.status_code == 403
    body = response.json()
    assert body["status"] == "rejected"
    assert body["messages"] == ["长丰蔬菜专业合作社属于三工镇长丰村，不在您负责的网格范围内。"]
    assert Inspection.objects.count() == 0


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"inspected_on": (datetime.date.today() + datetime.timedelta(days=1)).isoformat()},
     "inspected_on", "巡查日期不能晚于今天。"),
    ({"results": {str(i): {"result": "pass", "note": ""} for i in range(1, 7)}},
     "item_7", "请为“其他需要巡查的情况”选择符合、不符合或不适用。"),
    ({"inspected_on": "明天"}, "inspected_on", "请填写巡查日期。"),
])
def test_a_bad_record_is_refused_with_messages_and_nothing_stored(login, township_user, producer, change, field,
                                                                  message):
    response = post_record(login(township_user), phone_record(producer, **change), [jpeg()])
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "rejected" and body["errors"][field] == [message] and message in body["messages"]
    assert Inspection.objects.count() == 0 and InspectionPhoto.objects.count() == 0


def test_a_payload_that_is_not_a_record_is_refused(login, township_user, producer):
    client = login(township_user)
    response = client.post("/field/sync/", {"payload": "{not json"})
    assert response.status_code == 400
    assert response.json()["messages"] == ["记录格式不正确，请更新手机上的巡查页面后重试。"]
    response = post_record(client, phone_record(producer, client_key="not-a-uuid"))
    assert response.status_code == 400 and response.json()["messages"] == ["记录编号无效。"]
    assert Inspection.objects.count() == 0


def test_a_visit_reassigned_while_offline_is_stored_with_the_conflict_message(login, township_user, tester_user,
                                                                               producer):
    visit = visit_this_month(producer, township_user, township_user)
    payload = phone_record(producer, visit=visit)          # made offline while the visit was township_user's
    visit_assign(visit=visit, assignee=tester_user, user=township_user)
    response = post_record(login(township_user), payload)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "stored"
    assert body["messages"] == ["离线期间这次巡查已改派给sangong_tester姓名；您的记录已保存并计入这次巡查，请告知对方。"]
    inspection = Inspection.objects.get()
    assert inspection.planned_visit.pk == visit.pk and "已改派给" in inspection.conflict_note


def test_a_producer_changed_while_offline_is_stored_with_a_note(login, township_user, producer):
    payload = phone_record(producer, producer_seen_at=(producer.updated_at - datetime.timedelta(hours=2)).isoformat())
    response = post_record(login(township_user), payload)
    assert response.status_code == 201
    assert response.json()["messages"] == ["离线期间该主体的信息有更新，请到主体页面核对名称、地址和负责人。"]


def test_a_visit_of_another_producer_is_a_conflict_and_nothing_is_stored(login, township_user, producer):
    from tests.factories import ProducerFactory

    other = ProducerFactory(village=producer.village, name="另一家示例农场")
    visit = visit_this_month(other, township_user, township_user)
    response = post_record(login(township_user), phone_record(producer, visit=visit))
    assert response.status_code == 409
    assert response.json()["messages"] == ["这次计划巡查不是该主体的，请重新选择。"]
    assert Inspection.objects.count() == 0


def test_a_producer_gone_from_the_registry_is_a_conflict(login, township_user, producer):
    payload = phone_record(producer)
    payload["producer"] = producer.pk + 1000
    response = post_record(login(township_user), payload)
    assert response.status_code == 409
    assert "已不在名录中" in response.json()["messages"][0]


def test_a_non_image_photo_is_refused_and_nothing_stored(login, township_user, producer):
    fake = SimpleUploadedFile("现场.jpg", b"%PDF-1.4 not a photo at all" * 10, content_type="image/jpeg")
    response = post_record(login(township_user), phone_record(producer), [jpeg(), fake])
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "rejected" and body["errors"]["photos"]
    assert "现场.jpg" in body["messages"][0]
    assert Inspection.objects.count() == 0 and InspectionPhoto.objects.count() == 0


def test_a_record_made_under_another_login_is_not_stored_under_this_one(login, township_user, tester_user,
                                                                        producer):
    response = post_record(login(tester_user), phone_record(producer, user=township_user.pk))
    assert response.status_code == 409
    assert response.json()["errors"]["user"] == ["这条记录是这部手机上另一个账号做的，请该账号登录后发送。"]
    assert Inspection.objects.count() == 0


def test_sync_needs_a_login_and_csrf(client, township_user, producer):
    response = post_record(client, phone_record(producer))
    assert response.status_code == 401 and response.json()["messages"] == ["登录已过期，请重新登录。"]
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(township_user)
    assert post_record(strict, phone_record(producer)).status_code == 403
    assert Inspection.objects.count() == 0


def test_a_new_key_after_a_stored_record_is_a_second_inspection(login, township_user, producer):
    client = login(township_user)
    assert post_record(client, phone_record(producer)).status_code == 201
    assert post_record(client, phone_record(producer, client_key=str(uuid.uuid4()))).status_code == 201
    assert Inspection.objects.count() == 2
