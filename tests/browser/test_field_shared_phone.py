"""A phone shared by two inspectors: what one leaves on it is not shown to, or sent as, the other."""

import pytest

from tests.browser.test_field_offline import logged_in_phone, staff_groups, wait_for_service_worker  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CACHED_HOME = """(async () => {
  const copy = await caches.match('/field/', {cacheName: 'field-data'});
  return copy ? await copy.text() : null;
})"""
WAITING_RECORD = """(producer) => FieldOutbox.put({
  key: FieldOutbox.newKey(), user: FieldOutbox.user(), kind: 'inspection', state: 'waiting',
  created_at: new Date().toISOString(), photos: [], messages: [], errors: {},
  summary: {producer_name: '甲的未发送记录', inspected_on: '2026-12-01', failed: 0},
  payload: {client_key: crypto.randomUUID(), kind: 'inspection', user: FieldOutbox.user(), producer: producer,
            inspected_on: new Date().toISOString().slice(0, 10),
            results: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map(i => [String(i), {result: 'pass', note: ''}]))}})"""


@pytest.fixture
def tester_user(make_staff, township):
    from disclosure.models import Role

    return make_staff("sangong_tester", township, Role.TESTER)


def switch_user(context, live_server, user):
    """Another person logs in on the same phone (the browser keeps its storage and service worker)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def _open_field(page, url):
    """Open the field home. Back online, the page may reload itself to send what waits (a navigation of its
    own that aborts ours): then the page it loads is the one to look at."""
    from playwright.sync_api import Error

    try:
        page.goto(url)
    except Error as error:
        if "ERR_ABORTED" not in str(error):
            raise
        page.wait_for_url("**/field/**")
        page.wait_for_load_state()


def test_another_user_sees_nothing_of_the_previous_one(browser, live_server, home, township_user, tester_user,
                                                      village):
    from inspections.models import Inspection
    from tests.factories import ProducerFactory

    producer = ProducerFactory(village=village, name="长丰蔬菜专业合作社")
    context = logged_in_phone(browser, live_server, township_user)
    page = context.new_page()
    page.goto(live_server.url + "/field/")
    wait_for_service_worker(page)
    page.wait_for_function(f"{CACHED_HOME}().then(t => t && t.includes('sangong姓名'))")
    context.set_offline(True)                       # a record of the first user waits on the phone
    page.evaluate(WAITING_RECORD, producer.pk)
    page.reload()
    page.locator('[data-group="waiting"] .record').wait_for()

    switch_user(context, live_server, tester_user)
    context.set_offline(False)
    _open_field(page, live_server.url + "/field/")
    page.wait_for_function(f"{CACHED_HOME}().then(t => t && t.includes('sangong_tester姓名'))")
    assert "sangong_tester姓名" in page.locator(".field-bar").inner_text()
    assert page.locator('[data-group="waiting"]').is_hidden()
    assert "甲的未发送记录" not in page.content()
    assert "还有其他账号的 1 条记录未发送" in page.locator("[data-other-users]").inner_text()
    page.wait_for_timeout(1000)
    assert Inspection.objects.count() == 0          # never sent under the second user's login

    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/admin/login/**")
    assert page.evaluate("caches.has('field-data')") is False
    context.close()


def test_logging_out_clears_the_cached_pages_and_the_sent_list(browser, live_server, home, township_user,
                                                               village):
    from inspections.models import Inspection
    from tests.factories import ProducerFactory

    producer = ProducerFactory(village=village, name="长丰蔬菜专业合作社")
    context = logged_in_phone(browser, live_server, township_user)
    page = context.new_page()
    page.goto(live_server.url + "/field/inspect/")
    wait_for_service_worker(page)
    page.select_option("#producer", str(producer.pk))
    page.get_by_role("button", name="其余未选的各项设为符合").click()
    page.get_by_role("button", name="保存记录").click()
    page.locator('[data-group="sent"] .record').wait_for()
    assert Inspection.objects.count() == 1
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/admin/login/**")
    assert page.evaluate("caches.has('field-data')") is False
    assert page.evaluate("""() => new Promise(resolve => {
        const open = indexedDB.open('field-outbox');
        open.onsuccess = () => {
          const request = open.result.transaction('records').objectStore('records').count();
          request.onsuccess = () => resolve(request.result);
        };
    })""") == 0
    context.close()
