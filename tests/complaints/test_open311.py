"""Open311 GeoReport v2: services, requests GET/POST with API keys, errors as the spec says."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from complaints.models import Category, Channel, Complaint, Open311Client
from complaints.services.api_keys import open311_client_for_key, open311_key_issue, open311_key_revoke

pytestmark = pytest.mark.django_db
BASE = "/api/open311/v2/"


@pytest.fixture
def key(grids):
    _client, raw = open311_key_issue(name="昌吉市12345热线")
    return raw


def post(client, key, **fields):
    data = {"api_key": key, "service_code": "banned_pesticide", "attribute[kind]": "report",
            "address_string": "三工镇长丰村3组", "attribute[village]": "652301101200",
            "description": "有人在大棚喷洒禁用农药。", "attribute[external_ref]": "12345-0001"}
    data.update(fields)
    return client.post(BASE + "requests.json", {k: v for k, v in data.items() if v is not None})


def errors(response):
    body = response.json()
    assert isinstance(body, list) and all(set(e) == {"code", "description"} for e in body)
    assert all(e["code"] == response.status_code for e in body)
    return " ".join(e["description"] for e in body)


def test_services_and_definitions(client, grids):
    services = client.get(BASE + "services.json").json()
    assert [s["service_code"] for s in services] == Category.values
    assert all(s["metadata"] is True and s["type"] == "realtime" for s in services)
    definition = client.get(BASE + "services/residue.json").json()
    codes = [a["code"] for a in definition["attributes"]]
    assert codes[0] == "kind" and definition["attributes"][0]["required"] is True and "village" in codes
    assert client.get(BASE + "services/nope.json").status_code == 404
    root = ET.fromstring(client.get(BASE + "services.xml").content)
    assert root.tag == "services" and root[0].tag == "service"
    assert client.get(BASE + "discovery.json").json()["endpoints"][0]["formats"]


def test_post_creates_a_complaint_on_the_lifecycle(client, key, village):
    response = post(client, key)
    assert response.status_code == 200
    body = response.json()
    complaint = Complaint.objects.get(pk=int(body[0]["service_request_id"]))
    assert complaint.channel == Channel.OPEN311 and complaint.grid == village
    assert complaint.external_ref == "12345-0001" and complaint.open311_client.name == "昌吉市12345热线"
    assert complaint.display_code in body[0]["service_notice"]
    assert Open311Client.objects.get().last_used_at is not None


@pytest.mark.parametrize(("fields", "status", "fragment"), [
    ({"api_key": None}, 403, "api_key"),
    ({"api_key": "cj311_wrong"}, 403, "api_key"),
    ({"service_code": None}, 400, "service_code"),
    ({"service_code": "potholes"}, 404, "potholes"),
    ({"attribute[kind]": None}, 400, "attribute[kind]"),
    ({"address_string": None, "attribute[village]": None}, 400, "位置"),
    ({"attribute[village]": "999"}, 400, "attribute[village]"),
    ({"attribute[producer]": "ZZZZZZ"}, 400, "attribute[producer]"),
    ({"description": ""}, 400, "description"),
    ({"description": "x" * 2001}, 400, "2000"),
    ({"description": "<script>alert(1)</script>"}, 400, "脚本"),
    ({"phone": "12345"}, 400, "电话号码"),
    ({"lat": "abc", "long": "87", "address_string": None, "attribute[village]": None}, 400, "经纬度"),
    ({"jurisdiction_id": "elsewhere.gov"}, 404, "jurisdiction_id"),
])
def test_post_errors(client, key, fields, status, fragment):
    response = post(client, key, **fields)
    assert response.status_code == status
    assert fragment in errors(response)
    assert Complaint.objects.count() == 0


def test_revoked_key_is_refused(client, key):
    open311_key_revoke(client=Open311Client.objects.get())
    assert post(client, key).status_code == 403
    assert open311_client_for_key(key) is None


def test_lat_long_routes_by_grid_boundary_and_is_not_stored(client, key, village):
    village.boundary = {"type": "Polygon", "coordinates": [[[87.0, 44.0], [87.5, 44.0], [87.5, 44.5],
                                                            [87.0, 44.5], [87.0, 44.0]]]}
    village.save()
    response = post(client, key, **{"attribute[village]": None, "address_string": None, "lat": "44.2", "long": "87.2"})
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.grid == village and "44.2" not in complaint.address


def test_get_requests_with_filters(client, key, submit):
    a, b = submit(), submit(category=Category.RESIDUE)
    listed = client.get(BASE + "requests.json").json()
    assert {r["service_request_id"] for r in listed} == {str(a.pk), str(b.pk)}
    row = listed[0]
    assert row["status"] == "open" and row["description"] is None and row["lat"] is None
    assert row["requested_datetime"].endswith("+08:00")
    assert [r["service_request_id"] for r in client.get(BASE + "requests.json?service_code=residue").json()] == [str(b.pk)]
    assert client.get(BASE + "requests.json?status=closed").json() == []
    assert len(client.get(BASE + f"requests.json?service_request_id={a.pk},{b.pk}").json()) == 2
    old = (timezone.now() - datetime.timedelta(days=200)).isoformat()
    assert client.get(BASE + "requests.json", {"start_date": old}).json() == []
    too_long = client.get(BASE + "requests.json", {"start_date": old, "end_date": timezone.now().isoformat()})
    assert too_long.status_code == 400 and "90" in errors(too_long)
    bad = client.get(BASE + "requests.json", {"start_date": "yesterday"})
    assert bad.status_code == 400 and "W3C" in errors(bad)
    assert client.get(BASE + "requests.json?status=pending").status_code == 400
    one = client.get(BASE + f"requests/{a.pk}.json").json()
    assert one[0]["service_request_id"] == str(a.pk)
    missing = client.get(BASE + "requests/999999.json")
    assert missing.status_code == 404 and "999999" in errors(missing)
    root = ET.fromstring(client.get(BASE + f"requests/{a.pk}.xml").content)
    assert root.tag == "service_requests" and root.find("request/status").text == "open"
    assert client.get(BASE + "requests.csv").status_code == 404


def test_admin_issues_a_key_once(admin_client, grids):
    response = admin_client.post("/admin/open311_clients/new/", {"name": "移动应用", "contact": "", "note": ""},
                                 follow=True)
    assert response.status_code == 200
    client = Open311Client.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    assert any("cj311_" in m and "只显示这一次" in m for m in shown)
    raw = next(m for m in shown if "cj311_" in m).split("：")[1].split(" ")[0]
    assert open311_client_for_key(raw) == client and raw not in client.key_hash
    admin_client.post(f"/admin/open311_clients/edit/{client.pk}/", {"name": "移动应用", "contact": "", "note": ""})
    client.refresh_from_db()
    assert client.active is False and client.revoked_at is not None
