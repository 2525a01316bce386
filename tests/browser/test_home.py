import pytest

from tests.factories import NewsPageFactory, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_visitor_opens_home_and_follows_news_link(live_server, phone_page, news_index):
    publish(NewsPageFactory(parent=news_index, title="春季巡查动态", slug="spring"))
    page = phone_page
    page.goto(live_server.url + "/")
    assert page.locator("h1").first.is_visible()
    assert "网格化管理" in page.title()
    # Nothing on the page is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("link", name="全部新闻").click()
    page.wait_for_url("**/news/")
    page.get_by_role("link", name="春季巡查动态").click()
    page.wait_for_url("**/news/spring/")
    assert page.locator("h1").inner_text() == "春季巡查动态"


def test_skip_link_is_first_and_moves_focus(live_server, desktop_page, home):
    page = desktop_page
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
