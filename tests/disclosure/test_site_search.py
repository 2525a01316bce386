"""The site search /search/ finds producers and substances by Chinese substrings, with bounded cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure import search
from disclosure.services.substances import substances_load
from portal.search import _sources
from tests.factories import ProducerFactory


@pytest.fixture
def registry(grids, home):
    substances_load()
    village = grids.get(code="652301101200")
    ProducerFactory(name="三工镇绿源葡萄专业合作社", village=village, products="葡萄、番茄")
    ProducerFactory(name="庙工村西红柿家庭农场", village=village, kind="family_farm", products="番茄")
    ProducerFactory(name="未公开的葡萄园", village=village, published=False)


def test_sources_are_registered_once_at_startup():
    assert _sources.count(search.producers_source) == 1
    assert _sources.count(search.substances_source) == 1


def test_finds_a_producer_by_a_chinese_substring_of_its_name(client, registry):
    html = client.get("/search/", {"q": "绿源葡萄"}).content.decode()
    assert "三工镇绿源葡萄专业合作社" in html and "/p/" in html
    assert "未公开的葡萄园" not in html


def test_finds_producers_by_product_name_first_by_name(registry):
    titles = [r["title"] for r in search.producers_source("番茄")]
    assert set(titles) == {"三工镇绿源葡萄专业合作社", "庙工村西红柿家庭农场"}
    titles = [r["title"] for r in search.producers_source("葡萄")]
    assert titles == ["三工镇绿源葡萄专业合作社"]


def test_finds_a_substance_by_a_chinese_substring(client, registry):
    html = client.get("/search/", {"q": "甲胺"}).content.decode()
    assert "甲胺磷" in html and "乙酰甲胺磷" in html
    assert "/substances/?q=" in html and "#s-" in html


def test_superseded_restriction_is_labelled_in_results(registry, monkeypatch):
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 11, 28))
    results = search.substances_source("克百威")
    summaries = " ".join(r["summary"] for r in results)
    assert "限用已被全面禁用取代" in summaries


def test_capped_and_constant_queries(client, registry, grids):
    village = grids.get(code="652301101200")
    with CaptureQueriesContext(connection) as few:
        search.producers_source("合作社")
        search.substances_source("磷")
    for i in range(30):
        ProducerFactory(name=f"批量合作社{i}", village=village)
    with CaptureQueriesContext(connection) as many:
        producers = search.producers_source("合作社")
        substances = search.substances_source("磷")
    assert len(few) == len(many) == 2
    assert len(producers) == search.MAX_RESULTS and len(substances) == search.MAX_RESULTS


def test_empty_query_costs_nothing(db):
    with CaptureQueriesContext(connection) as ctx:
        assert search.producers_source("  ") == [] and search.substances_source("") == []
    assert len(ctx) == 0


@pytest.mark.parametrize("query, title, url", [
    ("农药", "禁限用农药名录", "/substances/?category=pesticide"),
    ("禁用农药", "禁用农药名录", "/substances/?category=pesticide&amp;status=banned"),
    ("国家禁止使用的农药有哪些", "禁用农药名录", "/substances/?category=pesticide&amp;status=banned"),
    ("兽药", "禁限用兽药名录", "/substances/?category=veterinary_drug"),
    ("禁限用名录", "国家禁用、限用农药（兽药）名录", "/substances/"),
])
def test_category_words_find_the_list_and_its_entries_above_shops_and_news(client, registry, grids, query, title,
                                                                            url):
    ProducerFactory(name="三工镇惠农农药经营部", village=grids.get(code="652301101200"), kind="input_shop")
    html = client.get("/search/", {"q": query}).content.decode()
    results = html.split('<ul class="results">')[1].split("</ul>")[0]
    first = results.split("<li>")[1]
    assert f'href="{url}"' in first and f">{title}</a>" in first and "共 " in first
    entries = results.count("#s-")
    assert entries >= 5, entries
    if query == "农药":  # the shop that sells pesticides is found too, after the list
        assert results.index("#s-") < results.index("三工镇惠农农药经营部")


def test_a_category_word_with_a_name_narrows_the_entries(registry):
    results = search.substances_source("农药 甲胺")
    assert results[0]["title"] == "禁限用农药名录"
    assert {r["title"] for r in results[1:]} == {"甲胺磷", "乙酰甲胺磷"}


def test_a_producers_grade_is_given_with_its_letter(registry):
    from disclosure.models import Producer
    from disclosure.models.ratings import grade_label

    [result] = search.producers_source("绿源葡萄")
    grade = Producer.objects.get(name="三工镇绿源葡萄专业合作社").grade
    assert f"信用：{grade_label(grade)}" in result["summary"] and grade_label(grade)[0] in "ABC未复"
