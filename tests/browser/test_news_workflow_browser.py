"""News through the workflow in a real browser: a township supervisor writes news and submits it to
新闻审核; the city's news editor approves it from the admin home and it appears on the public /news/."""

import datetime

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-only"  # tests.factories.UserFactory's


@pytest.fixture
def people(home, grids, township):
    from django.contrib.auth.models import Group

    from disclosure.models import Role
    from disclosure.services.grids import role_assign
    from staff.roles import staff_roles_setup
    from tests.factories import PersonFactory, UserFactory

    staff_roles_setup()
    start = datetime.date.today() - datetime.timedelta(days=100)
    for username, grid, group, name in (
            ("sangong", township, "township_supervisor", "三工镇监管员示例"),
            ("city", grids.get(level="city"), "city_supervisor", "市级监管员示例")):
        user = UserFactory(username=username, first_name=name)
        role_assign(person=PersonFactory(name=name, user=user), grid=grid, role=Role.SUPERVISOR, start_date=start)
        user.groups.add(Group.objects.get(name=group))


def _log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")


def _open_actions(page):
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()


def test_township_submits_city_approves(live_server, desktop_page, people):
    from portal.models import NewsPage
    from portal.services import news_index as chinese_news_index

    news_index = chinese_news_index()
    page = desktop_page
    _log_in(page, live_server, "sangong")
    page.goto(f"{live_server.url}/admin/pages/add/portal/newspage/{news_index.pk}/")
    page.fill("#id_title", "三工镇开展速测培训")
    page.fill("#id_intro", "三工镇组织速测培训。")
    page.locator("[data-streamfield-stream-container] button, .c-sf-add-button").first.click()
    page.get_by_role("option", name="段落").or_(page.get_by_text("段落", exact=True)).first.click()
    editor = page.locator(".public-DraftEditor-content").first
    editor.click()
    editor.type("各村协管员参加了速测培训。")
    # Wagtail 8 saves drafts by itself while one types; let that finish before choosing the action.
    page.wait_for_timeout(1500)
    page.wait_for_load_state("networkidle")
    _open_actions(page)
    page.get_by_role("button", name="提交给新闻审核").click()
    page.wait_for_url(f"**/admin/pages/{news_index.pk}/")
    news = NewsPage.objects.get(title="三工镇开展速测培训", locale__language_code="zh-hans")
    assert not news.live and news.slug  # the slug is made from the Chinese title
    assert "已创建并提交审核" in page.locator(".messages").inner_text() or "已提交" in page.locator(
        ".messages").inner_text()

    _log_in(page, live_server, "city")
    waiting = page.locator("#awaiting-review-section, [id^=awaiting-review]").first
    assert "三工镇开展速测培训" in waiting.inner_text()
    waiting.get_by_role("link", name="三工镇开展速测培训").first.click()
    page.wait_for_url(f"**/admin/pages/{news.pk}/edit/")
    _open_actions(page)
    page.get_by_role("button", name="批准并发布", exact=True).click()
    page.wait_for_url(f"**/admin/pages/{news_index.pk}/")
    assert "已发布" in page.locator("main").inner_text()
    assert NewsPage.objects.get(pk=news.pk).live

    page.goto(live_server.url + "/news/")
    assert "三工镇开展速测培训" in page.locator("main").inner_text()
