"""The inspector's day on a phone without signal: the visit list and the form open offline, a record made
offline (with a photo) waits on the phone, survives a reload, and is stored exactly once when the network
returns."""

import io

import pytest
from PIL import Image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_groups(db):
    from staff.roles import staff_roles_setup

    staff_roles_setup()


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "IMG_20260512_093000.jpg"
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (120, 160, 70)).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture
def camera_photo(tmp_path):
    """A photo as a phone camera takes it: 4000×3000 and several megabytes."""
    path = tmp_path / "IMG_20260512_093500.jpg"
    Image.effect_noise((4000, 3000), 60).convert("RGB").save(path, format="JPEG", quality=95)
    return path


@pytest.fixture
def field_day(township_user, village):
    """A township supervisor with one planned visit this month."""
    from tests.factories import ProducerFactory
    from tests.inspections.field_helpers import visit_this_month

    producer = ProducerFactory(village=village, name="长丰蔬菜专业合作社", address="长丰村二组")
    return {"user": township_user, "producer": producer,
            "visit": visit_this_month(producer, township_user, township_user)}


def logged_in_phone(browser, live_server, user):
    """A phone browser context carrying the user's session (force_login, then the session cookie)."""
    from django.test import Client

    from tests.conftest import PHONE

    client = Client()
    client.force_login(user)
    context = browser.new_context(**PHONE)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": live_server.url}])
    return context


def wait_for_service_worker(page):
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def test_recording_offline_then_sending_once(browser, live_server, home, field_day, photo, camera_photo):
    from inspections.models import Inspection

    context = logged_in_phone(browser, live_server, field_day["user"])
    page = context.new_page()
    page.goto(live_server.url + "/field/")
    assert "长丰蔬菜专业合作社" in page.locator(".visit-list").inner_text()
    wait_for_service_worker(page)
    # Once more online under the worker's control, so that the page's own requests (the plan) are
    # cached too before the network goes away, as on a phone opened that morning.
    page.reload()
    page.wait_for_load_state("networkidle")

    context.set_offline(True)
    page.get_by_role("link", name="记录巡查").click()
    page.wait_for_selector("[data-visit-card]:not([hidden])")
    assert "长丰蔬菜专业合作社" in page.locator("[data-visit-name]").inner_text()
    page.get_by_role("button", name="其余未选的各项设为符合").click()
    page.locator('[data-item="3"] .choice-fail').click()
    page.fill("#note_3", "未落实安全间隔期")
    page.fill("#representative", "王示例")
    page.set_input_files("#photo-camera", str(photo))
    page.set_input_files("#photo-pick", str(camera_photo))
    assert page.locator(".photo-list img").count() == 2
    page.get_by_role("button", name="保存记录").click()
    page.wait_for_url("**/field/")
    waiting = page.locator('[data-group="waiting"]')
    waiting.wait_for()
    assert "长丰蔬菜专业合作社" in waiting.inner_text() and "2 张照片" in waiting.inner_text()
    # The camera's photo waits on the phone scaled down to 2048 px, so it sends faster on a weak signal.
    sizes = page.evaluate("FieldOutbox.all().then(rs => rs[0].photos.map(p => p.blob.size))")
    assert sizes[0] == photo.stat().st_size and sizes[1] < camera_photo.stat().st_size / 2
    assert page.locator("[data-net-status]").is_visible()
    key = page.locator('[data-group="waiting"] .record').get_attribute("data-key")

    # Still offline: the page, the list, the waiting record and the form all come back.
    page.reload()
    page.locator('[data-group="waiting"] .record').wait_for()
    assert "长丰蔬菜专业合作社" in page.locator(".visit-list").inner_text()
    assert "已记录，待发送" in page.locator(".visit-list").inner_text()
    # The plan came from the service worker's copy: the network really was off for it too.
    assert page.evaluate("FieldApp.plan.then(p => p && p.fresh)") is False
    page.goto(live_server.url + "/field/inspect/")
    assert page.locator("[data-item]").count() == 7
    page.goto(live_server.url + "/field/")
    page.locator('[data-group="waiting"] .record').wait_for()
    assert Inspection.objects.count() == 0

    context.set_offline(False)
    page.locator('[data-group="sent"] .record').wait_for()
    assert page.locator('[data-group="waiting"]').is_hidden()
    assert "长丰蔬菜专业合作社" in page.locator('[data-group="sent"]').inner_text()
    inspection = Inspection.objects.get(client_key=key)
    assert Inspection.objects.count() == 1
    assert inspection.photos.count() == 2 and inspection.failed_items == 1
    assert max(p.width for p in inspection.photos.all()) == 2048
    assert inspection.planned_visit.pk == field_day["visit"].pk
    context.close()
