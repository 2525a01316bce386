"""A village coordinator on a phone prints the village's signboards: the button disables itself, the job's
page shows a progress bar while the worker draws the signs, then offers the PDF to download."""

import os

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-only"  # tests.factories.UserFactory's
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def coordinator(grids, township):
    from django.contrib.auth.models import Group

    from disclosure.models import Role
    from disclosure.services.grids import role_assign
    from staff.roles import staff_roles_setup
    from tests.factories import PersonFactory, ProducerFactory, UserFactory

    staff_roles_setup()
    village, other = grids.filter(parent=township)[:2]
    user = UserFactory(username="sangong", first_name="村级协管员示例")
    role_assign(person=PersonFactory(name="村级协管员示例", user=user), grid=village, role=Role.COORDINATOR)
    user.groups.add(Group.objects.get(name="village_coordinator"))
    for n in range(3):
        ProducerFactory(name=f"本村示例主体{n}", village=village)
    ProducerFactory(name="邻村示例主体", village=other)
    return user


def _shot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, name), full_page=True)


def test_a_coordinator_prints_the_village_signs_in_the_background_on_a_phone(live_server, phone_page, home,
                                                                              coordinator):
    from portal.models import BackgroundJob

    page = phone_page
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", "sangong")
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")

    with override_settings(TASKS=DATABASE_TASKS):
        page.goto(live_server.url + "/admin/producers/print/")
        village = coordinator.grid_person.assignments.get().grid
        # Their own village is the only choice, and chosen already.
        assert page.locator("select[name=grid] option:checked").inner_text() == village.name
        # Hold the first submission to see the button as the user sees it while the request is under way.
        page.evaluate("document.querySelector('main form').addEventListener('submit', e => e.preventDefault(), "
                      "{once: true})")
        page.get_by_role("button", name="生成 PDF").click()
        button = page.locator("main form button[type=submit]")
        expect(button).to_be_disabled()
        assert "正在提交…" in button.inner_text()
        page.evaluate("document.querySelector('main form').submit()")
        page.wait_for_url("**/admin/jobs/*/")
        job = BackgroundJob.objects.get()
        assert page.locator("[data-job-status-label]").inner_text() == "排队中"
        assert page.locator("progress[data-job-progress]").is_visible()
        _shot(page, "job-queued-phone.png")

        # The worker runs while the page's script keeps asking; it waits while the worker holds the database.
        page.route("**/status/", lambda route: route.abort())
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        page.unroute("**/status/")

    link = page.get_by_role("link", name=f"下载 {BackgroundJob.objects.get().result_name}")
    link.wait_for(timeout=20_000)
    assert page.locator("[data-job-status-label]").inner_text() == "已完成"
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1
    _shot(page, "job-done-phone.png")
    if os.environ.get("SCREENSHOT_DIR"):
        page.set_viewport_size({"width": 1280, "height": 900})
        _shot(page, "job-done-desktop.png")
        page.goto(live_server.url + "/admin/jobs/")
        _shot(page, "jobs-list-desktop.png")
        page.set_viewport_size({"width": 375, "height": 740})
        page.goto(live_server.url + f"/admin/jobs/{job.pk}/")
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    job.refresh_from_db()
    assert job.done == job.total == 3
