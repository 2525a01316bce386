"""/substances/ as a phone shows it: cards that fit the screen, the search works without JavaScript."""

import pytest

from disclosure.services.substances import substances_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_cards_fit_and_search_works_without_javascript(live_server, home, browser):
    substances_load()
    context = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/substances/")
        # Nothing wider than the phone: no sideways scrolling on a 375 px screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        # Rows are cards on a phone (the table header is hidden), each with its labels.
        assert page.locator("tr[id^=s-]").count() == 99
        first = page.locator("tr[id^=s-]").first.bounding_box()
        assert first["width"] <= 375 and first["height"] > 60
        superseded = page.locator("tr.is-superseded").first
        assert superseded.locator(".badge-superseded").is_visible()
        page.fill("#s-q", "甲胺")
        page.click("button[type=submit]")
        page.wait_for_url("**/substances/?*")
        names = page.locator(".name-zh").all_inner_texts()
        assert set(names) == {"甲胺磷", "乙酰甲胺磷"}
    finally:
        context.close()
