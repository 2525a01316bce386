"""The back office on a phone, as a village coordinator lives in it (issue 12, points 1, 2 and 4):
the step a complaint waits for comes first and open; a drafted reply goes to another approver, who is told
and sees it counted on the home screen; replacing the coordinator hands the open complaints to the newcomer,
whose account is opened in the same step. (Point 6, background printing: test_signboard_job.py.)"""

import datetime
import os
import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-only"  # tests.factories.UserFactory's
COORDINATOR_NAME = "长丰村协管员示例"
SUPERVISOR_NAME = "三工镇监管员示例"


@pytest.fixture
def people(grids, township, village):
    from django.contrib.auth.models import Group

    from disclosure.models import Role
    from disclosure.services.grids import role_assign
    from staff.roles import staff_roles_setup
    from tests.factories import PersonFactory, UserFactory

    staff_roles_setup()
    start = datetime.date.today() - datetime.timedelta(days=100)
    made = {}
    for username, grid, role, group, name in (
            ("sangong", township, Role.SUPERVISOR, "township_supervisor", SUPERVISOR_NAME),
            ("changfeng", village, Role.COORDINATOR, "village_coordinator", COORDINATOR_NAME)):
        user = UserFactory(username=username, first_name=name, email=f"{username}@example.invalid")
        role_assign(person=PersonFactory(name=name, user=user), grid=grid, role=role, start_date=start)
        user.groups.add(Group.objects.get(name=group))
        made[username] = user
    return made


def _in_coordinators_hands(people, village, *, until="rectifying", description="大棚里有人喷洒甲胺磷。"):
    """A complaint accepted and assigned by the township, taken up by the coordinator and, by default, under
    rectification — all through the services, as the back office would."""
    from complaints.services import (
        complaint_accept,
        complaint_assign,
        complaint_check_rectification,
        complaint_order_rectification,
        complaint_start_investigation,
    )
    from tests.factories import complaint_submit_for_tests

    supervisor, coordinator = people["sangong"], people["changfeng"]
    c = complaint_submit_for_tests(place_village=village, description=description)
    complaint_accept(complaint=c, user=supervisor, expected_version=c.version)
    complaint_assign(complaint=c, user=supervisor, expected_version=c.version, assignee=coordinator)
    if until == "assigned":
        return c
    complaint_start_investigation(complaint=c, user=coordinator, expected_version=c.version)
    complaint_order_rectification(complaint=c, user=coordinator, expected_version=c.version,
                                  due=datetime.date.today() + datetime.timedelta(days=7),
                                  requirements="停止使用甲胺磷，清理剩余药瓶。")
    if until == "rectified":
        complaint_check_rectification(complaint=c, user=coordinator, expected_version=c.version, passed=True,
                                      findings="现场复查，已清理完毕。")
    return c


def _sign_in(page, live_server, username, password=PASSWORD):
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")


def _open_from_queue(page, live_server, complaint):
    page.goto(live_server.url + "/admin/triage/")
    page.locator("table.staff-queue").get_by_role("link", name=complaint.internal_number).click()
    page.wait_for_url(f"**/admin/triage/{complaint.pk}/")


def _actions(page):
    """The action forms in page order: [(id, is open)]."""
    return page.evaluate("[...document.querySelectorAll('details.staff-action')].map(d => [d.id, d.open])")


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1


def _state(page):
    return page.locator(".staff-summary .staff-state").inner_text()


def _shot(page, name):
    """The admin scrolls inside its own container, so this is what the phone shows now (set SCREENSHOT_DIR)."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, name))


def test_the_step_waiting_comes_first_and_open(live_server, phone_page, browser, home, people, village):
    """Point 1: under rectification, 整改复查 is the open first step — for the coordinator and for the supervisor,
    who may also assign (分派 stays folded below); once it is done, 拟定答复 takes its place."""
    from playwright.sync_api import expect

    from complaints.models import State
    from tests.conftest import PHONE

    complaint = _in_coordinators_hands(people, village)
    page = phone_page
    _sign_in(page, live_server, "changfeng")
    _open_from_queue(page, live_server, complaint)
    assert _state(page) == "限期整改中"
    actions = _actions(page)
    assert actions[0] == ["action-check_rectification", True], actions
    assert not any(is_open for _id, is_open in actions[1:]), actions
    first = page.locator("details.staff-action").first
    assert first.locator("summary").inner_text() == "整改复查" and first.locator("textarea").first.is_visible()
    assert complaint.display_code not in page.content()  # staff see the internal number only
    _no_sideways_scroll(page)
    _shot(page, "step-first-coordinator-phone.png")

    # The township supervisor may assign too; 分派 no longer pushes the waiting step down.
    context = browser.new_context(**PHONE)
    try:
        other = context.new_page()
        _sign_in(other, live_server, "sangong")
        _open_from_queue(other, live_server, complaint)
        actions = _actions(other)
        assert actions[0] == ["action-check_rectification", True], actions
        assert ["action-assign", False] in actions
        assert not any(is_open for _id, is_open in actions[1:]), actions
        _no_sideways_scroll(other)
    finally:
        context.close()

    # The coordinator does the re-check on the phone; the next step, 拟定答复, now comes first and open.
    first.get_by_label("整改到位", exact=True).check()
    first.locator("textarea[name=findings]").fill("现场复查，剩余药瓶已清理。")
    first.get_by_role("button", name="确认整改复查").click()
    expect(page.locator(".staff-summary .staff-state")).to_have_text("整改已复查")
    actions = _actions(page)
    assert actions[0] == ["action-draft_reply", True], actions
    assert not any(is_open for _id, is_open in actions[1:]), actions
    _no_sideways_scroll(page)
    complaint.refresh_from_db()
    assert complaint.state == State.RECTIFIED


def test_a_drafted_reply_goes_to_another_approver(live_server, phone_page, desktop_page, home, people, village):
    """Point 2: the coordinator drafts the reply on the phone and is told it waits for another approver, with
    no 审核答复 of their own; the township supervisor is e-mailed, sees 答复待审核 1 at home, and approves."""
    from playwright.sync_api import expect

    from complaints.models import State

    complaint = _in_coordinators_hands(people, village, until="rectified")
    mail.outbox.clear()
    page = phone_page
    _sign_in(page, live_server, "changfeng")
    _open_from_queue(page, live_server, complaint)
    draft = page.locator("#action-draft_reply")
    assert draft.get_attribute("open") is not None
    draft.locator("textarea[name=reply]").fill("经现场核实，反映情况属实，已责令整改并复查到位。")
    draft.get_by_role("button", name="确认拟定答复").click()
    expect(page.locator(".staff-summary .staff-state")).to_have_text("答复待审核")
    waiting = page.locator(".staff-waiting")
    assert "等待另一位有审核权限的工作人员审核" in waiting.inner_text()
    assert waiting.is_visible()
    assert page.locator("#action-approve_reply").count() == 0
    assert page.get_by_role("button", name=re.compile("审核")).count() == 0
    _no_sideways_scroll(page)
    _shot(page, "reply-waiting-coordinator-phone.png")

    # The approver of that level is told by e-mail (the drafter is not).
    sent = [m for m in mail.outbox if "答复待您审核" in m.subject]
    assert [m.to for m in sent] == [["sangong@example.invalid"]]
    assert complaint.internal_number in sent[0].subject and complaint.display_code not in sent[0].body
    assert f"/admin/triage/{complaint.pk}/" in sent[0].body

    other = desktop_page
    _sign_in(other, live_server, "sangong")
    panel = other.locator("#complaints-summary-section")
    to_approve = panel.get_by_role("link", name=re.compile("答复待审核"))
    assert re.sub(r"\s+", " ", to_approve.inner_text()).strip() == "1 答复待审核"
    to_approve.click()
    other.wait_for_url("**/admin/triage/?**")
    rows = other.locator("table.staff-queue tbody tr")
    assert rows.count() == 1 and "答复待审核" in rows.first.inner_text()
    rows.first.get_by_role("link", name=complaint.internal_number).click()
    other.wait_for_url(f"**/admin/triage/{complaint.pk}/")
    approve = other.locator("details.staff-action").first
    assert approve.get_attribute("id") == "action-approve_reply" and approve.get_attribute("open") is not None
    assert approve.locator("summary").inner_text() == "审核通过答复"
    assert "已责令整改并复查到位" in approve.locator("textarea[name=reply]").input_value()
    approve.get_by_role("button", name="确认审核通过答复").click()
    expect(other.locator(".staff-summary .staff-state")).to_have_text("答复已审核")
    assert f"{SUPERVISOR_NAME}于" in other.locator(".staff-content").inner_text()

    complaint.refresh_from_db()
    assert complaint.state == State.REPLY_APPROVED
    assert complaint.reply_drafted_by == people["changfeng"] and complaint.reply_approved_by == people["sangong"]


def test_replacing_the_coordinator_hands_the_complaints_to_the_newcomer(live_server, phone_page, browser, home,
                                                                        people, village):
    """Point 4: the supervisor replaces the coordinator on a phone, hands the open complaints over and opens
    the newcomer's account in the same step; the newcomer signs in on a phone and finds them, the departed
    coordinator's account no longer does."""
    from playwright.sync_api import expect

    from disclosure.models import Role, RoleAssignment
    from tests.conftest import PHONE

    rectifying = _in_coordinators_hands(people, village)
    assigned = _in_coordinators_hands(people, village, until="assigned", description="菜地旁边堆着农药空瓶。")
    assignment = RoleAssignment.objects.current().get(grid=village, role=Role.COORDINATOR)

    page = phone_page
    _sign_in(page, live_server, "sangong")
    page.goto(live_server.url + reverse("grid_assignments:replace", args=[assignment.pk]))
    note = page.get_by_role("note")
    assert "办理中的投诉举报 2 件" in note.inner_text() and COORDINATOR_NAME in note.inner_text()
    _no_sideways_scroll(page)
    _shot(page, "replace-phone.png")

    page.fill("input[name=name]", "接任协管员示例")
    page.fill("input[name=phone]", "13900001111")
    page.get_by_label("移交给接任人员", exact=False).check()
    page.fill("input[name=new_username]", "xh_changfeng")
    page.locator("input[name=new_username]").scroll_into_view_if_needed()
    _shot(page, "replace-filled-phone.png")
    page.get_by_role("button", name="确认更换").click()
    page.wait_for_url("**/admin/grid-assignments/**")
    messages = page.locator(".messages")
    expect(messages).to_contain_text("已由长丰村协管员示例更换为接任协管员示例")
    text = messages.inner_text()
    assert "办理中的投诉举报 2 件已移交给接任人员" in text
    found = re.search(r"已开通账号 xh_changfeng，初始密码：(\S+) 。", text)
    assert found, text
    password = found.group(1)
    _no_sideways_scroll(page)
    _shot(page, "replaced-messages-phone.png")
    page.reload()
    assert password not in page.content()  # shown once

    newcomer = browser.new_context(**PHONE)
    departed = browser.new_context(**PHONE)
    try:
        new_page = newcomer.new_page()
        _sign_in(new_page, live_server, "xh_changfeng", password)
        new_page.goto(live_server.url + "/admin/triage/")
        queue = new_page.locator("table.staff-queue")
        for complaint in (rectifying, assigned):
            expect(queue.get_by_role("link", name=complaint.internal_number)).to_be_visible()
        _no_sideways_scroll(new_page)
        _open_from_queue(new_page, live_server, rectifying)
        assert "接任协管员示例" in new_page.locator(".staff-summary").inner_text()
        assert _actions(new_page)[0] == ["action-check_rectification", True]

        old_page = departed.new_page()
        _sign_in(old_page, live_server, "changfeng")
        old_page.goto(live_server.url + "/admin/triage/")
        body = old_page.locator("main").inner_text()
        assert rectifying.internal_number not in body and assigned.internal_number not in body
        response = old_page.goto(live_server.url + f"/admin/triage/{rectifying.pk}/")
        assert response.status == 404
    finally:
        newcomer.close()
        departed.close()
