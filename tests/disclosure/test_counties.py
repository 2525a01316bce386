"""One portal for several counties: 昌吉市 at the default site, 阜康市 at its own host name, 昌吉州 (their
prefecture) at a third; routing, scoping and roll-ups across them."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from complaints.models import Complaint
from disclosure.models import Grid, GridLevel, Role
from disclosure.services.grids import role_assign
from disclosure.services.sites import grid_site_add
from tests.factories import PersonFactory, ProducerFactory, UserFactory, complaint_submit_for_tests

pytestmark = pytest.mark.django_db

FUKANG = "fukang.example.cn"
PREFECTURE = "changjizhou.example.cn"


@pytest.fixture
def counties(grids, home):
    call_command("load_places", county="652302")
    changji = Grid.objects.get(code="652301")
    fukang = Grid.objects.get(code="652302")
    # The place list has no villages for 阜康市 yet: one for the tests.
    ganhezi = Grid.objects.get(code="652302100")
    village = Grid(level=GridLevel.VILLAGE, code="652302100201", name="示例村", slug="shili", parent=ganhezi)
    village.save()
    grid_site_add(grid=fukang, hostname=FUKANG, hotline="0994-3222222", org_name="阜康市农业农村局")
    grid_site_add(grid=changji.parent, hostname=PREFECTURE, hotline="0994-2000000")
    here = ProducerFactory(name="昌吉示例蔬菜合作社", village=Grid.objects.get(code="652301101200"), published=True)
    there = ProducerFactory(name="阜康示例葡萄合作社", village=village, published=True)
    return {"changji": changji, "fukang": fukang, "fukang_village": village, "here": here, "there": there,
            "prefecture": changji.parent}


def _get(client, path, host=None, **extra):
    return client.get(path, HTTP_HOST=host or "localhost", **extra)


def test_each_county_site_shows_its_own_grid_and_producers(client, counties):
    fukang_page = _get(client, "/grid/", FUKANG).content.decode()
    assert "阜康市" in fukang_page and "甘河子镇" in fukang_page and "三工镇" not in fukang_page
    changji_page = _get(client, "/grid/").content.decode()
    assert "三工镇" in changji_page and "甘河子镇" not in changji_page
    assert "0994-3222222" in fukang_page and "0994-3222222" not in changji_page  # each county's own hotline
    listed = _get(client, "/producers/", FUKANG).content.decode()
    assert "阜康示例葡萄合作社" in listed and "昌吉示例蔬菜合作社" not in listed
    listed = _get(client, "/producers/").content.decode()
    assert "昌吉示例蔬菜合作社" in listed and "阜康示例葡萄合作社" not in listed
    # Links and QR codes printed from a county's site carry its own host name.
    assert f'<link rel="canonical" href="http://{FUKANG}/grid/">' in fukang_page
    assert '<link rel="canonical" href="https://nc.example.cn/grid/">' in changji_page  # PORTAL_BASE_URL
    # Each site's own place name in its title, from the grid it serves.
    assert "<title>" in fukang_page and "阜康市" in fukang_page.split("<title>")[1].split("</title>")[0]


def test_a_producer_page_on_the_wrong_site_sends_the_reader_to_the_producers_county(client, counties):
    there = counties["there"]
    response = _get(client, f"/p/{there.code}/")
    assert response.status_code == 302
    assert response["Location"] == f"http://{FUKANG}/p/{there.code}/"
    page = _get(client, f"/p/{there.code}/", FUKANG)
    assert page.status_code == 200 and "阜康示例葡萄合作社" in page.content.decode()
    # The prefecture's site covers both counties, but each producer's page lives on its county's site.
    assert _get(client, f"/p/{counties['here'].code}/").status_code == 200


def test_complaints_are_routed_to_the_county_of_the_producer_or_place(client, counties):
    fukang = counties["fukang"]
    about_there = complaint_submit_for_tests(producer=counties["there"], place_village=None)
    assert about_there.grid == counties["fukang_village"]
    # The form on 阜康市's site offers its townships, and a complaint with no place goes to its county grid.
    form = _get(client, "/complaints/new/", FUKANG).content.decode()
    assert "甘河子镇" in form and "三工镇" not in form
    from disclosure.sites import ServedSiteMiddleware

    placeless = ServedSiteMiddleware(lambda request: complaint_submit_for_tests(place_village=None))(
        _request_for(FUKANG))
    assert placeless.grid == fukang


def _request_for(host):
    from django.test import RequestFactory

    return RequestFactory().get("/", HTTP_HOST=host)


def _staff(username, grid, role, group):
    user = UserFactory(username=username)
    role_assign(person=PersonFactory(user=user), grid=grid, role=role,
                start_date=datetime.date.today() - datetime.timedelta(days=30))
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def county_staff(counties):
    """A supervisor of each county and the prefecture's overseer, in their staff groups."""
    call_command("staff_roles", verbosity=0)
    return {"changji": _staff("cj", counties["changji"], Role.SUPERVISOR, "city_supervisor"),
            "fukang": _staff("fk", counties["fukang"], Role.SUPERVISOR, "city_supervisor"),
            "overseer": _staff("zhou", counties["prefecture"], Role.OVERSEER, "overseer")}


def test_county_staff_see_their_county_and_the_prefecture_reads_both(counties):
    call_command("staff_roles", verbosity=0)
    here = complaint_submit_for_tests(producer=counties["here"], place_village=None)
    there = complaint_submit_for_tests(producer=counties["there"], place_village=None)
    changji_staff = _staff("cj", counties["changji"], Role.SUPERVISOR, "city_supervisor")
    fukang_staff = _staff("fk", counties["fukang"], Role.SUPERVISOR, "city_supervisor")
    overseer = _staff("zhou", counties["prefecture"], Role.OVERSEER, "overseer")
    assert set(Complaint.objects.visible_to(changji_staff)) == {here}
    assert set(Complaint.objects.visible_to(fukang_staff)) == {there}
    assert set(Complaint.objects.visible_to(overseer)) == {here, there}
    from complaints.services.permissions import allowed_actions

    assert allowed_actions(there, overseer) == ["note"]  # reads and may leave a remark; does not handle
    assert allowed_actions(there, changji_staff) == []  # another county's
    assert allowed_actions(there, fukang_staff)
    from inspections.services.scope import scope_for

    assert scope_for(changji_staff, counties["there"]) is None
    assert scope_for(fukang_staff, counties["there"]) == "township"
    assert scope_for(overseer, counties["there"]) is None
    grids = Grid.objects.covered_by(fukang_staff)
    assert counties["fukang_village"] in grids and not grids.filter(code__startswith="652301").exists()


def test_the_prefecture_site_lists_its_counties_with_their_figures(client, counties, django_capture_on_commit_callbacks,
                                                                    settings):
    settings.GRIDWORK_ROLLUPS_FOLLOW_CHANGES = True
    from gridwork.services.rollups import figures_refresh_all

    complaint_submit_for_tests(producer=counties["there"], place_village=None)
    figures_refresh_all()
    page = _get(client, "/results/", PREFECTURE).content.decode()
    assert "昌吉市" in page and "阜康市" in page and "收到投诉举报 1 件" in page
    assert f'href="http://{FUKANG}/results/"' in page
    grid_page = _get(client, "/grid/", PREFECTURE).content.decode()
    assert f'href="http://{FUKANG}/grid/"' in grid_page and "甘河子镇" not in grid_page
    # A new complaint in 阜康市 queues its county's refresh once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        complaint_submit_for_tests(producer=counties["there"], place_village=None)
    from gridwork.models import CountyFigures

    assert CountyFigures.objects.get(county=counties["fukang"]).complaints_received == 2
    assert CountyFigures.objects.get(county=counties["changji"]).complaints_received == 0


def test_open_data_filters_by_county(client, counties):
    data = _get(client, "/api/v1/producers/?county=652302").json()
    assert [p["name"] for p in data["results"]] == ["阜康示例葡萄合作社"]
    data = _get(client, "/api/v1/grids/?county=652302&level=township").json()
    assert data["count"] == Grid.objects.within(counties["fukang"]).townships().count()
    refused = _get(client, "/api/v1/producers/?county=6523")
    assert refused.status_code == 400 and "county" in refused.content.decode()


def test_open_results_roll_up_on_the_prefectures_site_and_count_one_county_on_request(client, counties):
    from gridwork.services.rollups import figures_refresh_all

    complaint_submit_for_tests(producer=counties["there"], place_village=None)
    figures_refresh_all()
    data = _get(client, "/api/v1/results/", PREFECTURE).json()
    assert {c["county"]["code"]: c["complaints_received"] for c in data["counties"]} == {"652301": 0, "652302": 1}
    assert data["townships"] == []
    one = _get(client, "/api/v1/results/?county=652302").json()
    assert {t["township"]["code"] for t in one["townships"]} == set(
        Grid.objects.within(counties["fukang"]).townships().values_list("code", flat=True))
    assert _get(client, "/api/v1/results/?county=652399").status_code == 400


def test_a_countys_staff_run_the_grid_of_their_own_townships_only(counties):
    from django.core.exceptions import ValidationError

    from gridwork.services.quotas import quota_set
    from gridwork.services.scope import is_city, townships_for

    call_command("staff_roles", verbosity=0)
    changji_staff = _staff("cj", counties["changji"], Role.SUPERVISOR, "city_supervisor")
    assert is_city(changji_staff)
    assert set(townships_for(changji_staff)) == set(Grid.objects.within(counties["changji"]).townships())
    fukang_township = Grid.objects.within(counties["fukang"]).townships().first()
    with pytest.raises(ValidationError):
        quota_set(year=datetime.date.today().year, values={(fukang_township.pk, ""): "10"}, user=changji_staff)
    overseer = _staff("zhou", counties["prefecture"], Role.OVERSEER, "overseer")
    assert set(townships_for(overseer)) == set(Grid.objects.townships())


def test_the_reporter_hears_from_the_county_handling_the_complaint(client, counties, settings,
                                                                   django_capture_on_commit_callbacks):
    """A complaint about a 阜康市 producer sent through 昌吉市's site is 阜康市's: the text message names it
    and gives the address of its own site to follow the complaint."""
    from django.core import mail

    from complaints import sms
    from disclosure.sites import ServedSiteMiddleware

    settings.COMPLAINTS_SMS_BACKEND = "complaints.sms.LocmemSmsBackend"
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ServedSiteMiddleware(lambda request: complaint_submit_for_tests(
            producer=counties["there"], place_village=None, reporter_phone="13911112222",
            reporter_email="me@example.invalid"))(_request_for("localhost"))
    text = sms.outbox[-1].text
    assert text.startswith("【阜康市农产品质量安全】") and "昌吉市" not in text
    assert f"http://{FUKANG}/complaints/track/" in text
    assert f"http://{FUKANG}/complaints/track/" in mail.outbox[-1].body
    # 昌吉市's own complaints keep the printed address (PORTAL_BASE_URL) and 昌吉市's name.
    with django_capture_on_commit_callbacks(execute=True):
        complaint_submit_for_tests(producer=counties["here"], place_village=None, reporter_phone="13911113333")
    text = sms.outbox[-1].text
    assert text.startswith("【昌吉市农产品质量安全】") and "https://nc.example.cn/complaints/track/" in text


def test_a_complaint_keeps_its_county_and_county_staff_find_theirs_by_it(counties):
    """Each complaint carries the county of its grid (kept when it is moved to another county's grid), and a
    county's staff see theirs by that one column — an index answers it however many the region holds."""
    from complaints.services import complaint_reassign_grid

    call_command("staff_roles", verbosity=0)
    fukang_staff = _staff("fk", counties["fukang"], Role.SUPERVISOR, "city_supervisor")
    changji_staff = _staff("cj", counties["changji"], Role.SUPERVISOR, "city_supervisor")
    wrong = complaint_submit_for_tests(producer=counties["here"], place_village=None)
    assert wrong.county == counties["changji"]
    assert "county_id" in str(Complaint.objects.visible_to(fukang_staff).query)
    assert "township_id" not in str(Complaint.objects.visible_to(fukang_staff).query).split("WHERE")[1]
    moved = complaint_reassign_grid(complaint=wrong, user=changji_staff, expected_version=wrong.version,
                                    grid=counties["fukang_village"], reason="生产主体实际在阜康市。")
    assert Complaint.objects.get(pk=moved.pk).county == counties["fukang"]
    assert set(Complaint.objects.visible_to(fukang_staff)) == {moved}
    assert not Complaint.objects.visible_to(changji_staff).exists()
    # Complaints written in bulk (imports, generated data) get theirs from counties_fill().
    Complaint.objects.filter(pk=moved.pk).update(county=None)
    assert Complaint.objects.counties_fill() == 1
    assert Complaint.objects.get(pk=moved.pk).county == counties["fukang"]
