"""The yearly plan screens of the back office: generating, adjusting through the views (with the version
guard), the history, filters, scoping to the user's township, the city's rules in the settings menu."""

import datetime
import re

import pytest
from django.urls import reverse

from disclosure.models import ProducerKind
from inspections.models import InspectionPlan, PlanChange, PlannedVisit
from inspections.services.plans import plan_generate
from tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year


@pytest.fixture
def registry(village):
    return [ProducerFactory(village=village, kind=ProducerKind.COOPERATIVE, name=f"示例合作社{n}") for n in range(3)]


@pytest.fixture
def plan(township, township_user, registry):
    return plan_generate(township=township, year=YEAR, user=township_user, peak_months="6")


def test_township_generates_its_plan_through_the_form(login, township, township_user, registry):
    client = login(township_user)
    page = client.get(reverse("inspections:plans")).content.decode()
    assert "生成计划" in page and township.name in page
    response = client.post(reverse("inspections:plan_generate"), {
        "township": township.pk, "year": YEAR, "small_share": 20, "peak_months": "6，9"})
    plan = InspectionPlan.objects.get(township=township, year=YEAR)
    assert response.status_code == 302 and response["Location"] == reverse("inspections:plan", args=[plan.pk])
    assert plan.peak_months == "6,9"
    # 3 co-operatives × (2 by rule + 1 peak visit)
    html = client.get(response["Location"]).content.decode()
    assert "计划巡查 9 次，已完成 0 次" in html
    assert "生成年度计划：3个主体，9次巡查。" in html  # the history


def test_bad_peak_months_are_shown_beside_the_field_and_nothing_is_made(login, township, township_user, registry):
    response = login(township_user).post(reverse("inspections:plan_generate"), {
        "township": township.pk, "year": YEAR, "small_share": 20, "peak_months": "6,13"})
    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index('id="id_peak_months"') - 1500:html.index('id="id_peak_months"') + 600]
    assert "高峰期月份“13”无效" in field
    assert not InspectionPlan.objects.exists()


def test_a_township_cannot_generate_or_open_another_townships_plan(login, plan, other_township_user, township):
    client = login(other_township_user)
    html = client.get(reverse("inspections:plans")).content.decode()
    assert township.name not in html  # neither in the list nor in the form's choices
    assert client.get(reverse("inspections:plan", args=[plan.pk])).status_code == 404
    visit = plan.visits.first()
    assert client.get(reverse("inspections:visit", args=[visit.pk])).status_code == 404
    response = client.post(reverse("inspections:visit_act", args=[visit.pk, "move"]),
                           {"month": 3, "expected_version": visit.version})
    assert response.status_code == 404
    assert client.post(reverse("inspections:visit_add", args=[plan.pk]), {"producer": visit.producer_id,
                                                                         "month": 5}).status_code == 404
    response = client.post(reverse("inspections:plan_generate"), {"township": township.pk, "year": YEAR + 1,
                                                                  "small_share": 20})
    assert response.status_code == 400 and not InspectionPlan.objects.filter(year=YEAR + 1).exists()


def test_the_city_sees_every_plan_and_keeps_the_rules(login, plan, city_user, township_user):
    client = login(city_user)
    assert client.get(reverse("inspections:plan", args=[plan.pk])).status_code == 200
    rules_url = reverse("wagtailsettings:edit", args=["inspections", "inspectionrules"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert rules_url in home  # in the settings menu and under 日常巡查
    settings_page = client.get(rules_url, follow=True)
    assert settings_page.status_code == 200 and "重点监管名录主体每年巡查次数" in settings_page.content.decode()
    township_client = login(township_user)
    assert rules_url not in township_client.get(reverse("wagtailadmin_home")).content.decode()
    refused = township_client.get(rules_url, follow=True)
    assert "重点监管名录主体每年巡查次数" not in refused.content.decode()


def test_moving_reassigning_and_removing_a_visit(login, plan, township_user):
    client = login(township_user)
    visit = plan.visits.filter(reason="required").order_by("id").first()
    page = client.get(reverse("inspections:visit", args=[visit.pk])).content.decode()
    assert f'name="expected_version" value="{visit.version}"' in page
    response = client.post(reverse("inspections:visit_act", args=[visit.pk, "move"]),
                           {"month": 11, "expected_version": visit.version})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.month == 11 and visit.version == 2
    # The same page sent again (stale version): refused with the 'changed' message, nothing changes.
    response = client.post(reverse("inspections:visit_act", args=[visit.pk, "move"]),
                           {"month": 3, "expected_version": 1})
    assert response.status_code == 409
    assert "刚刚已被其他人调整，请刷新页面后再操作" in response.content.decode()
    visit.refresh_from_db()
    assert visit.month == 11
    # Reassigning to nobody, then removing without a reason (refused beside the field), then with one.
    assert client.post(reverse("inspections:visit_act", args=[visit.pk, "assign"]),
                       {"assignee": "", "expected_version": 2}).status_code == 302
    visit.refresh_from_db()
    assert visit.assignee is None
    response = client.post(reverse("inspections:visit_act", args=[visit.pk, "remove"]),
                           {"reason": "  ", "expected_version": visit.version})
    assert response.status_code == 400 and "请填写取消原因" in response.content.decode()
    assert PlannedVisit.objects.filter(pk=visit.pk).exists()
    assert client.post(reverse("inspections:visit_act", args=[visit.pk, "remove"]),
                       {"reason": "主体已停产", "expected_version": visit.version}).status_code == 302
    assert not PlannedVisit.objects.filter(pk=visit.pk).exists()
    history = client.get(reverse("inspections:plan", args=[plan.pk])).content.decode()
    for words in ("月调整到11月", "改派给（未安排）", "主体已停产"):
        assert words in history, words
    assert PlanChange.objects.filter(plan=plan).count() == 4


def test_adding_a_visit_and_filtering_the_list(login, plan, township_user, registry):
    client = login(township_user)
    response = client.post(reverse("inspections:visit_add", args=[plan.pk]),
                           {"producer": registry[0].pk, "month": 2, "assignee": township_user.pk})
    assert response.status_code == 302
    added = plan.visits.get(reason="extra")
    assert added.month == 2 and added.assignee == township_user
    html = client.get(reverse("inspections:plan", args=[plan.pk]), {"month": 2}).content.decode()
    listed = re.findall(r'href="/admin/inspections/plans/visits/(\d+)/"', html)
    assert listed == [str(added.pk)]
    html = client.get(reverse("inspections:plan", args=[plan.pk]), {"month": 6, "state": "open"}).content.decode()
    assert len(re.findall(r'href="/admin/inspections/plans/visits/(\d+)/"', html)) == 3
    assert not re.findall(r'href="/admin/inspections/plans/visits/(\d+)/"', client.get(
        reverse("inspections:plan", args=[plan.pk]), {"state": "done"}).content.decode())
    # A producer of another township is not offered, and forcing it is refused beside the field.
    outsider = ProducerFactory(village=plan.township.__class__.objects.villages().exclude(
        parent=plan.township).first())
    response = client.post(reverse("inspections:visit_add", args=[plan.pk]), {"producer": outsider.pk, "month": 2})
    assert response.status_code == 400 and "请选择生产主体" in response.content.decode()


def test_a_coordinator_sees_no_plans(login, plan, village_user):
    # Wagtail answers a refused admin page by sending the user back to the admin home with a message.
    response = login(village_user).get(reverse("inspections:plan", args=[plan.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
