"""People and their roles over time: history on replacement, role rules, phone validation, scope."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from disclosure.models import Grid, Person, Role, RoleAssignment
from disclosure.services.grids import grids_for_user, role_assign, role_end
from disclosure.validators import is_valid_phone, normalise_phone, validate_phone
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_replacing_a_coordinator_shows_the_new_one_at_once_and_keeps_the_old_in_history(client, staffed_grids,
                                                                                      village):
    old = RoleAssignment.objects.current().get(grid=village, role=Role.COORDINATOR)
    successor = PersonFactory(name="示例接任协管员", phone="0994-0777777")
    role_assign(person=successor, grid=village, role=Role.COORDINATOR, start_date=TODAY, replace=True,
                note="原协管员工作调动")

    html = client.get("/grid/sangong/changfeng/").content.decode()
    assert "示例接任协管员" in html and 'href="tel:0994-0777777"' in html
    assert old.person.name not in html

    history = list(RoleAssignment.objects.filter(grid=village, role=Role.COORDINATOR).history())
    assert [a.person for a in history] == [successor, old.person]
    old.refresh_from_db()
    assert old.end_date == TODAY and not old.is_current
    assert history[0].is_current and history[0].note == "原协管员工作调动"
    # On a day before the change the old coordinator held the role.
    yesterday = TODAY - datetime.timedelta(days=1)
    assert RoleAssignment.objects.current(on=yesterday).get(grid=village, role=Role.COORDINATOR).person == old.person


def test_replacement_must_start_after_the_current_holder(staffed_grids, village):
    current = RoleAssignment.objects.current().get(grid=village)
    with pytest.raises(ValidationError) as exc:
        role_assign(person=PersonFactory(), grid=village, role=Role.COORDINATOR, start_date=current.start_date)
    assert "新任职日期必须晚于现任人员的任职日期" in exc.value.messages[0]


def test_the_same_person_cannot_hold_the_same_role_twice(staffed_grids, village):
    current = RoleAssignment.objects.current().get(grid=village)
    with pytest.raises(ValidationError) as exc:
        role_assign(person=current.person, grid=village, role=Role.COORDINATOR)
    assert "已经担任该网格的村级协管员" in exc.value.messages[0]


def test_a_role_is_held_only_on_its_level(grids, village, township):
    with pytest.raises(ValidationError) as exc:
        role_assign(person=PersonFactory(), grid=village, role=Role.TESTER)
    assert "乡镇监管站检测员不能设在村级网格上" in str(exc.value)
    with pytest.raises(ValidationError):
        role_assign(person=PersonFactory(), grid=township, role=Role.CITY_FIRST)
    assert role_assign(person=PersonFactory(), grid=Grid.objects.city(), role=Role.SUPERVISOR).pk


def test_two_holders_when_not_replacing_and_role_end_leaves_a_vacancy(client, grids, village):
    first = role_assign(person=PersonFactory(name="示例甲"), grid=village, role=Role.COORDINATOR,
                        start_date=TODAY - datetime.timedelta(days=10))
    role_assign(person=PersonFactory(name="示例乙"), grid=village, role=Role.COORDINATOR, replace=False)
    assert RoleAssignment.objects.current().filter(grid=village).count() == 2
    role_end(assignment=first, end_date=TODAY)
    html = client.get(village.get_absolute_url()).content.decode()
    assert "示例乙" in html and "示例甲" not in html
    with pytest.raises(ValidationError):
        role_end(assignment=first, end_date=first.start_date - datetime.timedelta(days=1))


def test_role_changes_touch_the_grid_so_cached_pages_and_posters_change(grids, village):
    before = Grid.objects.get(pk=village.pk).updated_at
    role_assign(person=PersonFactory(), grid=village, role=Role.COORDINATOR)
    assert Grid.objects.get(pk=village.pk).updated_at > before


@pytest.mark.parametrize("phone", ["13912345678", "0994-2345678", "09942345678", "0994 234 5678", "+86 139 1234 5678",
                                   "０９９４－２３４５６７８", "010-12345678", "0994-2345678-123", "12316"])
def test_valid_phones(phone):
    assert is_valid_phone(phone)
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["", "12340", "2345678", "1391234567", "139123456789", "11912345678",
                                   "0994-234567", "994-2345678", "abc", "0994-23456789-1234567"])
def test_invalid_phones_get_a_clear_chinese_message(phone):
    assert not is_valid_phone(phone)
    with pytest.raises(ValidationError) as exc:
        validate_phone(phone)
    assert "不是有效的电话号码" in exc.value.messages[0] and "0994-2345678" in exc.value.messages[0]


def test_person_phone_is_validated_and_normalised_on_clean():
    person = Person(name="示例", phone="+86 139 1234 5678")
    person.full_clean()
    assert person.phone == "13912345678"
    assert normalise_phone("（0994）2345678") == "09942345678"
    with pytest.raises(ValidationError) as exc:
        Person(name="示例", phone="12340").full_clean()
    assert "phone" in exc.value.message_dict


def test_public_phone_falls_back_to_the_hotline():
    person = Person(name="示例", phone="13912345678", phone_public=False)
    assert person.public_phone("0994-12316") == "0994-12316"
    person.phone_public = True
    assert person.public_phone("0994-12316") == "13912345678"


def test_a_linked_user_sees_the_grids_of_their_current_roles(staffed_grids, township, village):
    user = UserFactory(username="sangong_supervisor")
    supervisor = RoleAssignment.objects.current().get(grid=township, role=Role.SUPERVISOR).person
    supervisor.user = user
    supervisor.save()
    covered = set(grids_for_user(user).values_list("pk", flat=True))
    assert covered == {township.pk, *township.children.values_list("pk", flat=True)}
    # When they leave the role they cover nothing.
    role_end(assignment=RoleAssignment.objects.current().get(grid=township, role=Role.SUPERVISOR), end_date=TODAY)
    assert not grids_for_user(user).exists()
    coordinator = RoleAssignment.objects.current().get(grid=village).person
    coordinator.user = UserFactory(username="changfeng")
    coordinator.save()
    assert list(grids_for_user(coordinator.user)) == [village]
