"""巡查频次达标 in the back office: scoped per township, behind plan said in words, drill-down, XLSX, and
the figures on the dashboard."""

import datetime
import io

import pytest
from django.urls import reverse

from disclosure.models import ProducerKind
from inspections.models import Inspection, PlannedVisit
from inspections.services.plans import plan_generate
from tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
URL = "/admin/inspection-coverage/"


@pytest.fixture
def plans(township, village, other_township):
    """三工镇 planned last year and behind (nothing done); the other township with no plan."""
    coop = ProducerFactory(village=village, kind=ProducerKind.COOPERATIVE, name="长丰示例合作社")
    ProducerFactory(village=other_township.children.first(), kind=ProducerKind.ENTERPRISE, name="别镇示例企业")
    plan_generate(township=township, year=TODAY.year - 1)
    visit = PlannedVisit.objects.filter(producer=coop).order_by("month").first()
    inspection = Inspection.objects.create(producer=coop, township=township, inspector_names="甲",
                                           inspected_on=datetime.date(TODAY.year - 1, visit.month, 5))
    PlannedVisit.objects.filter(pk=visit.pk).update(inspection=inspection)
    return {"coop": coop}


def test_township_staff_see_their_township_only(login, township_user, plans, township, other_township):
    response = login(township_user).get(f"{URL}?year={TODAY.year - 1}")
    assert response.status_code == 200
    html = response.content.decode()
    assert township.name in html and other_township.name not in html
    assert "落后于计划：已过月份完成50%" in html and "⚠" in html  # in words, not colour alone
    forbidden = login(township_user).get(f"{URL}?township={other_township.pk}")
    assert forbidden.status_code in (302, 403)  # Wagtail sends a refused admin page back home


def test_the_city_sees_every_township_with_the_total(login, city_user, plans, township, other_township):
    html = login(city_user).get(f"{URL}?year={TODAY.year - 1}").content.decode()
    assert township.name in html and other_township.name in html and "全市合计" in html
    assert "未制定年度计划" in html and "国家追溯平台覆盖" in html


def test_drill_down_lists_overdue_visits(login, township_user, plans, township):
    html = login(township_user).get(f"{URL}?year={TODAY.year - 1}&township={township.pk}").content.decode()
    assert "各村" in html and "逾期未巡查" in html and "长丰示例合作社" in html
    assert f"{plans['coop'].code}" in html


def test_bad_year_is_said_and_this_year_shown(login, city_user, plans):
    html = login(city_user).get(f"{URL}?year=19x9").content.decode()
    assert "年度“19x9”无效" in html and f"已显示{TODAY.year}年" in html


def test_coordinators_and_strangers_cannot_see_it(login, village_user, client):
    assert login(village_user).get(URL).status_code in (302, 403)


def test_xlsx_export_follows_the_scope(login, township_user, city_user, plans, township, other_township):
    from openpyxl import load_workbook

    response = login(township_user).get(f"{URL}?year={TODAY.year - 1}&export=xlsx")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    names = [row[0].value for row in book["频次达标"].iter_rows(min_row=3)]
    assert names == [township.name, "全市合计"]
    row = next(book["频次达标"].iter_rows(min_row=3, values_only=True))
    assert row[1].startswith("落后于计划") and row[4] == 2 and row[6] == 1  # required 2, done 1
    city = load_workbook(io.BytesIO(login(city_user).get(f"{URL}?export=xlsx&township={township.pk}").content))
    assert {"频次达标", "追溯平台覆盖", "各村", "逾期未巡查"} <= set(city.sheetnames)


def test_dashboard_shows_this_years_inspection_figures(login, township_user, township, village):
    ProducerFactory(village=village, kind=ProducerKind.COOPERATIVE)
    plan_generate(township=township, year=TODAY.year)
    html = login(township_user).get(reverse("triage:dashboard")).content.decode()
    assert f"{TODAY.year}年日常巡查" in html and "完成/应巡查" in html and "0/2" in html
    assert 'href="/admin/inspection-coverage/"' in html
