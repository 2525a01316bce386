"""The open-data API /api/v1/: endpoints, filters, pagination, errors, privacy, caching, query counts."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disclosure.models import Grid, Producer, RoleAssignment, Substance
from disclosure.services.grids import role_assign, role_end
from disclosure.services.producers import rating_set
from disclosure.services.substances import substances_load
from tests.factories import PersonFactory, ProducerFactory

BASE = "https://nc.example.cn"

# Facts that exist in the database but must never leave it through the API.
SECRET_PHONE = "13900000001"        # the producer's (legal representative's) phone, not on the sign
SECRET_ADDRESS = "秘密路88号"          # the address, not on the sign
SECRET_INSPECTOR_PHONE = "13700000003"  # the internal inspector's phone: kept out of bulk open data
SECRET_LEGAL_REP = "法人甲某"
HIDDEN_PERSON_PHONE = "13800000002"  # a supervisor who did not make their phone public
ALT_PHONE = "0994-7777777"


@pytest.fixture
def world(grids):
    """Two townships' worth of producers, grades, people and the substances list."""
    substances_load()
    sangong = grids.get(code="652301101")
    changfeng = grids.get(code="652301101200")
    other_village = grids.filter(level="village").exclude(parent=sangong).order_by("code").first()
    a = ProducerFactory(name="三工镇绿源葡萄专业合作社", village=changfeng, kind="cooperative", products="葡萄、番茄",
                        credit_code="93652301MA78ABCD1X", legal_representative=SECRET_LEGAL_REP,
                        phone=SECRET_PHONE, address=SECRET_ADDRESS, inspector_name="内检员乙",
                        inspector_phone=SECRET_INSPECTOR_PHONE, on_traceability_platform=True,
                        traceability_code="TRACE-001", issues_certificates=True, self_commitment=True)
    b = ProducerFactory(name="示例家庭农场", village=other_village, kind="family_farm", products="小麦")
    hidden = ProducerFactory(name="未公开的合作社", village=changfeng, published=False)
    rating_set(producer=a, grade="A", effective_date=datetime.date(2026, 3, 1), basis="年度评定")
    rating_set(producer=b, grade="B", effective_date=datetime.date(2026, 4, 1), basis="抽检不合格")
    supervisor = PersonFactory(name="监管员丙", position="站长", phone="13600000004")
    quiet = PersonFactory(name="协管员丁", position="村委委员", phone=HIDDEN_PERSON_PHONE, phone_public=False,
                          phone_alt=ALT_PHONE)
    former = PersonFactory(name="前任协管员戊", phone="13500000005")
    role_assign(person=supervisor, grid=sangong, role="supervisor", start_date=datetime.date(2025, 1, 1))
    old = role_assign(person=former, grid=changfeng, role="coordinator", start_date=datetime.date(2024, 1, 1))
    role_end(assignment=old, end_date=datetime.date(2025, 6, 1))
    role_assign(person=quiet, grid=changfeng, role="coordinator", start_date=datetime.date(2025, 6, 1))
    future = PersonFactory(name="未到任己")
    RoleAssignment.objects.create(person=future, grid=changfeng, role="coordinator",
                                  start_date=timezone.localdate() + datetime.timedelta(days=30))
    return {"a": a, "b": b, "hidden": hidden, "sangong": sangong, "changfeng": changfeng,
            "other_village": other_village}


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response["Content-Type"].startswith("application/json"), (url, response["Content-Type"])
    return response, json.loads(response.content)


# --- the index, the schema and the docs ------------------------------------------------------------

def test_index_lists_every_endpoint_and_they_answer(client, world):
    response, data = get(client, "/api/v1/")
    assert response.status_code == 200
    paths = {e["path"] for e in data["endpoints"]}
    assert {"/api/v1/producers/", "/api/v1/grids/", "/api/v1/people/", "/api/v1/substances/",
            "/api/v1/grades/"} <= paths
    assert data["schema_url"] == f"{BASE}/api/v1/schema/" and data["docs_url"] == f"{BASE}/api/v1/docs/"
    for endpoint in data["endpoints"]:
        if "{" in endpoint["path"]:
            continue
        assert client.get(endpoint["path"]).status_code == 200, endpoint["path"]


def test_schema_is_valid_openapi_and_every_path_answers(client, world):
    from openapi_spec_validator import validate

    response, schema = get(client, "/api/v1/schema/")
    assert response.status_code == 200
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert schema["servers"][0]["url"] == BASE
    examples = {"code": world["a"].code.lower()}
    for path, item in schema["paths"].items():
        assert set(item) == {"get"}, path
        url = path
        for name, value in examples.items():
            url = url.replace("{" + name + "}", value)
        assert "{" not in url, f"no example value for {path}"
        assert client.get(url).status_code == 200, path
        operation = item["get"]
        assert operation.get("summary") and operation.get("description"), path
        for parameter in operation.get("parameters", []):
            assert parameter.get("description") or parameter["schema"].get("description"), (path, parameter)
        for status in ("200", "304"):
            assert status in operation["responses"], (path, status)


def _item_schema(schema, path):
    body = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    node = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]] if "$ref" in body else body
    if "results" in node.get("properties", {}):
        node = node["properties"]["results"]["items"]
    elif node.get("type") == "array":
        node = node["items"]
    return schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]


@pytest.mark.parametrize("path", ["/api/v1/producers/", "/api/v1/grids/", "/api/v1/people/",
                                  "/api/v1/substances/", "/api/v1/grades/"])
def test_every_field_sent_is_documented_with_a_description(client, world, path):
    _, schema = get(client, "/api/v1/schema/")
    item = _item_schema(schema, path)
    _, data = get(client, path)
    results = data["results"] if isinstance(data, dict) else data
    assert results, path
    for row in results:
        assert set(row) == set(item["properties"]), path
    for name, spec in item["properties"].items():
        assert spec.get("description"), (path, name)


def test_index_sends_browsers_to_the_docs(client, world):
    browser = client.get("/api/v1/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert browser.status_code == 302 and browser["Location"] == "/api/v1/docs/"
    assert "Accept" in browser["Vary"]
    for accept in ("application/json", "*/*", ""):
        response = client.get("/api/v1/", HTTP_ACCEPT=accept) if accept else client.get("/api/v1/")
        assert response.status_code == 200 and response["Content-Type"].startswith("application/json")


def test_docs_page_is_server_rendered_and_self_contained(client, world):
    response = client.get("/api/v1/docs/")
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    for text in ("GET /api/v1/producers/", "updated_since", "signboard_url", "superseded", "page_size",
                 "GET /api/v1/people/", "phone", "Access-Control-Allow-Origin"):
        assert text in html, text
    assert "<script src=" not in html and "cdn" not in html.lower()


# --- producers ------------------------------------------------------------------------------------

def test_producers_published_only_with_the_signboard_fields(client, world):
    _, data = get(client, "/api/v1/producers/")
    assert data["count"] == 2
    by_name = {p["name"]: p for p in data["results"]}
    assert "未公开的合作社" not in by_name
    a = by_name["三工镇绿源葡萄专业合作社"]
    code = world["a"].code
    assert a["code"] == code and a["kind"] == "cooperative" and a["kind_label"] == "农民合作社"
    assert a["township"]["code"] == "652301101" and a["township"]["url"] == f"{BASE}/grid/{world['sangong'].slug}/"
    assert a["village"]["code"] == "652301101200"
    assert a["grade"] == "A" and a["grade_label"] == "A 较好" and a["grade_since"] == "2026-03-01"
    assert a["key_supervision"] is False and by_name["示例家庭农场"]["key_supervision"] is True
    assert a["on_traceability_platform"] is True and a["traceability_code"] == "TRACE-001"
    assert a["issues_certificates"] is True and a["self_commitment"] is True
    assert a["credit_code"] == "93652301MA78ABCD1X" and by_name["示例家庭农场"]["credit_code"] is None
    assert a["page_url"] == f"{BASE}/p/{code}/" and a["signboard_url"] == f"{BASE}/p/{code}/signboard.pdf"
    assert a["updated_at"]


def test_producer_detail_accepts_lowercase_codes(client, world):
    response, data = get(client, f"/api/v1/producers/{world['a'].code.lower()}/")
    assert response.status_code == 200 and data["name"] == "三工镇绿源葡萄专业合作社"
    response, data = get(client, f"/api/v1/producers/{world['hidden'].code}/")
    assert response.status_code == 404 and data["error"]["code"] == "not_found"


@pytest.mark.parametrize("query, names", [
    ("township=652301101", {"三工镇绿源葡萄专业合作社"}),
    ("village=652301101200", {"三工镇绿源葡萄专业合作社"}),
    ("kind=family_farm", {"示例家庭农场"}),
    ("grade=B", {"示例家庭农场"}),
    ("grade=C", set()),
    ("updated_since=2000-01-01", {"三工镇绿源葡萄专业合作社", "示例家庭农场"}),
    ("updated_since=2999-01-01T00:00:00%2B08:00", set()),
])
def test_producer_filters(client, world, query, names):
    response, data = get(client, f"/api/v1/producers/?{query}")
    assert response.status_code == 200, data
    assert {p["name"] for p in data["results"]} == names


def test_township_filter_takes_the_slug_too(client, world):
    _, data = get(client, f"/api/v1/producers/?township={world['sangong'].slug}")
    assert [p["name"] for p in data["results"]] == ["三工镇绿源葡萄专业合作社"]


def test_updated_since_follows_changes(client, world):
    mark = timezone.now()
    Producer.objects.filter(pk=world["b"].pk).update(updated_at=mark + datetime.timedelta(seconds=5))
    since = (mark + datetime.timedelta(seconds=1)).isoformat()
    _, data = get(client, "/api/v1/producers/", data={"updated_since": since})
    assert [p["name"] for p in data["results"]] == ["示例家庭农场"]


def test_pagination_links_count_and_limits(client, world):
    for i in range(5):
        ProducerFactory(name=f"分页测试{i}", village=world["changfeng"])
    _, first = get(client, "/api/v1/producers/?page_size=3&kind=cooperative")
    assert first["count"] == 6 and first["num_pages"] == 2 and len(first["results"]) == 3
    assert first["previous"] is None
    assert first["next"].startswith(f"{BASE}/api/v1/producers/?") and "page=2" in first["next"]
    assert "kind=cooperative" in first["next"] and "page_size=3" in first["next"]
    _, second = get(client, first["next"].removeprefix(BASE))
    assert len(second["results"]) == 3 and second["next"] is None and "page=1" in second["previous"]
    codes = [p["code"] for p in first["results"] + second["results"]]
    assert codes == sorted(codes) and len(set(codes)) == 6
    response, data = get(client, "/api/v1/producers/?page=9&page_size=3")
    assert response.status_code == 404 and data["error"]["code"] == "page_out_of_range"
    assert "共 3 页" in data["error"]["message"]


# --- privacy -------------------------------------------------------------------------------------

def test_nothing_the_signboard_does_not_publish(client, world):
    urls = ["/api/v1/", "/api/v1/producers/", f"/api/v1/producers/{world['a'].code}/", "/api/v1/people/",
            "/api/v1/people/?grid=652301101200", "/api/v1/grids/?page_size=100", "/api/v1/grades/",
            "/api/v1/substances/?page_size=100", "/api/v1/schema/"]
    for url in urls:
        body = client.get(url).content.decode()
        for secret in (SECRET_PHONE, SECRET_ADDRESS, SECRET_INSPECTOR_PHONE, SECRET_LEGAL_REP,
                       HIDDEN_PERSON_PHONE, ALT_PHONE, "未公开的合作社", "前任协管员戊", "未到任己"):
            assert secret not in body, (url, secret)
    for field in ("legal_representative", "address", "inspector_phone", "phone_alt", "note", "boundary"):
        assert f'"{field}"' not in client.get("/api/v1/producers/").content.decode()


# --- people and grids ----------------------------------------------------------------------------

def test_people_current_roles_only_and_phone_only_when_public(client, world):
    _, data = get(client, "/api/v1/people/")
    rows = {p["name"]: p for p in data["results"]}
    assert set(rows) == {"监管员丙", "协管员丁"}
    assert rows["监管员丙"]["phone"] == "13600000004" and rows["监管员丙"]["role"] == "supervisor"
    assert rows["监管员丙"]["role_label"] == "网格监管员" and rows["监管员丙"]["grid"]["code"] == "652301101"
    assert rows["协管员丁"]["phone"] is None and rows["协管员丁"]["position"] == "村委委员"
    assert rows["协管员丁"]["grid_url"] == f"{BASE}/grid/{world['sangong'].slug}/{world['changfeng'].slug}/"


@pytest.mark.parametrize("query, names", [
    ("role=coordinator", {"协管员丁"}),
    ("grid=652301101", {"监管员丙"}),
    ("grid=652301101200", {"协管员丁"}),
    ("township=652301101", {"监管员丙", "协管员丁"}),
    ("township=652301100", set()),
])
def test_people_filters(client, world, query, names):
    response, data = get(client, f"/api/v1/people/?{query}")
    assert response.status_code == 200, data
    assert {p["name"] for p in data["results"]} == names


def test_grids_tree_and_filters(client, world):
    _, data = get(client, "/api/v1/grids/?page_size=100")
    assert data["count"] == 68
    by_code = {g["code"]: g for g in data["results"]}
    assert by_code["652301"]["parent"] is None and by_code["652301"]["url"] == f"{BASE}/grid/"
    village = by_code["652301101200"]
    assert village["parent"] == {"code": "652301101", "name": world["sangong"].name, "level": "township"}
    assert village["url"] == f"{BASE}/grid/{world['sangong'].slug}/{world['changfeng'].slug}/"
    assert village["poster_url"].endswith("/poster.pdf") and village["duties"]
    _, data = get(client, "/api/v1/grids/?level=township")
    assert data["count"] == 10
    _, data = get(client, "/api/v1/grids/?parent=652301101")
    assert data["count"] == Grid.objects.filter(parent=world["sangong"]).count() > 0


# --- substances ----------------------------------------------------------------------------------

def test_substances_search_filters_and_supersession(client, world, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 11, 28))
    _, data = get(client, "/api/v1/substances/?q=甲胺")
    assert {s["name_zh"] for s in data["results"]} == {"甲胺磷", "乙酰甲胺磷"}
    _, data = get(client, "/api/v1/substances/?page_size=100")
    assert data["count"] == 99
    _, data = get(client, "/api/v1/substances/?category=pesticide&status=restricted&page_size=100")
    rows = {s["name_zh"]: s for s in data["results"]}
    banned = Substance.objects.get(name_zh="克百威", category="pesticide", status="banned")
    assert rows["克百威"]["superseded"] is True and rows["克百威"]["superseded_by"] == banned.pk
    assert rows["毒死蜱"]["superseded"] is False and rows["毒死蜱"]["restricted_scope"] == "禁止在蔬菜上使用"
    assert rows["毒死蜱"]["effective_date"] == "2016-12-31" and "2032" in rows["毒死蜱"]["legal_basis"]
    _, current = get(client, "/api/v1/substances/?current=true&page_size=100")
    assert current["count"] == 95  # the four superseded restrictions are left out
    _, data = get(client, "/api/v1/substances/?group=feed-additive")
    assert data["count"] == 1 and data["results"][0]["group_label"] == "停止使用的药物饲料添加剂"
    assert all(url.startswith("http") for s in current["results"] for url in s["sources"])


# --- errors --------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, parameter, words", [
    ("/api/v1/producers/?page=0", "page", "不小于 1"),
    ("/api/v1/producers/?page=abc", "page", "整数"),
    ("/api/v1/producers/?page_size=101", "page_size", "1 到 100"),
    ("/api/v1/producers/?kind=farm", "kind", "cooperative"),
    ("/api/v1/producers/?grade=D", "grade", "unrated"),
    ("/api/v1/producers/?updated_since=yesterday", "updated_since", "ISO 8601"),
    ("/api/v1/producers/?village=123", "village", "12 位"),
    ("/api/v1/producers/?village=652301999999", "village", "没有"),
    ("/api/v1/producers/?township=nowhere", "township", "没有乡镇“nowhere”"),
    ("/api/v1/producers/?townshp=652301101", "townshp", "不支持参数"),
    ("/api/v1/grids/?level=county", "level", "township"),
    ("/api/v1/people/?role=boss", "role", "coordinator"),
    ("/api/v1/substances/?category=drug", "category", "veterinary_drug"),
    ("/api/v1/substances/?q=" + "磷" * 51, "q", "50"),
    ("/api/v1/substances/?current=maybe", "current", "true"),
    ("/api/v1/substances/?lang=fr", "lang", "zh 或 en"),
])
def test_bad_parameters_get_400_with_a_clear_chinese_message(client, world, url, parameter, words):
    response, data = get(client, url)
    assert response.status_code == 400
    error = data["error"]
    assert error["language"] == "zh" and error["details"][0]["parameter"] == parameter
    assert words in error["message"], error["message"]
    assert response["Access-Control-Allow-Origin"] == "*" and "ETag" not in response


def test_errors_in_english_on_request(client, world):
    _, data = get(client, "/api/v1/producers/?page_size=500&lang=en")
    assert data["error"]["language"] == "en"
    assert data["error"]["message"].startswith("Invalid value “500” for page_size")
    response, data = get(client, "/api/v1/producers/?kind=x", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9,zh;q=0.5")
    assert data["error"]["language"] == "en" and "kind must be one of" in data["error"]["message"]
    assert "Accept-Language" in response["Vary"]
    _, data = get(client, "/api/v1/producers/?kind=x", HTTP_ACCEPT_LANGUAGE="zh-CN,en;q=0.5")
    assert data["error"]["language"] == "zh"
    _, data = get(client, "/api/v1/nowhere/?lang=en")
    assert data["error"]["code"] == "not_found" and "/api/v1/" in data["error"]["message"]


# --- HTTP: CORS, methods, caching ------------------------------------------------------------------

def test_cors_methods_and_head(client, world):
    response = client.get("/api/v1/producers/", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*" and "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options("/api/v1/producers/", HTTP_ORIGIN="https://example.org",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code == 204 and "GET" in preflight["Access-Control-Allow-Methods"]
    post = client.post("/api/v1/producers/", {})
    assert post.status_code == 405 and json.loads(post.content)["error"]["code"] == "method_not_allowed"
    head = client.head("/api/v1/producers/")
    assert head.status_code == 200 and head.content == b"" and head["ETag"]


def test_etag_and_304_until_the_data_changes(client, world):
    first = client.get("/api/v1/producers/")
    assert "public" in first["Cache-Control"] and "s-maxage=300" in first["Cache-Control"]
    assert client.get("/api/v1/producers/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    producer = world["a"]
    producer.products = "葡萄"
    producer.save()
    again = client.get("/api/v1/producers/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and "葡萄" in again.content.decode()


# --- a fixed number of queries -------------------------------------------------------------------

def _queries(client, url) -> int:
    client.get(url)  # warm per-process caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url", ["/api/v1/producers/?page_size=100", "/api/v1/producers/?township=652301101",
                                 "/api/v1/people/?page_size=100", "/api/v1/grids/?page_size=100",
                                 "/api/v1/substances/?page_size=100&current=true"])
def test_constant_queries_whatever_the_data_size(client, world, url):
    few = _queries(client, url)
    for i in range(40):
        ProducerFactory(name=f"批量{i}", village=world["changfeng"], kind="large_grower")
        person = PersonFactory(name=f"批量人员{i}")
        RoleAssignment.objects.create(person=person, grid=world["changfeng"], role="coordinator",
                                      start_date=datetime.date(2025, 1, 1))
        Substance.objects.create(name_zh=f"批量物质{i}", category="pesticide", status="restricted")
    many = _queries(client, url)
    assert few == many <= 6, (url, few, many)
