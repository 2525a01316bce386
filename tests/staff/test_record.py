"""Recording a complaint received by phone, in person, by letter or from the 12345 hotline."""

import pytest
from django.urls import reverse

from complaints.models import Action, Complaint, State

pytestmark = pytest.mark.django_db


def _data(village, **overrides):
    data = {"channel": "hotline_12345", "external_ref": "12345-2026-00042", "kind": "report",
            "category": "input_shop", "description": "来电反映：村口农资店私下销售克百威。",
            "place_township": village.parent_id, "place_village": village.pk, "address": "村口",
            "reporter_name": "来电人示例", "reporter_phone": "13912345678", "note_internal": "热线转办"}
    data.update(overrides)
    return data


def test_record_creates_a_submitted_complaint(login, village_user, village):
    client = login(village_user)
    assert client.get(reverse("triage:record")).status_code == 200
    response = client.post(reverse("triage:record"), _data(village))
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("triage:detail", args=[complaint.pk])
    assert complaint.state == State.SUBMITTED and complaint.channel == "hotline_12345"
    assert complaint.grid == village and complaint.recorded_by == village_user
    assert complaint.external_ref == "12345-2026-00042" and complaint.reporter_phone == "13912345678"
    event = complaint.events.get()
    assert event.action == Action.RECORD and event.note_internal == "热线转办"


def test_errors_stand_beside_fields_and_keep_everything(login, township_user, village):
    client = login(township_user)
    response = client.post(reverse("triage:record"), _data(village, description="", reporter_phone="12345",
                                                           received_at="2999-01-01T10:00"))
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["description"] == ["请填写“反映内容”。"]
    assert "不是有效的电话号码" in form.errors["reporter_phone"][0]
    assert form.errors["received_at"] == ["收到时间不能晚于现在。"]
    html = response.content.decode()
    assert 'value="12345-2026-00042"' in html and 'value="来电人示例"' in html
    assert not Complaint.objects.exists()


def test_grid_outside_the_users_scope_is_refused(login, village_user, village, other_village):
    client = login(village_user)
    response = client.post(reverse("triage:record"), _data(other_village, place_township=other_village.parent_id))
    assert response.status_code == 403
    assert "不在您负责的网格范围内" in response.content.decode()
    assert not Complaint.objects.exists()


def test_anonymous_with_a_name_is_refused(login, township_user, village):
    response = login(township_user).post(reverse("triage:record"), _data(village, anonymous="on"))
    assert response.status_code == 400
    assert "选择匿名时不保存姓名和联系方式" in response.content.decode()


def test_without_record_permission(login, make_staff, township, staff_groups):
    from django.contrib.auth.models import Group, Permission

    from disclosure.models import Role

    group = Group.objects.create(name="viewers")
    group.permissions.add(*Permission.objects.filter(codename__in=["view_complaint", "access_admin"]))
    client = login(make_staff("viewer", township, Role.TESTER, "viewers"))
    response = client.get(reverse("triage:record"))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert "登记来电来访" not in client.get(reverse("triage:index")).content.decode()
