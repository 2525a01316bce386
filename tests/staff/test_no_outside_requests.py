"""The back office, like the public site, asks nothing of outside servers: no avatar service, no CDN."""

import re

import pytest

# What a browser fetches by itself: images, scripts, frames and <link> stylesheets/icons (plain links are fine).
OUTSIDE = re.compile(r"""(?:\bsrc|\bsrcset|<link\b[^>]*\bhref)=["'](?:https?:)?//(?!nc\.example\.cn)[^"']+""")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/", "/admin/triage/", "/admin/triage/dashboard/"])
def test_back_office_pages_load_nothing_from_outside(login, city_user, user_with_email, path):
    response = login(user_with_email(city_user)).get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "gravatar" not in html
    assert OUTSIDE.findall(html) == []


@pytest.fixture
def user_with_email():
    def give(user):
        user.email = "city-demo@example.cn"  # an address with a gravatar would be fetched from gravatar.com
        user.save(update_fields=["email"])
        return user

    return give


@pytest.mark.django_db
def test_sign_in_page_is_the_portals_and_in_chinese(client, grids):
    html = client.get("/admin/login/").content.decode()
    assert "登录昌吉市农产品质量安全网格化管理后台" in html  # the place is the grid tree's top grid
    assert "密码" in _label_of(html, "id_password")
    assert "Password" not in html


@pytest.mark.django_db
def test_home_search_box_and_help_menu_speak_chinese(login, city_user):
    html = login(city_user).get("/admin/").content.decode()
    assert "搜索投诉举报、生产主体和人员" in html and "Search all pages" not in html
    assert "guide.wagtail.org" not in html and "Wagtail 8" not in html
    assert "快捷键" in html


def _label_of(html: str, field_id: str) -> str:
    match = re.search(rf'<label[^>]*for="{field_id}"[^>]*>(.*?)</label>', html, re.S)
    return match.group(1) if match else ""
