"""A township supervisor on a phone: logs in to the back office, opens the triage queue, accepts a submitted
complaint and assigns it to the village coordinator, and sees the new state."""

import datetime

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-only"  # tests.factories.UserFactory's


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
            ("sangong", township, Role.SUPERVISOR, "township_supervisor", "三工镇监管员示例"),
            ("changfeng", village, Role.COORDINATOR, "village_coordinator", "长丰村协管员示例")):
        user = UserFactory(username=username, first_name=name)
        role_assign(person=PersonFactory(name=name, user=user), grid=grid, role=role, start_date=start)
        user.groups.add(Group.objects.get(name=group))
        made[username] = user
    return made


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1


def test_accept_and_assign_on_a_phone(live_server, phone_page, home, people, village):
    from complaints.models import Complaint, State
    from tests.factories import complaint_submit_for_tests

    complaint = complaint_submit_for_tests(place_village=village, description="大棚里有人喷洒甲胺磷。")
    page = phone_page
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", "sangong")
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")
    assert "待受理" in page.locator("#complaints-summary-section").inner_text()

    page.goto(live_server.url + "/admin/triage/")
    _no_sideways_scroll(page)
    row = page.locator("table.staff-queue tbody tr").first
    assert "待受理" in row.inner_text() and "三工镇 长丰村" in row.inner_text()
    row.get_by_role("link", name=complaint.internal_number).click()
    page.wait_for_url(f"**/admin/triage/{complaint.pk}/")
    _no_sideways_scroll(page)

    # 受理 is the open step; fill a public note and confirm.
    accept = page.locator("#action-accept")
    assert accept.get_attribute("open") is not None
    accept.locator("textarea[name=note_public]").fill("已受理，将尽快到现场核实。")
    accept.get_by_role("button", name="确认受理").click()
    page.wait_for_load_state()
    assert "已执行“受理”：待受理 → 已受理" in page.content()
    assert page.locator(".staff-summary .staff-state").inner_text() == "已受理"

    assign = page.locator("#action-assign")
    assert assign.get_attribute("open") is not None
    assign.locator("select[name=assignee]").select_option(label="长丰村协管员示例（长丰村协管员示例）")
    assign.get_by_role("button", name="确认分派").click()
    page.wait_for_load_state()
    assert page.locator(".staff-summary .staff-state").inner_text() == "已分派"
    assert "长丰村协管员示例" in page.locator(".staff-summary").inner_text()
    log = page.locator(".staff-log").inner_text()
    assert "受理" in log and "分派" in log and "已受理，将尽快到现场核实。" in log
    _no_sideways_scroll(page)

    complaint.refresh_from_db()
    assert complaint.state == State.ASSIGNED and complaint.assignee == people["changfeng"]
    # back in the queue the row shows the new state
    page.goto(live_server.url + "/admin/triage/")
    assert "已分派" in page.locator("table.staff-queue tbody tr").first.inner_text()
    assert Complaint.objects.count() == 1


def test_queue_on_desktop_filters_by_state(live_server, desktop_page, home, people, village):
    from tests.factories import complaint_submit_for_tests

    first = complaint_submit_for_tests(place_village=village)
    complaint_submit_for_tests(place_village=village)
    page = desktop_page
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", "sangong")
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(live_server.url + "/admin/triage/")
    assert page.locator("table.staff-queue tbody tr").count() == 2
    page.get_by_role("link", name="待受理 2").click()
    page.wait_for_load_state()
    assert "state=submitted" in page.url
    assert first.internal_number in page.locator("table.staff-queue").inner_text()
