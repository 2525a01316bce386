"""A citizen at the farm gate: scan → the producer's page on a phone → report a problem."""

import pytest

from tests.disclosure.test_producers_fixtures import producer_fixture, staffed_fixture  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_visitor_opens_producer_page_and_reports_a_problem(live_server, phone_page, home, producer, staffed):
    page = phone_page
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.context.set_extra_http_headers({})
    # The address a QR code carries: upper case, the sign's serial in the query.
    page.goto(f"{live_server.url}/P/{producer.code}/?s=1")
    assert page.locator("h1").inner_text() == producer.name
    assert page.get_by_text("较好").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    # Tap-to-call links for the supervisors.
    tel = page.locator(f'a[href="tel:{staffed["coordinator"].phone}"]')
    assert tel.count() == 1 and tel.is_visible()
    box = tel.bounding_box()
    assert box["height"] >= 44  # a thumb-sized target
    # Everything came from this site: no outside requests.
    assert all(url.startswith(live_server.url) for url in requests), requests

    page.get_by_role("link", name="反映该生产主体的问题").tap()
    page.wait_for_url(f"**/complaints/new/?producer={producer.code}")
    assert page.url.endswith(f"/complaints/new/?producer={producer.code}")
    # The complaint form (built alongside) shows the producer filled in.
    assert producer.code in page.locator("#id_producer").input_value()
    assert producer.name in page.content()


def test_page_works_without_javascript(live_server, browser, home, producer):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/p/{producer.code.lower()}/")
    assert page.locator("h1").inner_text() == producer.name
    page.get_by_text("对评级有异议怎么办？").click()  # <details> opens without script
    assert page.get_by_text("个工作日内").is_visible()
    context.close()
