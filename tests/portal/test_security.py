"""Sign-in throttling, staff session expiry, Content-Security-Policy and Permissions-Policy."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture
def superuser(db):
    return UserFactory(username="city-admin", is_superuser=True, password="right-password-1")


def _sign_in(client, password, username="city-admin", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_wrong_passwords_lock_the_account_and_then_even_the_right_one_is_refused(client, superuser, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "guess").status_code == 200  # the form again, with its error
    locked = _sign_in(client, "guess")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "登录已暂时锁定" in html and "30 分钟后再试" in html
    assert _sign_in(client, "right-password-1").status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username="city-admin").exists()


def test_the_lockout_is_per_account_and_address(client, superuser, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "guess", REMOTE_ADDR="203.0.113.5")
    # The same account from another office, and another account from the same address, still sign in.
    assert _sign_in(client, "right-password-1", REMOTE_ADDR="198.51.100.7").status_code == 302
    UserFactory(username="township", is_superuser=True, password="other-password-2")
    client.logout()
    assert _sign_in(client, "other-password-2", username="township",
                    REMOTE_ADDR="203.0.113.5").status_code == 302


def test_behind_the_proxy_each_citizen_is_counted_apart(client, superuser, settings):
    settings.PORTAL_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "guess", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert _sign_in(client, "right-password-1", REMOTE_ADDR="127.0.0.1",
                    HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302


def test_a_right_password_resets_the_count(client, superuser, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "guess")
    assert _sign_in(client, "right-password-1").status_code == 302
    client.logout()
    assert _sign_in(client, "guess").status_code == 200


def test_staff_sessions_end_after_inactivity(client, superuser, settings):
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200
    assert client.session.get_expiry_age() == settings.PORTAL_STAFF_IDLE_SECONDS
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date <= timezone.now() + datetime.timedelta(seconds=settings.PORTAL_STAFF_IDLE_SECONDS + 5)
    session.expire_date = timezone.now() - datetime.timedelta(seconds=1)
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_a_password_change_signs_out_every_other_session(client, superuser):
    other = client.__class__()
    other.force_login(superuser)
    client.force_login(superuser)
    superuser.set_password("a-new-password-3")
    superuser.save()
    assert other.get("/admin/").status_code == 302


def _policy(response) -> dict:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/producers/", "/substances/", "/complaints/new/", "/search/?q=x"])
def test_public_pages_send_a_strict_policy(client, home, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    # ... and the pages really hold no inline script, style or handler that the policy would block.
    html = response.content.decode()
    assert "<script>" not in html and "<style" not in html and " onclick=" not in html
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_the_back_office_sends_its_own_policy(client, superuser):
    response = client.get(LOGIN)
    policy = _policy(response)
    assert policy["object-src"] == ["'none'"] and policy["form-action"] == ["'self'"]
    assert "https:" not in response["Content-Security-Policy"] and "*" not in response["Content-Security-Policy"]
    client.force_login(superuser)
    response = client.get("/admin/")
    assert _policy(response)["frame-ancestors"] == ["'self'"]
    assert "Permissions-Policy" in response


def test_the_phone_app_may_show_photos_waiting_on_the_phone_and_nothing_inline(client, superuser):
    client.force_login(superuser)
    response = client.get("/field/")
    assert response.status_code == 200
    policy = _policy(response)
    assert "blob:" in policy["img-src"] and policy["script-src"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    html = response.content.decode()
    assert "<script>" not in html and "<style" not in html and " onclick=" not in html
