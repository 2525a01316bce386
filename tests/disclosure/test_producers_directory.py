import pytest
from django.utils import timezone

from disclosure.services.producers import rating_set
from tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(grids, township, village):
    other_village = grids.filter(level="village").exclude(parent=township).first()
    made = {
        "veg": ProducerFactory(name="昌吉市长丰绿源蔬菜示例专业合作社", kind="cooperative", village=village, products="番茄、辣椒"),
        "grape": ProducerFactory(name="庭州葡萄示例家庭农场", kind="family_farm", village=village, products="鲜食葡萄"),
        "far": ProducerFactory(name="远方绿源示例有限公司", kind="enterprise", village=other_village, products="奶制品"),
        "hidden": ProducerFactory(name="绿源未公开示例合作社", village=village, published=False),
    }
    rating_set(producer=made["grape"], grade="B", effective_date=timezone.localdate(), basis="依据")
    return made


def names(response):
    return response.content.decode()


def test_chinese_substring_search_on_name_and_products(client, registry):
    html = names(client.get("/producers/", {"q": "绿源"}))
    assert registry["veg"].name in html and registry["far"].name in html
    assert registry["grape"].name not in html and registry["hidden"].name not in html
    html = names(client.get("/producers/", {"q": "葡萄"}))
    assert registry["grape"].name in html and registry["veg"].name not in html
    assert registry["veg"].name in names(client.get("/producers/", {"q": "辣椒"}))  # a product


def test_filters_by_township_village_kind_and_grade(client, registry, township, village):
    html = names(client.get("/producers/", {"township": township.slug}))
    assert registry["veg"].name in html and registry["far"].name not in html
    html = names(client.get("/producers/", {"village": village.code}))
    assert registry["grape"].name in html and registry["far"].name not in html
    html = names(client.get("/producers/", {"kind": "enterprise"}))
    assert registry["far"].name in html and registry["veg"].name not in html
    html = names(client.get("/producers/", {"grade": "B"}))
    assert registry["grape"].name in html and registry["veg"].name not in html
    assert "B 重点监控名单" in html


def test_bad_filter_values_get_a_clear_message(client, registry):
    html = names(client.get("/producers/", {"township": "atlantis", "kind": "robot", "grade": "Z"}))
    assert "没有名为“atlantis”的乡镇" in html and "单位类型无效" in html and "信用等级无效" in html
    assert registry["veg"].name in html  # and the whole list is shown
    html = names(client.get("/producers/", {"q": "绿" * 80}))
    assert "关键词过长" in html


def test_directory_is_paginated_and_works_without_javascript(client, village, grids):
    for i in range(45):
        ProducerFactory(name=f"分页示例家庭农场{i:02d}", village=village)
    first = client.get("/producers/")
    html = first.content.decode()
    assert html.count('class="producer-name"') == 20
    assert "第 1 / 3 页" in html and "page=2" in html
    assert '<form class="producer-filters" action="/producers/" method="get"' in html
    third = client.get("/producers/", {"page": 3}).content.decode()
    assert third.count('class="producer-name"') == 5
    assert client.get("/producers/", {"page": "x"}).status_code == 200
    etag = first["ETag"]
    assert client.get("/producers/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_site_search_finds_producers(client, registry, home):
    html = client.get("/search/", {"q": "庭州葡萄"}).content.decode()
    assert registry["grape"].name in html and f"/p/{registry['grape'].code}/" in html
