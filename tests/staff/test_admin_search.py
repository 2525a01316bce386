"""The admin home's search box: for staff who cannot edit pages it finds complaints (internal number, a tracking
code read out by the reporter, text), producers and people — only within the user's grids."""

import pytest
from django.urls import reverse

from tests.factories import PersonFactory, ProducerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(submit, village, other_township):
    from disclosure.models import Role
    from disclosure.services.grids import role_assign

    far_village = other_township.children.order_by("code").first()
    here = submit(description="大棚里有人喷洒甲胺磷。")
    far = submit(place_village=far_village, description="另一个乡镇的甲胺磷。")
    producer = ProducerFactory(village=village, name="长丰甲胺磷检查合作社")
    far_producer = ProducerFactory(village=far_village, name="远处甲胺磷合作社")
    person = PersonFactory(name="甲胺磷示例人")
    role_assign(person=person, grid=village, role=Role.COORDINATOR)
    far_person = PersonFactory(name="甲胺磷远处人")
    role_assign(person=far_person, grid=far_village, role=Role.COORDINATOR)
    return {"here": here, "far": far, "producer": producer, "far_producer": far_producer, "person": person,
            "far_person": far_person}


def test_the_home_search_box_goes_to_the_scoped_search(login, township_user):
    html = login(township_user).get(reverse("wagtailadmin_home")).content.decode()
    assert f'action="{reverse("staff_search")}"' in html
    assert "搜索投诉举报、生产主体和人员" in html


def test_finds_complaints_producers_and_people_within_scope(login, township_user, found):
    client = login(township_user)
    response = client.get(reverse("staff_search") + "?q=甲胺磷")
    assert response.status_code == 200
    html = response.content.decode()
    assert "没有权限" not in html
    assert found["here"].internal_number in html and found["far"].internal_number not in html
    assert "长丰甲胺磷检查合作社" in html and "远处甲胺磷合作社" not in html
    assert "甲胺磷示例人" in html and "甲胺磷远处人" not in html
    # the internal number staff cite, and the tracking code a reporter reads out (lower case, spaced)
    html = client.get(reverse("staff_search") + f"?q={found['here'].internal_number}").content.decode()
    assert reverse("triage:detail", args=[found["here"].pk]) in html
    code = found["here"].tracking_code.lower()
    html = client.get(reverse("staff_search") + f"?q={code[:4]} {code[4:8]} {code[8:]}").content.decode()
    assert reverse("triage:detail", args=[found["here"].pk]) in html
    html = client.get(reverse("staff_search") + f"?q={found['far'].tracking_code}").content.decode()
    assert reverse("triage:detail", args=[found["far"].pk]) not in html
