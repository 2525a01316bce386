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
    tel = page.locator(f'a[href="tel:{staffed["coordinator"].phone}"]').first
    assert tel.is_visible()
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


FOLD = 740  # the first screen of a 375 × 740 phone


@pytest.mark.parametrize("language", ["zh-hans", "en", "ug"])
def test_what_a_citizen_came_for_is_on_the_first_screen(live_server, phone_page, home, producer, staffed,
                                                         language):
    """Who the producer is, its grade with meaning and date, one-tap calls to the village coordinator and
    the township supervisor, and the complaint button: all within the first screen, in both languages."""
    page = phone_page
    page.context.add_cookies([{"name": "lang", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/p/{producer.code}/")

    def bottom(locator) -> float:
        assert locator.count() >= 1 and locator.first.is_visible()
        box = locator.first.bounding_box()
        return box["y"] + box["height"]

    assert bottom(page.locator("h1")) <= FOLD
    assert bottom(page.locator(".grade-words")) <= FOLD and bottom(page.locator(".grade-date time")) <= FOLD
    assert bottom(page.locator(".grade-meaning")) <= FOLD
    for person in (staffed["coordinator"], staffed["supervisor"]):
        call = page.locator(f'nav.quick a[href="tel:{person.phone}"]')
        assert bottom(call) <= FOLD and person.name in call.inner_text()
        assert call.bounding_box()["height"] >= 44
    report = page.locator(f'main a[href="/complaints/new/?producer={producer.code}"]')
    assert report.count() == 1 and bottom(report) <= FOLD
    folder = __import__("os").environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=f"{folder}/producer-first-screen-{language}.png")
