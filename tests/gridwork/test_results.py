"""Public results (成效): /results/ in words and server-drawn charts, the same figures as open data at
/api/v1/results/, counted by the staff screens' services; cached, no script or inline style, a bad year
explained, no personal data, a fixed number of queries."""

import datetime
import re

import pytest
from django.utils import timezone

from gridwork.services.assessment import scheme_open, score_card, scores_compute
from gridwork.services.results import results_for
from gridwork.services.training import attendance_set, session_save
from inspections.services.plans import rules
from tests.factories import ProducerFactory
from tests.gridwork.test_assessment import complaint, inspect

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1


@pytest.fixture
def records(home, township, village, township_user, tester_user, rapid_tests):
    """Last year in 三工镇: two cooperatives, one inspected as often as required; complaints finished, one
    late; two positive rapid tests, one followed up by a rectification; the supervisor trained."""
    from casework.services import rectification_order
    from inspections.models import RapidTest
    from inspections.services.records import rapid_test_record

    inspect(ProducerFactory(village=village, name="按期巡查合作社"), rules().main_per_year)
    ProducerFactory(village=village, name="未巡查合作社")
    complaint(township, rating=5)
    complaint(township, rating=4)
    complaint(township, on_time=False)
    negative = rapid_tests(datetime.date(LAST_YEAR, 4, 1))[0]
    for n in range(2):
        rapid_test_record(sample=negative.sample, user=tester_user, method="gold", target="克百威", result="positive",
                          tested_on=datetime.date(LAST_YEAR, 4, 2 + n))
    followed = RapidTest.objects.filter(result="positive").order_by("id").first()
    rectification_order(producer=negative.sample.producer, source=followed, requirements="停止销售，整改用药。",
                        due=datetime.date(LAST_YEAR, 5, 1), user=tester_user, ordered_on=datetime.date(LAST_YEAR, 4, 3))
    session = session_save(user=township_user, grid=township, held_on=datetime.date(LAST_YEAR, 6, 1),
                           topic="农药安全使用", trainer="王示例", place="会议室")
    attendance_set(session=session, user=township_user, marks={township_user.grid_person.pk: "present"})
    return township


def row_of(figures, township):
    return next(r for r in figures.townships if r.township == township)


def test_the_figures_are_counted_from_the_records(records):
    row = row_of(results_for(year=LAST_YEAR), records)
    assert (row.producers_covered, row.producers_required) == (1, 3)
    assert row.done == rules().main_per_year
    assert (row.rapid_tests, row.positives, row.positives_followed) == (3, 2, 1)
    assert (row.complaints_on_time, row.complaints_closed) == (2, 3)
    assert (row.staff_trained, row.staff) == (1, 2)


def test_the_public_figures_agree_with_the_staff_score_card(records, city_user):
    scores_compute(scheme=scheme_open(year=LAST_YEAR, user=city_user), user=city_user)
    from gridwork.models import TownshipScore

    card = {line.code: line for line in score_card(TownshipScore.objects.get(scheme__year=LAST_YEAR,
                                                                             township=records))}
    row = row_of(results_for(year=LAST_YEAR), records)
    assert (card["complaints_on_time"].numerator, card["complaints_on_time"].denominator) == (
        row.complaints_on_time, row.complaints_closed)
    assert (card["training_coverage"].numerator, card["training_coverage"].denominator) == (
        row.staff_trained, row.staff)
    assert (card["inspection_frequency"].numerator, card["inspection_frequency"].denominator) == (
        row.producers_covered, row.producers_required)


def test_the_page_says_the_year_in_words_with_charts_and_no_script_or_inline_style(records, client):
    response = client.get("/results/", {"year": LAST_YEAR})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{LAST_YEAR}年网格化管理工作成效" in page
    assert "办结投诉举报3件，其中按期办结2件。" in page
    assert "发现阳性或可疑2次，已跟进处理1次。" in page
    assert "网格人员2人，已参加培训1人。" in page
    assert page.count('<svg class="results-chart"') == 5 and "67% (2/3)" in page
    assert "<script" not in page and "style=" not in page and "<style" not in page
    assert not re.search(r"(src|href)=\"https?://", page)
    assert "按期巡查合作社" not in page and "sangong示例" not in page  # no names of producers or people
    assert 'href="/results/"' in page  # the footer links here


def test_the_page_is_cached_like_the_other_public_pages(records, client):
    first = client.get("/results/", {"year": LAST_YEAR})
    assert "public" in first["Cache-Control"] and first["ETag"]
    again = client.get("/results/", {"year": LAST_YEAR}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    complaint(records, rating=3)
    assert client.get("/results/", {"year": LAST_YEAR}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.parametrize("raw", ["abc", "1999", str(TODAY.year + 1), "２０２５"])
def test_a_year_that_cannot_be_shown_explains_itself_and_shows_this_year(home, grids, client, raw):
    response = client.get("/results/", {"year": raw})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"不是可以查看的年份（2000年到{TODAY.year}年），下面是{TODAY.year}年的情况" in page
    assert f"{TODAY.year}年网格化管理工作成效" in page


def test_the_page_in_english(records, client):
    client.cookies["lang"] = "en"
    page = client.get("/results/", {"year": LAST_YEAR}).content.decode()
    assert f"Results of the grid work in {LAST_YEAR}" in page
    assert "3 complaints finished, 2 of them on time." in page


def test_the_page_takes_a_fixed_number_of_queries(records, client, village, django_assert_max_num_queries):
    client.get("/results/", {"year": LAST_YEAR})
    for n in range(5):
        producer = ProducerFactory(village=village)
        inspect(producer, 2)
        complaint(records, rating=4, month=2 + n)
    with django_assert_max_num_queries(30):
        assert client.get("/results/", {"year": LAST_YEAR}).status_code == 200


def test_the_api_gives_the_same_figures(records, client):
    body = client.get("/api/v1/results/", {"year": LAST_YEAR}).json()
    mine = next(r for r in body["townships"] if r["township"] and r["township"]["code"] == records.code)
    assert body["year"] == LAST_YEAR and body["as_of"] == f"{LAST_YEAR}-12-31"
    assert (mine["complaints_on_time"], mine["complaints_closed"]) == (2, 3)
    assert (mine["positives"], mine["positives_followed"], mine["staff_trained"], mine["staff"]) == (2, 1, 1, 2)
    assert body["city"]["township"] is None and body["city"]["complaints_closed"] == 3
    assert body["page_url"].endswith(f"/results/?year={LAST_YEAR}")


def test_the_api_refuses_a_bad_year_and_unknown_parameters_in_words(home, grids, client):
    bad = client.get("/api/v1/results/", {"year": "20x5"})
    assert bad.status_code == 400 and "年度 year 须为 2000 到" in bad.content.decode()
    assert client.get("/api/v1/results/", {"yaer": "2025"}).status_code == 400


def test_the_api_is_in_the_openapi_description_and_its_answer_matches_it(records, client):
    from jsonschema import Draft202012Validator
    from openapi_spec_validator import validate as validate_openapi

    schema = client.get("/api/v1/schema/").json()
    validate_openapi(schema)
    assert "/api/v1/results/" in schema["paths"]
    assert "/api/v1/results/" in {e["path"] for e in client.get("/api/v1/").json()["endpoints"]}
    body = schema["paths"]["/api/v1/results/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    data = client.get("/api/v1/results/", {"year": LAST_YEAR}).json()
    Draft202012Validator({**body, "components": schema["components"]}).validate(data)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_phone_without_javascript_reads_the_results_and_switches_year(live_server, browser, home, grids):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 740})
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(live_server.url + "/")
    page.locator('footer a[href="/results/"]').click()
    assert page.locator("h1").inner_text() == f"{TODAY.year}年网格化管理工作成效"
    assert page.locator("svg.results-chart").count() == 5
    assert page.locator("svg.results-chart").first.bounding_box()["width"] <= 343
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("link", name=str(LAST_YEAR), exact=True).click()
    assert page.locator("h1").inner_text() == f"{LAST_YEAR}年网格化管理工作成效"
    assert all(url.startswith(live_server.url) for url in requests), requests
    context.close()
