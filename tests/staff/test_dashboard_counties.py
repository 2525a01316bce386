"""The complaints dashboard of someone above the counties (a prefecture's overseer): a line per county for a
year, read from the counties' summary rows and equal to what each county's own dashboard counts."""

import pytest
from django.utils import timezone

from complaints.models import State
from gridwork.models import CountyFigures
from gridwork.services.rollups import figures_refresh_all
from staff.selectors import complaint_dashboard, counties_dashboard
from tests.disclosure.test_counties import counties, county_staff  # noqa: F401 (fixtures)
from tests.factories import complaint_submit_for_tests

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
DASHBOARD = "/admin/triage/dashboard/"


@pytest.fixture
def people(counties, county_staff):  # noqa: F811
    for _n in range(3):
        complaint_submit_for_tests(producer=counties["here"], place_village=None)
    complaint_submit_for_tests(producer=counties["there"], place_village=None)
    return county_staff


def _line(data, name):
    return next(row for row in data.townships if row.township.name == name)


def test_the_overseer_sees_each_countys_figures_as_the_county_counts_them(counties, people):  # noqa: F811
    figures_refresh_all(year=YEAR)
    data = counties_dashboard(user=people["overseer"], year=YEAR)
    assert [row.township.name for row in data.townships] == ["昌吉市", "阜康市"]
    for county, name in (("changji", "昌吉市"), ("fukang", "阜康市")):
        own = complaint_dashboard(user=people[county])
        line = _line(data, name)
        assert line.by_state == own.total_row.by_state and line.overdue == own.overdue
        assert line.total == own.total
    assert _line(data, "昌吉市").awaiting == 3 and _line(data, "阜康市").awaiting == 1
    assert data.total_row.total == 4 and data.counts_by_state[State.SUBMITTED] == 4
    # A county's staff keep their own dashboard, counted from their complaints.
    assert counties_dashboard(user=people["fukang"], year=YEAR) is None


def test_the_overseers_page_lists_the_counties_and_follows_changes_after_the_recount(
        client, counties, people, settings, django_capture_on_commit_callbacks):  # noqa: F811
    figures_refresh_all(year=YEAR)
    client.force_login(people["overseer"])
    page = client.get(DASHBOARD).content.decode()
    assert "各县（市）情况" in page and "阜康市" in page and "昌吉市" in page
    assert "近12周收到和办结" not in page  # no trend: it would count every complaint below
    assert f"2个县（市）{YEAR}年收到的投诉举报" in page
    # A new complaint in 阜康市 queues its county's recount after commit; the overseer then sees it.
    settings.GRIDWORK_ROLLUPS_FOLLOW_CHANGES = True
    with django_capture_on_commit_callbacks(execute=True):
        complaint_submit_for_tests(producer=counties["there"], place_village=None)
    row = CountyFigures.objects.get(county=counties["fukang"], year=YEAR)
    assert row.complaints["by_state"][State.SUBMITTED] == 2
    data = counties_dashboard(user=people["overseer"], year=YEAR)
    assert _line(data, "阜康市").awaiting == 2 and data.total_row.total == 5
    csv = client.get(DASHBOARD, {"export": "csv", "year": YEAR}).content.decode("utf-8-sig")
    assert csv.splitlines()[1].startswith("县（市）") and "阜康市,2," in csv


def test_a_year_without_summary_rows_says_so(client, counties, people):  # noqa: F811
    CountyFigures.objects.all().delete()
    client.force_login(people["overseer"])
    page = client.get(DASHBOARD, {"year": YEAR - 1}).content.decode()
    assert "2个县（市）还没有该年度的汇总数据" in page


def test_the_overseers_dashboard_reads_no_more_with_more_complaints(client, counties, people,  # noqa: F811
                                                                     django_assert_max_num_queries):
    figures_refresh_all(year=YEAR)
    client.force_login(people["overseer"])
    client.get(DASHBOARD)
    with django_assert_max_num_queries(30) as before:
        client.get(DASHBOARD)
    for _n in range(5):
        complaint_submit_for_tests(producer=counties["there"], place_village=None)
    figures_refresh_all(year=YEAR)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(DASHBOARD)


def test_the_overseer_reads_inspection_coverage_a_county_at_a_time(client, counties, people):  # noqa: F811
    client.force_login(people["overseer"])
    coverage = "/admin/inspection-coverage/"
    page = client.get(coverage).content.decode()
    assert 'name="county"' in page and "昌吉市合计" in page and "三工镇" in page and "甘河子镇" not in page
    page = client.get(coverage, {"county": counties["fukang"].pk}).content.decode()
    assert "阜康市合计" in page and "甘河子镇" in page and "三工镇" not in page
    ganhezi = counties["fukang_village"].parent
    assert f"county={counties['fukang'].pk}&amp;township={ganhezi.pk}" in page  # a township's link keeps its county
    assert client.get(coverage, {"township": ganhezi.pk}).status_code == 200  # and finds it without
    # A county's staff see their own county, without a choice.
    client.force_login(people["fukang"])
    page = client.get(coverage).content.decode()
    assert 'name="county"' not in page and "甘河子镇" in page and "三工镇" not in page
