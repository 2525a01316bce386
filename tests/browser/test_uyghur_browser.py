"""Uyghur at phone width: the citizen pages mirror (right to left) and nothing runs off the screen."""

import pytest

from tests.disclosure.test_producers_fixtures import producer_fixture, staffed_fixture  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 375


TEXT_EDGES = "e => { const r = document.createRange(); r.selectNodeContents(e); const b = r.getBoundingClientRect(); return [b.left, b.right]; }"


def _uyghur(page, live_server):
    page.context.add_cookies([{"name": "lang", "value": "ug", "url": live_server.url}])


def test_the_producer_page_mirrors_in_uyghur(live_server, phone_page, home, producer, staffed):
    page = phone_page
    _uyghur(page, live_server)
    page.goto(f"{live_server.url}/p/{producer.code}/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH  # nothing wider than the phone
    assert page.locator("h1").evaluate("e => getComputedStyle(e).direction") == "rtl"
    # Mirrored: the logo and name start on the right, the language links sit on the left.
    logo = page.locator(".brand img").bounding_box()
    switch = page.locator(".lang-switch").bounding_box()
    assert logo["x"] > WIDTH / 2 > switch["x"] + switch["width"] / 2
    # Text starts at the right margin: the first line of the heading ends there, whatever its length.
    left, right = page.locator("main h1").first.evaluate(TEXT_EDGES)
    assert right > WIDTH - 30 and left > 0
    # The calls and the complaint button are whole and on screen, thumb-sized.
    for person in (staffed["coordinator"], staffed["supervisor"]):
        box = page.locator(f'nav.quick a[href="tel:{person.phone}"]').bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH and box["height"] >= 44
    report = page.locator(f'main a[href="/complaints/new/?producer={producer.code}"]').bounding_box()
    assert report["x"] >= 0 and report["x"] + report["width"] <= WIDTH
    # Phone numbers stay left to right inside the right-to-left text.
    tel = page.locator(f'nav.quick a[href="tel:{staffed["coordinator"].phone}"]').inner_text()
    assert staffed["coordinator"].phone in tel


@pytest.mark.parametrize("path", ["/complaints/new/", "/complaints/track/", "/substances/"])
def test_the_other_citizen_pages_fit_a_phone_in_uyghur(live_server, phone_page, home, grids, path):
    from disclosure.services.substances import substances_load

    substances_load()
    page = phone_page
    _uyghur(page, live_server)
    page.goto(f"{live_server.url}{path}")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, path
    left, right = page.locator("main h1").first.evaluate(TEXT_EDGES)
    assert right > WIDTH - 30 and left >= 0, (left, right)  # starts at the right margin
