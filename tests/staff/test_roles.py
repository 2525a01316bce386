"""Roles: the menu each staff group sees, grid and people editing scoped to the township, the demo accounts."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from wagtail.admin.menu import admin_menu

from complaints.models import Complaint

pytestmark = pytest.mark.django_db


def _menu(user) -> dict[str, set[str]]:
    request = RequestFactory().get("/admin/")
    request.user = user
    menu = {}
    for item in admin_menu.menu_items_for_request(request):
        sub = getattr(item, "menu", None)
        menu[str(item.label)] = {str(i.label) for i in sub.menu_items_for_request(request)} if sub else set()
    return menu


def test_menus(city_user, township_user, village_user):
    city, town, village = _menu(city_user), _menu(township_user), _menu(village_user)
    for menu in (city, town, village):
        assert menu["投诉举报"] == {"办理队列", "登记来电来访", "统计"}
    assert {"网格", "网格人员", "任职记录", "导入人员名单"} <= city["网格与人员"]
    assert "节假日与调休" in city["设置"]
    assert {"网格", "网格人员", "任职记录"} <= town["网格与人员"] and "导入人员名单" not in town["网格与人员"]
    assert "网格与人员" not in village
    assert "设置" not in town and "设置" not in village


def test_township_supervisor_edits_people_of_own_township_only(login, township_user, village_user,
                                                                 other_township_user):
    client = login(township_user)
    own = village_user.grid_person
    other = other_township_user.grid_person
    assert client.get(reverse("wagtailsnippets_disclosure_person:edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("wagtailsnippets_disclosure_person:edit", args=[other.pk])).status_code == 404
    assert client.get(reverse("grid_assignments:index")).status_code == 200
    # no roster import, no deleting people
    assert client.get(reverse("grid_roster:import")).status_code == 302
    assert client.get(reverse("wagtailsnippets_disclosure_person:delete", args=[own.pk])).status_code == 302


def test_only_the_city_links_people_to_staff_accounts(login, township_user, village_user, city_user):
    """The link decides whose grids an account sees: a township supervisor who may edit a coordinator's
    phone can neither see nor change it (a posted value is ignored), the city can."""
    own = village_user.grid_person
    url = reverse("wagtailsnippets_disclosure_person:edit", args=[own.pk])
    client = login(township_user)
    assert 'name="user"' not in client.get(url).content.decode()
    response = client.post(url, {"name": own.name, "position": "协管员", "phone": "13900002222",
                                 "phone_public": "on", "user": township_user.pk})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.phone == "13900002222" and own.user_id == village_user.pk

    client = login(city_user)
    assert 'name="user"' in client.get(url).content.decode()


def test_village_coordinator_has_no_grid_admin(login, village_user):
    client = login(village_user)
    response = client.get(reverse("wagtailsnippets_disclosure_person:list"))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_staff_roles_command_is_idempotent(db):
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    call_command("staff_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    call_command("staff_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    second = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    assert first == second
    assert "view_reporter_identity" not in first["village_coordinator"]
    assert {"view_reporter_identity", "change_person", "export_complaint"} <= first["township_supervisor"]
    assert "import_roster" in first["city_supervisor"] and "add_holiday" in first["city_supervisor"]


def test_demo_accounts_have_content(grids, tmp_path, monkeypatch, client):
    """Every demo account sees complaints in its queue and on its dashboard; the history and photos are there."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from staff import demo

    monkeypatch.setattr(demo, "CREDENTIALS_FILE", tmp_path / "demo_accounts.txt")
    today = timezone.localdate()
    d = demo.Demo()
    demo.load_people(d, today.replace(year=today.year - 1))
    demo.load_producers(d, 40, today)
    demo.load_accounts()
    demo.load_complaints(d, today)
    assert demo.load_complaint_extras(today) > 30
    assert demo.load_complaint_extras(today) == 0  # idempotent
    users = get_user_model().objects
    assert not users.get(username="city_quality").is_superuser
    from staff.selectors import complaint_dashboard

    for username, _description, _group, _grid in demo.DEMO_ACCOUNTS:
        user = users.get(username=username)
        assert Complaint.objects.visible_to(user).open().exists(), username
        client.force_login(user)
        response = client.get(reverse("triage:index"))
        assert response.status_code == 200 and response.context["paginator"].count > 0, username
        data = complaint_dashboard(user=user)
        assert sum(w.received for w in data.weeks) > 0, username
    city = complaint_dashboard(user=users.get(username="city_quality"))
    assert city.on_time_rate is not None and 0 < city.on_time_rate < 1
    assert len([row for row in city.townships if row.closed_counted]) >= 5
