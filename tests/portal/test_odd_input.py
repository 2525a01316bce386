"""Odd input at every public GET parameter: never a 500, and the malformed kinds get one clear 400.

Run on PostgreSQL too (DATABASE_URL): it refuses NUL bytes in text, which is what turned "%00" into 500s.
"""

import pytest

from tests.disclosure.test_producers_fixtures import producer_fixture, staffed_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

# Every public page and the GET parameters it reads ({code} is a real producer's code).
CATALOGUE = {
    "/search/": ["q", "page"],
    "/lang/en/": ["next"],
    "/producers/": ["q", "township", "village", "kind", "grade", "page"],
    "/p/{code}/": ["s", "S"],
    "/substances/": ["q", "category", "status"],
    "/news/": ["kind", "tag", "page"],
    "/grid/": ["format"],
    "/personnel/": ["format"],
    "/complaints/new/": ["producer"],
    "/complaints/track/": ["code"],
    "/complaints/producers.json": ["q"],
    "/api/v1/producers/": ["township", "village", "kind", "grade", "updated_since", "page", "page_size", "lang"],
    "/api/v1/producers/{code}/": ["lang"],
    "/api/v1/grids/": ["level", "parent", "page"],
    "/api/v1/people/": ["role", "grid", "township", "page_size"],
    "/api/v1/substances/": ["q", "category", "status", "group", "current", "page"],
    "/api/open311/v2/services.json": ["jurisdiction_id"],
    "/api/open311/v2/requests.json": ["service_request_id", "service_code", "status", "start_date",
                                      "end_date", "jurisdiction_id"],
}

# Values a page must answer without a server error (200, a notice, a 404 or a 400 all fine).
ODD_VALUES = ["", " ", "²", "٣", "-1", "0", "99999999999999999999999", "1e309", "NaN", "[]", "{}",
              "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "🍅" * 10, "农" * 300,
              "2026-13-45", "%", "a,b,,c", "\u200b", "\ufeff"]

# Raw query strings that are malformed whatever the parameter: each must be refused with a clear 400.
MALFORMED = {
    "%00": "控制字符",
    "a%00b": "控制字符",
    "%01": "控制字符",
    "%C0%AF": "UTF-8",
    "%FF%FE": "UTF-8",
    "%E5%86": "UTF-8",
    "x" * 2001: "过长",
}


def _urls(code):
    return [(url.format(code=code), params) for url, params in CATALOGUE.items()]


@pytest.fixture
def site(home, producer):
    return producer.code


def test_odd_values_never_give_a_server_error(client, site):
    failures = []
    for url, params in _urls(site):
        for param in params:
            for value in ODD_VALUES:
                status = client.get(url, {param: value}).status_code
                if status >= 500:
                    failures.append((url, param, value[:20], status))
    assert failures == []


def test_malformed_values_get_a_clear_400_everywhere(client, site):
    failures = []
    for url, params in _urls(site):
        for param in params:
            for raw, words in MALFORMED.items():
                response = client.get(f"{url}?{param}={raw}")
                body = response.content.decode()
                if response.status_code != 400 or words not in body:
                    failures.append((url, param, raw[:12], response.status_code))
    assert failures == []


def test_the_400_page_explains_in_chinese_and_in_english_when_chosen(client, site):
    response = client.get("/producers/?q=%00")
    assert response.status_code == 400
    assert "查询参数中含有不允许的控制字符" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    client.cookies["lang"] = "en"
    response = client.get("/producers/?q=%00")
    assert "control character" in response.content.decode()


def test_api_paths_get_a_json_400(client, site):
    response = client.get("/api/v1/producers/?township=%00")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"
    assert "控制字符" in response.json()["error"]["message"]


@pytest.mark.parametrize("path", ["/p/AB%00CD/", "/news/%00/", "/grid/%00/", "/%00/", "/b/%00/",
                                  "/api/v1/producers/%00/"])
def test_control_characters_in_the_address_get_a_400(client, site, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "网址中含有不允许的控制字符" in response.content.decode()


@pytest.mark.parametrize("path", ["/api/open311/v2/requests/%C2%B2.json",
                                  "/api/open311/v2/requests/99999999999999999999.json",
                                  "/api/open311/v2/requests.json?service_request_id=%C2%B2",
                                  "/api/open311/v2/requests.json?service_request_id=99999999999999999999"])
def test_open311_ids_that_are_not_ids(client, site, path):
    assert client.get(path).status_code in (400, 404)


def test_nul_in_a_form_field_is_refused_beside_the_field(client, site):
    response = client.post("/complaints/track/", {"code": "AB\x00CD"})
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode() or "空字符" in response.content.decode()
