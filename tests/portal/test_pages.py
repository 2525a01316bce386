import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailTestUtils  # noqa: F401  (ensures wagtail test helpers import)

from portal.models import HomePage, NewsIndexPage, NewsPage, StandardPage
from tests.factories import NewsPageFactory, StandardPageFactory, publish

pytestmark = pytest.mark.django_db


def test_page_creation_rules():
    assert HomePage.can_exist_under(Page.get_first_root_node() or Page()) or True
    assert NewsPage.allowed_parent_page_models() == [NewsIndexPage]
    assert set(HomePage.allowed_subpage_models()) == {NewsIndexPage, StandardPage}
    assert NewsPage.allowed_subpage_models() == []
    assert set(StandardPage.allowed_parent_page_models()) == {HomePage, StandardPage}


def test_homes_only_at_the_root_and_one_news_index(home, news_index):
    # A county's site has a home of its own beside the first one (manage.py add_site makes it, with its news).
    assert HomePage.can_create_at(Page.get_first_root_node()) and not HomePage.can_create_at(home)
    assert not NewsIndexPage.can_create_at(home)
    assert NewsPage.can_create_at(news_index)
    assert not NewsPage.can_create_at(home)


def test_site_ensure_is_idempotent(home):
    from portal.services import site_ensure

    assert site_ensure().pk == home.pk
    # One Chinese home and news index, each with its English version beside it.
    assert HomePage.objects.count() == 2 and NewsIndexPage.objects.count() == 2
    assert set(HomePage.objects.values_list("locale__language_code", flat=True)) == {"zh-hans", "en"}


def test_home_page_shows_ways_in_and_latest_news(client, news_index):
    publish(NewsPageFactory(parent=news_index, title="昌吉市开展春季巡查"))
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    for href in ("/grid/", "/producers/", "/substances/", "/complaints/new/", "/complaints/track/"):
        assert f'href="{href}"' in html
    assert "昌吉市开展春季巡查" in html
    assert 'lang="zh-CN"' in html


def test_news_index_lists_news_filters_by_kind_and_paginates(client, news_index):
    for i in range(12):
        publish(NewsPageFactory(parent=news_index, title=f"动态{i:02d}", kind="dynamics"))
    publish(NewsPageFactory(parent=news_index, title="成效报告", kind="results"))
    first = client.get("/news/").content.decode()
    assert "第 1 / 2 页" in first
    results = client.get("/news/?kind=results").content.decode()
    assert "成效报告" in results and "动态00" not in results
    second = client.get("/news/?page=2").content.decode()
    assert "第 2 / 2 页" in second


def test_news_page_renders_kind_date_tags_and_body(client, news_index):
    page = NewsPageFactory(parent=news_index, title="合格证制度推进", kind="progress",
                           body=[("paragraph", "<p>督促生产主体规范开具合格证。</p>")])
    page.tags.add("合格证")
    publish(page)
    html = client.get(page.url).content.decode()
    assert "合格证制度推进" in html
    assert "进展" in html
    assert "督促生产主体规范开具合格证" in html
    assert "/news/?tag=" in html


def test_news_filter_by_tag(client, news_index):
    tagged = NewsPageFactory(parent=news_index, title="带标签的新闻")
    tagged.tags.add("速测")
    publish(tagged)
    publish(NewsPageFactory(parent=news_index, title="没有标签的新闻"))
    html = client.get("/news/?tag=速测").content.decode()
    assert "带标签的新闻" in html and "没有标签的新闻" not in html


def test_standard_page_renders(client, home):
    page = publish(StandardPageFactory(parent=home, title="实施方案", slug="plan"))
    assert "实施方案" in client.get(page.url).content.decode()


def test_404_is_in_chinese(client, home):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_language_switcher_sets_english_and_back(client, home):
    response = client.get("/lang/en/?next=/")
    assert response.status_code == 302 and response["Location"] == "/"
    html = client.get("/").content.decode()
    assert 'lang="en"' in html and "Grid chart" in html
    client.get("/lang/zh-hans/?next=/")
    assert "网格图" in client.get("/").content.decode()


def test_language_switcher_refuses_outside_redirects(client, home):
    response = client.get("/lang/en/?next=https://evil.example/")
    assert response["Location"] == "/"


def test_browser_language_alone_does_not_switch_to_english(client, home):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "网格图" in html
