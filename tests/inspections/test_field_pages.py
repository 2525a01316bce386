"""/field/: the inspector's pages, the offline plan, the service worker and the manifest."""

import datetime
import json

import pytest
from django.utils import timezone

from tests.inspections.field_helpers import visit_this_month

pytestmark = pytest.mark.django_db


def test_field_pages_need_a_login(client):
    for path in ("/field/", "/field/inspect/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/admin/login/?next={path}"
    response = client.get("/field/plan.json")
    assert response.status_code == 401 and response.json()["messages"] == ["登录已过期，请重新登录。"]


def test_my_visits_this_month_lists_the_users_open_and_done_visits(login, township_user, tester_user, producer,
                                                                  record):
    from tests.factories import ProducerFactory

    done = ProducerFactory(village=producer.village, name="长丰示例家庭农场")
    visit_this_month(producer, township_user, township_user)
    visit_this_month(ProducerFactory(village=producer.village, name="别人的示例农场"), tester_user, township_user)
    done_visit = visit_this_month(done, township_user, township_user)
    record(done, visit=done_visit)
    response = login(township_user).get("/field/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store, private"
    html = response.content.decode()
    assert "长丰蔬菜专业合作社" in html and "长丰示例家庭农场" in html and "别人的示例农场" not in html
    assert f'href="/field/inspect/?visit={producer.planned_visits.get().pk}"' in html
    assert f"已完成 {datetime.date.today():%Y-%m-%d}" in html
    assert "未完成 1 次" in html
    assert 'rel="manifest" href="/field/manifest.webmanifest"' in html


def test_plan_json_holds_only_the_users_visits_and_producers_in_scope(login, township_user, tester_user, producer,
                                                                    other_township):
    from tests.factories import ProducerFactory

    mine = visit_this_month(producer, township_user, township_user)
    theirs = visit_this_month(ProducerFactory(village=producer.village), tester_user, township_user)
    elsewhere = ProducerFactory(village=other_township.children.first(), name="外乡镇示例农场")
    plan = login(township_user).get("/field/plan.json").json()
    assert plan["user"]["id"] == township_user.pk
    assert [v["id"] for v in plan["visits"]] == [mine.pk]
    assert theirs.pk not in [v["id"] for v in plan["visits"]]
    visit = plan["visits"][0]
    assert visit == {**visit, "producer": producer.pk, "assignee": township_user.pk, "version": mine.version,
                     "done": False}
    ids = {p["id"] for p in plan["producers"]}
    assert producer.pk in ids and elsewhere.pk not in ids
    row = next(p for p in plan["producers"] if p["id"] == producer.pk)
    assert row["name"] == "长丰蔬菜专业合作社" and row["updated_at"].startswith(str(timezone.localtime(producer.updated_at).date()))
    assert len(plan["items"]) == 7


def test_a_coordinator_may_record_for_their_own_village_only(login, village_user, producer, other_village):
    from tests.factories import ProducerFactory

    ProducerFactory(village=other_village, name="邻村示例农场")
    html = login(village_user).get("/field/inspect/").content.decode()
    assert "长丰蔬菜专业合作社" in html and "邻村示例农场" not in html
    assert html.count('type="radio"') == 21 and 'capture="environment"' in html and 'accept="image/*"' in html


def test_the_service_worker_is_served_for_the_field_scope(client):
    response = client.get("/field/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    text = response.content.decode()
    for path in ("/static/js/field/outbox.js", "/static/css/field.css", "/static/img/field/icon-192.png",
                 "/field/inspect/", "/field/plan.json"):
        assert f'"{path}"' in text


def test_the_manifest_makes_an_installable_app(client):
    response = client.get("/field/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "农安巡查" and manifest["start_url"] == "/field/"
    assert manifest["display"] == "standalone" and manifest["scope"] == "/field/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert sizes == {"192x192", "512x512"}
    from django.contrib.staticfiles import finders
    from PIL import Image

    for icon in manifest["icons"]:
        with Image.open(finders.find(icon["src"].removeprefix("/static/"))) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_the_field_pages_in_english(login, tester_user, producer):
    import re

    from tests.portal.test_translations import visible_text

    visit_this_month(producer, tester_user, tester_user)
    client = login(tester_user)
    client.cookies["lang"] = "en"
    labels = {"/field/": ["My visits this month", "Record inspection", "Send now", "Record a sample"],
              "/field/inspect/": ["Inspection record", "Use of pesticides and veterinary drugs", "Not compliant",
                                  "Take photo", "Save record"],
              "/field/sample/": ["Sample name", "Save sample record"]}
    for path, wanted in labels.items():
        text = visible_text(client.get(path).content.decode())
        for label in wanted:
            assert label in text, (path, label)
        assert not re.findall(r"[A-Za-z][：（），；。]|[（][A-Za-z]", text), path
    assert json.loads(client.get("/field/manifest.webmanifest").content)["name"] == "Farm Inspections"
