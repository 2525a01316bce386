"""The city's admin home shows the grids with vacant roles, live; township staff do not get the panel."""

import datetime

import pytest

from disclosure.models import Role, RoleAssignment
from disclosure.services.grids import role_end

pytestmark = pytest.mark.django_db


def test_the_city_home_lists_vacant_roles_and_updates_when_one_ends(client, staffed_grids, city_user, township):
    client.force_login(city_user)
    home = client.get("/admin/").content.decode()
    assert "空缺岗位" in home and "没有空缺岗位" in home
    role_end(assignment=RoleAssignment.objects.current().get(grid=township, role=Role.TESTER),
             end_date=datetime.date.today())
    home = client.get("/admin/").content.decode()
    assert "1 个网格有岗位空缺" in home and "三工镇" in home and "乡镇监管站检测员" in home
    assert f"grid={township.pk}" in home


def test_township_staff_do_not_see_the_city_panel(client, staffed_grids, township_user):
    client.force_login(township_user)
    assert "空缺岗位" not in client.get("/admin/").content.decode()
