import pytest

from portal.search import cjk_index_text, cjk_query
from tests.factories import NewsPageFactory, publish

pytestmark = pytest.mark.django_db


def test_bigrams_cover_every_substring_of_two():
    text = cjk_index_text("禁止使用高毒农药")
    for pair in ("禁止", "止使", "使用", "用高", "高毒", "毒农", "农药"):
        assert pair in text.split()
    assert cjk_query("高毒农药") == "高毒 毒农 农药"
    assert cjk_query("药") == "药"
    assert cjk_query("DDT 农药") == "DDT 农药"


def test_chinese_substring_finds_the_page(client, news_index):
    publish(NewsPageFactory(parent=news_index, title="春季巡查通报",
                            body=[("paragraph", "<p>巡查中强调：禁止使用高毒农药。</p>")]))
    publish(NewsPageFactory(parent=news_index, title="培训通知", body=[("paragraph", "<p>协管员培训。</p>")]))
    html = client.get("/search/", {"q": "农药"}).content.decode()
    assert "春季巡查通报" in html
    assert "培训通知" not in html


def test_longer_query_must_match_in_order_not_just_characters(client, news_index):
    publish(NewsPageFactory(parent=news_index, title="药农说明", body=[("paragraph", "<p>药和农分开出现</p>")]))
    publish(NewsPageFactory(parent=news_index, title="高毒农药禁令", body=[("paragraph", "<p>禁止使用高毒农药</p>")]))
    html = client.get("/search/", {"q": "高毒农药"}).content.decode()
    assert "高毒农药禁令" in html and "药农说明" not in html


def test_search_without_results_says_so(client, news_index):
    html = client.get("/search/", {"q": "不存在的词语"}).content.decode()
    assert "没有找到" in html


def test_overlong_query_is_cut_with_a_message(client, news_index):
    html = client.get("/search/", {"q": "农" * 300}).content.decode()
    assert "关键词过长" in html
