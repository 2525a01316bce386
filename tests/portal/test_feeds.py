import xml.etree.ElementTree as ET

import pytest

from tests.factories import NewsPageFactory, publish

pytestmark = pytest.mark.django_db


def test_rss_feed_lists_latest_news(client, news_index):
    publish(NewsPageFactory(parent=news_index, title="巡查动态一"))
    publish(NewsPageFactory(parent=news_index, title="成效通报", kind="results"))
    response = client.get("/news/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    titles = [item.findtext("title") for item in root.iter("item")]
    assert set(titles) == {"巡查动态一", "成效通报"}
    categories = [c.text for c in root.iter("category")]
    assert "成效" in categories
    # A feed reader's repeat comes from the shared cache, still as RSS.
    again = client.get("/news/feed/")
    assert again["Content-Type"] == response["Content-Type"] and again.content == response.content


def test_sitemap_lists_published_pages(client, news_index):
    page = publish(NewsPageFactory(parent=news_index, title="可见的新闻", slug="visible-news"))
    draft = NewsPageFactory(parent=news_index, title="草稿", slug="draft-news", live=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/news/visible-news/" in body
    assert "/news/draft-news/" not in body
    assert page.pk != draft.pk


def test_robots_txt_points_to_sitemap_and_hides_admin(client, home):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: https://nc.example.cn/sitemap.xml" in body


def test_rss_pubdate_is_the_news_date(client, news_index):
    """A report dated 1 October, published today, is dated 1 October in feed readers."""
    import datetime

    publish(NewsPageFactory(parent=news_index, title="国庆检查", date=datetime.date(2026, 10, 1)))
    root = ET.fromstring(client.get("/news/feed/").content)
    assert [item.findtext("pubDate") for item in root.iter("item")] == ["Thu, 01 Oct 2026 00:00:00 +0800"]
