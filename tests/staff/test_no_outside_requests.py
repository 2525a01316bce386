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
