"""Replacing a holder hands their open work over: a township supervisor replaces a village coordinator
who has open complaints, opens the newcomer's account in the same step, and the complaints follow."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from complaints.models import Complaint, State
from complaints.services import complaint_accept, complaint_assign, complaint_start_investigation
from disclosure.models import Role, RoleAssignment
from disclosure.services.handover import TO_QUEUE, role_replace

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def left_with(submit, township_user, village_user):
    """Two open complaints in the coordinator's hands: one assigned, one being investigated."""
    made = []
    for start in (False, True):
        c = submit()
        complaint_accept(complaint=c, user=township_user, expected_version=c.version)
        complaint_assign(complaint=c, user=township_user, expected_version=c.version, assignee=village_user)
        if start:
            complaint_start_investigation(complaint=c, user=village_user, expected_version=c.version)
        made.append(c)
    return made


def _replace_url(village):
    return reverse("grid_assignments:replace",
                   args=[RoleAssignment.objects.current().get(grid=village, role=Role.COORDINATOR).pk])


def test_the_complaints_follow_the_successor_whose_account_is_opened_in_the_same_step(
        login, township_user, village_user, village, left_with):
    client = login(township_user)
    page = client.get(_replace_url(village)).content.decode()
    assert "办理中的投诉举报 2 件" in page and "开通新账号" in page
    response = client.post(_replace_url(village), {
        "name": "接任协管员示例", "phone": "13900001111", "start_date": TODAY.isoformat(),
        "hand_over": "successor", "new_username": "xh_successor", "new_email": "xh@example.invalid"},
        follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "初始密码" in html and "2 件已移交给接任人员" in html
    successor = get_user_model().objects.get(username="xh_successor")
    assert list(successor.groups.values_list("name", flat=True)) == ["village_coordinator"]
    assert successor.grid_person.name == "接任协管员示例"
    for complaint in left_with:
        complaint.refresh_from_db()
        assert complaint.assignee == successor
    assert Complaint.objects.visible_to(successor).count() == 2
    assert not Complaint.objects.visible_to(village_user).exists()  # the departed account lost access


def test_or_they_go_back_to_the_township_queue(township_user, village_user, village, left_with):
    assignment = RoleAssignment.objects.current().get(grid=village, role=Role.COORDINATOR)
    done = role_replace(assignment=assignment, new_person={"name": "无账号接任", "phone": "13900002222"},
                        by=township_user, hand_over=TO_QUEUE)
    assert list(done.moved.values()) == [2]
    states = {c.pk: (c.assignee_id, c.state) for c in Complaint.objects.filter(pk__in=[x.pk for x in left_with])}
    assert states[left_with[0].pk] == (None, State.ACCEPTED)
    assert states[left_with[1].pk] == (None, State.INVESTIGATING)
    assert left_with[0].events.filter(note_internal__contains="退回待分派").exists()


def test_a_township_cannot_open_accounts_for_its_own_level(login, township_user, township):
    tester = RoleAssignment.objects.current().filter(grid=township).first()
    page = login(township_user).get(reverse("grid_assignments:replace", args=[tester.pk])).content.decode()
    assert "开通新账号" not in page
    with pytest.raises(Exception) as refused:
        role_replace(assignment=tester, new_person={"name": "某人", "phone": "13900003333"}, by=township_user,
                     new_username="someone")
    assert "请市级管理员开通" in str(refused.value)


def test_a_successor_starting_later_leaves_the_work_in_the_queue(township_user, village, left_with):
    assignment = RoleAssignment.objects.current().get(grid=village, role=Role.COORDINATOR)
    done = role_replace(assignment=assignment, new_person={"name": "下周接任", "phone": "13900004444"},
                        start_date=TODAY + datetime.timedelta(days=7), by=township_user, new_username="xh_later")
    assert done.to_successor is False and list(done.moved.values()) == [2]
    assert not Complaint.objects.filter(pk__in=[c.pk for c in left_with], assignee__isnull=False).exists()
