"""Sampling on the phone (/field/sample/): sent through the same outbox, numbered by the server."""

import datetime
import uuid

import pytest
from django.utils import timezone

from inspections.models import Sample
from tests.inspections.field_helpers import post_record

pytestmark = pytest.mark.django_db


def sample_record(producer, **overrides) -> dict:
    payload = {"client_key": str(uuid.uuid4()), "kind": "sample", "producer": producer.pk, "product": "韭菜",
               "quantity": "1 千克", "place": "", "taken_at": timezone.localtime().replace(microsecond=0).isoformat()}
    payload.update(overrides)
    return payload


def test_a_sample_is_numbered_and_stored_once(login, tester_user, producer):
    client = login(tester_user)
    payload = sample_record(producer)
    first = post_record(client, payload)
    assert first.status_code == 201
    sample = Sample.objects.get()
    assert first.json()["messages"] == [f"样品编号 {sample.number}，请写在样品袋上。"]
    assert sample.place == "长丰村二组" and sample.taken_by == tester_user
    again = post_record(client, payload)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert sample.number in again.json()["messages"][-1]
    assert Sample.objects.count() == 1


def test_a_sample_taken_at_a_naive_local_time_counts_in_local_time(login, tester_user, producer):
    taken = (timezone.localtime() - datetime.timedelta(hours=1)).replace(microsecond=0, tzinfo=None)
    assert post_record(login(tester_user), sample_record(producer, taken_at=taken.isoformat())).status_code == 201
    assert timezone.localtime(Sample.objects.get().taken_at).replace(tzinfo=None) == taken


@pytest.mark.parametrize(("change", "message"), [
    ({"product": "  "}, "请填写样品名称。"),
    ({"taken_at": ""}, "请填写抽样时间。"),
    ({"taken_at": (timezone.now() + datetime.timedelta(hours=3)).isoformat()}, "抽样时间不能晚于现在。"),
    ({"client_key": "abc"}, "记录编号无效。"),
])
def test_a_bad_sample_is_refused_and_nothing_stored(login, tester_user, producer, change, message):
    response = post_record(login(tester_user), sample_record(producer, **change))
    assert response.status_code == 400 and message in response.json()["messages"]
    assert Sample.objects.count() == 0


def test_coordinators_do_not_sample(login, village_user, producer):
    client = login(village_user)
    response = post_record(client, sample_record(producer))
    assert response.status_code == 403
    assert response.json()["messages"] == ["这项工作由乡镇监管员或检测员办理；协管员可以记录本村的隐患排查。"]
    html = client.get("/field/sample/").content.decode()
    assert "抽样由乡镇监管员或检测员办理" in html and "data-inspect-form" not in html
    assert Sample.objects.count() == 0


def test_the_sample_form_lists_the_townships_producers(login, tester_user, producer):
    html = login(tester_user).get("/field/sample/").content.decode()
    assert "长丰蔬菜专业合作社" in html and 'data-kind="sample"' in html and 'type="datetime-local"' in html
