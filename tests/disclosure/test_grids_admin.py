"""The grid screens of the back office: the tree, revisions, replacing a holder, scoping to the user's grids."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.models import Grid, Person, Role, RoleAssignment
from disclosure.services.grids import role_assign
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
GRIDS = "/admin/snippets/disclosure/grid/"
PEOPLE = "/admin/snippets/disclosure/person/"
ASSIGNMENTS = "/admin/grid-assignments/"
TODAY = datetime.date.today()


@pytest.fixture
def admin(client):
    client.force_login(UserFactory(username="grid_admin", is_superuser=True))
    return client


def township_user(township, perms=("view_grid", "change_grid", "view_person", "change_person", "add_person",
                                   "view_roleassignment", "add_roleassignment", "change_roleassignment")):
    group, _ = Group.objects.get_or_create(name="grid_township_test")
    group.permissions.add(*Permission.objects.filter(codename__in=["access_admin", *perms]))
    user = UserFactory(username="sangong_staff")
    user.groups.add(group)
    person = RoleAssignment.objects.current().get(grid=township, role=Role.SUPERVISOR).person
    person.user = user
    person.save()
    return user


def test_grids_are_listed_as_a_tree_with_links_to_children(admin, staffed_grids, township):
    html = admin.get(GRIDS).content.decode()
    city, sangong, changfeng, miaogong = (html.index(name) for name in ("昌吉市", "三工镇", "长丰村", "庙工村"))
    assert city < sangong < changfeng < miaogong
    assert "\u3000\u3000\u3000\u3000└ 长丰村" in html
    assert f'href="{GRIDS}?parent={township.pk}"' in html and "7 个村" in html
    children = admin.get(f"{GRIDS}?parent={township.pk}").content.decode()
    assert "长丰村" in children and "楼庄子村" not in children


def test_editing_a_grid_and_a_person_records_revisions(admin, staffed_grids, village):
    data = {"name": village.name, "level": village.level, "code": village.code, "slug": village.slug,
            "parent": village.parent_id, "sort_order": village.sort_order, "duties": "巡查本村生产主体",
            "note": "示例备注", "boundary": "null"}
    response = admin.post(f"{GRIDS}edit/{village.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors
    village.refresh_from_db()
    assert village.note == "示例备注" and village.duty_list == ["巡查本村生产主体"]
    assert village.revisions.count() == 1

    person = RoleAssignment.objects.current().get(grid=village).person
    response = admin.post(f"{PEOPLE}edit/{person.pk}/", {
        "name": person.name, "position": "村委主任", "organisation": "", "phone": "139 0000 1234",
        "phone_alt": "", "phone_public": "on", "note": ""})
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.position == "村委主任" and person.phone == "13900001234"
    assert person.revisions.count() == 1


def test_a_bad_phone_is_refused_in_the_person_form(admin, staffed_grids, village):
    person = RoleAssignment.objects.current().get(grid=village).person
    response = admin.post(f"{PEOPLE}edit/{person.pk}/", {"name": person.name, "phone": "12340", "phone_public": "on"})
    assert response.status_code == 200
    assert "不是有效的电话号码" in response.content.decode()


def test_a_boundary_file_is_uploaded_and_checked(admin, staffed_grids, township):
    data = {"name": township.name, "level": township.level, "code": township.code, "slug": township.slug,
            "parent": township.parent_id, "sort_order": township.sort_order, "duties": "", "note": "",
            "boundary": "null"}
    bad = SimpleUploadedFile("b.geojson", b'{"type": "Point", "coordinates": [87, 44]}')
    response = admin.post(f"{GRIDS}edit/{township.pk}/", {**data, "boundary_file": bad})
    assert response.status_code == 200 and "Polygon" in response.content.decode()
    square = {"type": "Polygon", "coordinates": [[[87.1, 44.0], [87.2, 44.0], [87.2, 44.1], [87.1, 44.0]]]}
    good = SimpleUploadedFile("b.geojson", json.dumps({"type": "Feature", "geometry": square}).encode())
    response = admin.post(f"{GRIDS}edit/{township.pk}/", {**data, "boundary_file": good})
    assert response.status_code == 302
    township.refresh_from_db()
    assert township.boundary["type"] == "Feature"


def test_people_listing_shows_current_roles(admin, staffed_grids, village):
    person = RoleAssignment.objects.current().get(grid=village).person
    html = admin.get(f"{PEOPLE}?role=coordinator&q={person.name}").content.decode()
    assert person.name in html and "三工镇长丰村 村级协管员" in html


def test_replace_holder_in_the_admin_changes_the_public_page_and_keeps_history(admin, staffed_grids, village):
    old = RoleAssignment.objects.current().get(grid=village, role=Role.COORDINATOR)
    listing = admin.get(f"{ASSIGNMENTS}?grid={village.pk}").content.decode()
    assert f"{ASSIGNMENTS}replace/{old.pk}/" in listing
    response = admin.post(f"{ASSIGNMENTS}replace/{old.pk}/", {
        "name": "示例后台接任", "position": "村委委员", "organisation": "", "phone": "0994-0888888",
        "start_date": TODAY.isoformat(), "note": "原协管员工作调动"})
    assert response.status_code == 302
    from django.test import Client

    html = Client().get("/grid/sangong/changfeng/").content.decode()
    assert "示例后台接任" in html and 'href="tel:0994-0888888"' in html and old.person.name not in html
    history = admin.get(f"{ASSIGNMENTS}?grid={village.pk}&status=all").content.decode()
    assert old.person.name in history and "示例后台接任" in history and "已离任" in history
    assert Person.objects.get(name="示例后台接任").revisions.count() == 1


def test_replace_with_an_existing_person_and_errors_in_words(admin, staffed_grids, village):
    old = RoleAssignment.objects.current().get(grid=village, role=Role.COORDINATOR)
    response = admin.post(f"{ASSIGNMENTS}replace/{old.pk}/", {"start_date": TODAY.isoformat()})
    assert response.status_code == 400 and "请选择接任人员" in response.content.decode()
    response = admin.post(f"{ASSIGNMENTS}replace/{old.pk}/", {"person": old.person_id, "start_date": TODAY.isoformat()})
    assert response.status_code == 400 and "已经担任该网格的村级协管员" in response.content.decode()
    other = PersonFactory(name="示例已登记人员")
    response = admin.post(f"{ASSIGNMENTS}replace/{old.pk}/", {"person": other.pk, "start_date": TODAY.isoformat()})
    assert response.status_code == 302
    assert RoleAssignment.objects.current().get(grid=village).person == other


def test_end_and_add_go_through_the_services(admin, staffed_grids, village):
    old = RoleAssignment.objects.current().get(grid=village, role=Role.COORDINATOR)
    assert admin.post(f"{ASSIGNMENTS}end/{old.pk}/", {"end_date": TODAY.isoformat()}).status_code == 302
    assert not RoleAssignment.objects.current().filter(grid=village).exists()
    person = PersonFactory(name="示例新增协管员")
    response = admin.post(f"{ASSIGNMENTS}new/", {"grid": village.pk, "role": Role.COORDINATOR, "person": person.pk,
                                                 "start_date": TODAY.isoformat(), "note": "", "replace": "on"})
    assert response.status_code == 302
    assert RoleAssignment.objects.current().get(grid=village).person == person
    response = admin.post(f"{ASSIGNMENTS}new/", {"grid": village.pk, "role": Role.TESTER, "person": person.pk,
                                                 "start_date": TODAY.isoformat()})
    assert response.status_code == 200 and "不能设在村级网格上" in response.content.decode()


def test_township_staff_see_only_their_grids(client, staffed_grids, township):
    client.force_login(township_user(township))
    other = Grid.objects.townships().exclude(pk=township.pk).first()
    other_assignment = RoleAssignment.objects.current().filter(grid=other).first()
    html = client.get(f"{ASSIGNMENTS}?status=all").content.decode()
    assert "三工镇长丰村" in html and other.name not in html
    assert client.get(f"{ASSIGNMENTS}replace/{other_assignment.pk}/").status_code == 404
    assert client.get(f"{GRIDS}edit/{other.pk}/").status_code == 404
    assert client.get(f"{GRIDS}edit/{township.pk}/").status_code == 200
    grids_html = client.get(GRIDS).content.decode()
    assert "长丰村" in grids_html and other.name not in grids_html
    role_assign(person=PersonFactory(name="示例外镇人员"), grid=other, role=Role.TESTER, start_date=TODAY)
    assert "示例外镇人员" not in client.get(PEOPLE).content.decode()
