"""Open data of the inspections: /api/v1/inspections/ and /api/v1/coverage/, in the portal's OpenAPI
description, validated against it, private facts kept out, bad input refused clearly, fixed queries."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator

from inspections.services.plans import plan_generate
from inspections.services.records import lab_test_record, rapid_test_record, sample_take
from tests.factories import ProducerFactory
from tests.inspections.conftest import ALL_PASS

pytestmark = pytest.mark.django_db


def noon(day):
    """Noon of a day, or a minute ago when that noon is still ahead (a run just after midnight)."""
    from django.utils import timezone

    return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))),
               timezone.now() - datetime.timedelta(minutes=1))
TODAY = datetime.date.today()
SECRET_NOTE = "田边水渠发现废弃农药瓶"


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response["Content-Type"].startswith("application/json"), url
    return response, json.loads(response.content)


def validate(client, path, data):
    """The body against the 200 response schema the API publishes for `path`."""
    _, schema = get(client, "/api/v1/schema/")
    body = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    Draft202012Validator({**body, "components": schema["components"]}).validate(data)


@pytest.fixture
def world(township, village, township_user, record):
    coop = ProducerFactory(village=village, name="长丰蔬菜专业合作社", kind="cooperative")
    hidden = ProducerFactory(village=village, name="未公开主体", published=False)
    failed = dict(ALL_PASS)
    failed[3] = ("fail", SECRET_NOTE)
    inspection = record(coop, results=failed, representative="在场人秘密名", other_findings="其他发现秘密",
                        inspector_names="巡查员秘密名", inspected_on=TODAY - datetime.timedelta(days=2)).obj
    sample = sample_take(producer=coop, user=township_user, product="番茄", inspection=inspection,
                         taken_at=noon(inspection.inspected_on)).obj
    rapid = rapid_test_record(sample=sample, user=township_user, method="enzyme", target="有机磷和氨基甲酸酯类农药",
                              inhibition_rate="70", tested_on=inspection.inspected_on)
    lab_test_record(sample=sample, user=township_user, lab="检测中心", report_number="R-1", target="毒死蜱",
                    unit="mg/kg", limit="0.5", value="0.8", reported_on=TODAY, rapid_test=rapid)
    record(coop, inspected_on=TODAY - datetime.timedelta(days=1))
    record(hidden)
    return {"coop": coop, "inspection": inspection}


def test_both_endpoints_are_in_the_schema_and_the_index(client, world):
    from openapi_spec_validator import validate as validate_openapi

    _, schema = get(client, "/api/v1/schema/")
    validate_openapi(schema)
    assert {"/api/v1/inspections/", "/api/v1/coverage/"} <= set(schema["paths"])
    _, index = get(client, "/api/v1/")
    assert {"/api/v1/inspections/", "/api/v1/coverage/"} <= {e["path"] for e in index["endpoints"]}


def test_inspections_confirmed_of_published_producers_with_items_and_tests(client, world, village_user, record):
    record(world["coop"], user=village_user)  # a coordinator's record, not yet confirmed
    response, data = get(client, "/api/v1/inspections/")
    assert response.status_code == 200
    validate(client, "/api/v1/inspections/", data)
    assert data["count"] == 2 and {r["producer"]["code"] for r in data["results"]} == {world["coop"].code}
    older = data["results"][1]
    assert older["inspected_on"] == (TODAY - datetime.timedelta(days=2)).isoformat()
    assert older["township"]["code"] == "652301101" and older["failed_items"] == 1
    assert [i["result"] for i in older["items"]] == ["pass", "pass", "fail", "pass", "pass", "pass", "pass"]
    assert older["rapid_tests"][0]["result"] == "positive" and older["rapid_tests"][0]["inhibition_rate"] == 70.0
    assert older["lab_tests"][0]["verdict"] == "fail" and older["lab_tests"][0]["value"] == 0.8
    text = response.content.decode()
    for secret in (SECRET_NOTE, "在场人秘密名", "其他发现秘密", "巡查员秘密名", "未公开主体", "sangong姓名"):
        assert secret not in text, secret


def test_inspection_filters(client, world, other_township):
    code = world["coop"].code
    assert get(client, f"/api/v1/inspections/?producer={code.lower()}")[1]["count"] == 2
    assert get(client, "/api/v1/inspections/?township=sangong")[1]["count"] == 2
    assert get(client, f"/api/v1/inspections/?township={other_township.code}")[1]["count"] == 0
    assert get(client, f"/api/v1/inspections/?year={TODAY.year - 1}")[1]["count"] == 0
    assert get(client, f"/api/v1/inspections/?since={TODAY - datetime.timedelta(days=1)}")[1]["count"] == 1


@pytest.mark.parametrize("url, parameter, words", [
    ("/api/v1/coverage/?year=abc", "year", "年度 year 须为"),
    ("/api/v1/coverage/?year=1999", "year", "2000 到"),
    ("/api/v1/coverage/?year=", "year", "四位数字年份"),
    ("/api/v1/inspections/?year=3000", "year", "年度 year 须为"),
    ("/api/v1/inspections/?producer=%3Cx%3E", "producer", "6 位公示编码"),
    ("/api/v1/inspections/?since=yesterday", "since", "ISO 8601"),
    ("/api/v1/coverage/?township=sangong", "township", "不支持参数 township"),
])
def test_bad_parameters_get_a_clear_400(client, world, url, parameter, words):
    response, data = get(client, url)
    assert response.status_code == 400
    assert data["error"]["details"][0]["parameter"] == parameter and words in data["error"]["message"]


def test_bad_year_in_english(client, world):
    _, data = get(client, "/api/v1/coverage/?year=20x6&lang=en")
    assert data["error"]["message"].startswith("Invalid value \u201c20x6\u201d for year: year must be a four-digit year")


def test_coverage_per_township_validates_against_the_schema(client, world, township):
    plan_generate(township=township, year=TODAY.year)
    response, data = get(client, f"/api/v1/coverage/?year={TODAY.year}")
    assert response.status_code == 200
    validate(client, "/api/v1/coverage/", data)
    row = next(r for r in data["townships"] if r["township"]["code"] == township.code)
    # one cooperative (2 a year) on the plan; the unpublished producer is on the registry too (a smallholder-less
    # co-operative: 2 more); two confirmed inspections of the co-operative
    assert row["has_plan"] and row["required"] == 4 and row["planned"] == 4 and row["done"] == 3
    assert len(row["months"]) == 12 and data["city"]["township"] is None
    assert data["city"]["required"] == sum(r["required"] for r in data["townships"])
    assert get(client, "/api/v1/coverage/")[1]["year"] == TODAY.year


def test_etag_moves_with_a_new_inspection(client, world, record):
    for url in ("/api/v1/inspections/", "/api/v1/coverage/"):
        first = client.get(url)
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    etags = {url: client.get(url)["ETag"] for url in ("/api/v1/inspections/", "/api/v1/coverage/")}
    record(world["coop"], inspected_on=TODAY)
    for url, etag in etags.items():
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200, url


def test_inspections_list_costs_the_same_queries_with_more_history(client, world, record, township_user):
    def queries():
        client.get("/api/v1/inspections/?page_size=100")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/inspections/?page_size=100").status_code == 200
        return len(ctx)

    few = queries()
    for i in range(20):
        inspection = record(world["coop"], inspected_on=TODAY - datetime.timedelta(days=3 + i)).obj
        sample = sample_take(producer=world["coop"], user=township_user, product="黄瓜", inspection=inspection,
                         taken_at=noon(inspection.inspected_on)).obj
        rapid_test_record(sample=sample, user=township_user, method="gold", target="克百威", result="negative",
                          tested_on=inspection.inspected_on)
    assert queries() == few <= 9
