"""Vacancies (空缺): grids where a role the plan requires has nobody, found in two queries, and printed as
空缺 on the roster and the wall posters instead of a silent gap."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.models import Grid, Role, RoleAssignment
from disclosure.services.grids import grids_unstaffed, role_end
from disclosure.services.roster import roster_csv, roster_parse, roster_rows
from tests.disclosure.test_posters import pdf_text

pytestmark = pytest.mark.django_db


def vacate(grid, role):
    assignment = RoleAssignment.objects.current().get(grid=grid, role=role)
    role_end(assignment=assignment, end_date=datetime.date.today())
    return assignment.person


def test_a_fully_staffed_tree_has_no_vacancies(staffed_grids):
    assert grids_unstaffed() == []


def test_vacancies_are_listed_in_tree_order_with_the_missing_roles(staffed_grids, township, village):
    vacate(township, Role.TESTER)
    vacate(village, Role.COORDINATOR)
    other = Grid.objects.villages().exclude(parent=township).order_by("code").first()
    vacate(other, Role.COORDINATOR)
    found = [(v.grid, v.roles) for v in grids_unstaffed()]
    assert (township, [Role.TESTER]) in found and (other, [Role.COORDINATOR]) in found
    assert found.index((township, [Role.TESTER])) + 1 == found.index((village, [Role.COORDINATOR]))
    assert len(found) == 3


def test_vacancies_take_two_queries_whatever_the_number_of_grids(staffed_grids):
    with CaptureQueriesContext(connection) as few:
        grids_unstaffed()
    assert len(few) == 2


def test_a_role_ending_in_future_is_not_yet_vacant_and_a_grid_never_staffed_is(grids, township):
    found = {v.grid.pk: v.roles for v in grids_unstaffed()}
    assert found[township.pk] == [Role.SUPERVISOR, Role.TESTER]
    assert len(found) == 68  # nobody anywhere yet


def test_the_roster_says_vacant_for_a_missing_role(client, staffed_grids, township, village):
    vacate(township, Role.TESTER)
    vacate(village, Role.COORDINATOR)
    rows = {row.grid.pk: row for row in roster_rows()}
    assert rows[township.pk].cells()[8] == "空缺" and rows[village.pk].cells()[9] == "空缺"
    assert rows[township.pk].cells()[5]  # the supervisor is still named
    page = client.get("/personnel/").content.decode()
    assert page.count('<span class="vacant">空缺</span>') == 2
    assert "空缺" in roster_csv(roster_rows()).decode("utf-8-sig")


def test_a_roster_with_vacancies_imports_again_without_changes(staffed_grids, township):
    vacate(township, Role.SUPERVISOR)
    preview = roster_parse(content=roster_csv(roster_rows(public=False)), filename="r.csv")
    assert preview.ok and preview.change_count == 0


def test_the_posters_say_vacant_with_the_hotline(client, staffed_grids, township, village, tmp_path):
    tester = vacate(township, Role.TESTER)
    vacate(village, Role.COORDINATOR)
    text = pdf_text(tmp_path, client.get("/grid/sangong/poster.pdf").content)
    assert tester.name not in text
    assert "乡镇监管站检测员" in text and "空缺" in text and "岗位空缺期间请拨打投诉举报电话" in text
    village_text = pdf_text(tmp_path, client.get("/grid/sangong/changfeng/poster.pdf").content)
    assert "村级协管员" in village_text and "空缺" in village_text and "0994-12316" in village_text
    city_text = pdf_text(tmp_path, client.get("/grid/poster.pdf").content)
    assert "空缺" in city_text


def test_a_staffed_poster_has_no_vacancy(client, staffed_grids, tmp_path):
    assert "空缺" not in pdf_text(tmp_path, client.get("/grid/sangong/poster.pdf").content)
