"""CMS pages answer visitors with an ETag and public Cache-Control, so repeats cost a 304; any publication
or unpublication anywhere changes every page's ETag (the home page lists the latest news)."""

import pytest
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import NewsPageFactory, StandardPageFactory, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(news_index):
    return publish(NewsPageFactory(parent=news_index, title="三工镇开展农药经营店检查"))


@pytest.mark.parametrize("path", ["/", "/news/", "NEWS", "/news/?kind=results"])
def test_repeat_visit_is_a_304_until_something_is_published(client, home, news_index, news, path):
    path = news.url if path == "NEWS" else path
    first = client.get(path)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "max-age" in first["Cache-Control"]
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    publish(NewsPageFactory(parent=news_index, title="榆树沟镇网格员培训"))
    changed = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_home_page_shows_new_news_at_once_though_cached(client, home, news_index, news):
    assert "三工镇开展农药经营店检查" in client.get("/").content.decode()
    publish(NewsPageFactory(parent=news_index, title="大西渠镇完成春季抽检"))
    assert "大西渠镇完成春季抽检" in client.get("/").content.decode()
    news.unpublish()
    html = client.get("/").content.decode()
    assert "三工镇开展农药经营店检查" not in html and "大西渠镇完成春季抽检" in html


def test_a_repeat_is_served_from_the_html_cache(client, home, news_index, news):
    first = client.get("/")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/")
    assert again.content == first.content
    # Site lookup, the visitor's content locale, the page, its view restrictions, the page tree's state,
    # the site stamp, the page's HTML.
    assert len(queries) <= 8, [q["sql"][:90] for q in queries.captured_queries]


def test_standard_page_is_cached_and_staff_get_fresh_private_pages(client, home, admin_user):
    page = publish(StandardPageFactory(parent=home, title="实施方案", slug="plan"))
    assert "public" in client.get(page.url)["Cache-Control"]
    client.force_login(admin_user)
    response = client.get(page.url)
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "") and not response.has_header("ETag")


def test_password_pages_are_never_cached_or_marked_public(client, home):
    from wagtail.models import PageViewRestriction

    page = publish(StandardPageFactory(parent=home, title="内部工作安排", slug="internal",
                                       intro="仅供网格员阅读的安排"))
    client.get("/")  # the home page is cached for everyone
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD,
                                                     password="x1")
    form = client.get(page.url)
    assert "仅供网格员阅读的安排" not in form.content.decode()
    assert "public" not in form.get("Cache-Control", "")

    passed = client.post(f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
                         {"password": "x1", "return_url": page.url}, follow=True)
    assert "仅供网格员阅读的安排" in passed.content.decode()
    assert "public" not in passed.get("Cache-Control", "") and not passed.has_header("ETag")
    # Another visitor without the password still gets the form, not a cached copy.
    from django.test import Client

    assert "仅供网格员阅读的安排" not in Client().get(page.url).content.decode()


def test_pages_cached_under_hashed_static_names_are_not_served_without_them(client, home, settings):
    """`make run` (plain static names) on a database whose cache holds pages rendered by the production
    settings (hashed names, which the development server cannot find) renders afresh."""
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    plain = client.get("/")
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "tests.portal.test_page_cache.HashedNames"}}
    hashed = client.get("/")
    assert hashed["ETag"] != plain["ETag"]
    assert "portal.hashed.css" in hashed.content.decode() and "portal.hashed.css" not in plain.content.decode()


class HashedNames(StaticFilesStorage):
    def url(self, name):
        return super().url(name.replace(".css", ".hashed.css"))
