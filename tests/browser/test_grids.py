"""A citizen on a phone: the city's grid map → a township → a village → tap to call the coordinator."""

import pytest

from disclosure.models import RoleAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_visitor_walks_from_the_grid_map_to_a_village_and_finds_the_tel_link(live_server, phone_page, home,
                                                                                    staffed_grids, village):
    coordinator = RoleAssignment.objects.current().select_related("person").get(grid=village).person
    page = phone_page
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(live_server.url + "/grid/")
    assert "网格化管理图" in page.locator("h1").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    page.locator("#t-sangong h2 a").tap()  # the township's heading in the tree
    page.wait_for_url("**/grid/sangong/")
    assert page.locator("h1").inner_text().startswith("三工镇")
    page.get_by_role("link", name="长丰村", exact=True).first.tap()
    page.wait_for_url("**/grid/sangong/changfeng/")
    assert page.locator("h1").inner_text().startswith("长丰村")
    tel = page.locator(f'a[href="tel:{coordinator.phone}"]')
    assert tel.count() == 1 and tel.is_visible()
    assert tel.bounding_box()["height"] >= 44  # a thumb-sized target
    assert coordinator.name in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert all(url.startswith(live_server.url) for url in requests), requests


def test_grid_map_works_without_javascript_from_a_qr_code_url(live_server, browser, home, staffed_grids, village):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + "/GRID/SANGONG/CHANGFENG/")  # the upper-case form a poster's QR code carries
    assert page.locator("h1").inner_text().startswith("长丰村")
    coordinator = RoleAssignment.objects.current().select_related("person").get(grid=village).person
    assert page.locator(f'a[href="tel:{coordinator.phone}"]').is_visible()
    context.close()


def test_the_roster_on_a_phone_is_a_card_per_grid_without_empty_cells(live_server, phone_page, home, staffed_grids,
                                                                      village):
    coordinator = RoleAssignment.objects.current().select_related("person").get(grid=village).person
    page = phone_page
    page.goto(live_server.url + "/personnel/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # No cell is shown empty: each card holds only what its grid has, each with its column's name.
    empty = page.evaluate("""() => [...document.querySelectorAll('.roster td')]
        .filter(td => td.getBoundingClientRect().height > 0 && !td.textContent.trim()).length""")
    assert empty == 0
    card = page.locator("tr", has=page.get_by_role("link", name=village.name, exact=True))
    label = card.locator('td[data-label="协管员"]')
    assert label.is_visible() and coordinator.name in label.inner_text()
    assert page.evaluate("td => getComputedStyle(td, '::before').content", label.element_handle()) == '"协管员："'

    tel = card.locator(f'a[href="tel:{coordinator.phone}"]')
    assert tel.is_visible() and tel.bounding_box()["height"] >= 44
    # A village's card is a couple of lines, not a row of a wide table.
    assert card.bounding_box()["height"] < 120
