"""Second factor (双重验证): compulsory for staff who can see reporters' identities or export, asked at every
sign-in once enrolled, recovery codes, the city's reset of a lost device."""

import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from complaints.models import Complaint
from staff.second_factor import recovery_codes_issue

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-only"


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.STAFF_SECOND_FACTOR_ENFORCED = True


def _code(device, offset=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _sign_in(client, user):
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _unthrottle(device):
    """As if the wait after a wrong code had passed."""
    device.refresh_from_db()
    device.throttle_reset()


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def test_staff_with_identity_access_must_enrol_before_using_the_back_office(client, township_user):
    _sign_in(client, township_user)
    response = client.get("/admin/triage/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/second-factor/setup/")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "必须开启双重验证" in html and "<svg" in html and "密钥" in html
    device = TOTPDevice.objects.get(user=township_user, confirmed=False)

    wrong = client.post("/admin/second-factor/setup/", {"token": "000000", "next": "/admin/triage/"})
    assert "验证码不对" in wrong.content.decode()
    _unthrottle(device)
    done = client.post("/admin/second-factor/setup/", {"token": _code(device), "next": "/admin/triage/"})
    html = done.content.decode()
    assert "双重验证已开启" in html and html.count("<li><code>") == 10
    assert client.get("/admin/triage/").status_code == 200


def test_a_reporter_identity_is_not_reachable_with_the_password_alone(client, township_user, submit):
    complaint: Complaint = submit(reporter_name="张三", reporter_phone="13800000000")
    _enrolled(township_user)
    _sign_in(client, township_user)
    response = client.get(f"/admin/triage/{complaint.pk}/identity/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/second-factor/verify/")
    assert "13800000000" not in client.get(response["Location"]).content.decode()


def test_enrolled_staff_give_the_code_at_each_sign_in(client, township_user):
    device = _enrolled(township_user)
    _sign_in(client, township_user)
    assert client.get("/admin/").status_code == 302
    wrong = client.post("/admin/second-factor/verify/", {"token": "123456", "next": "/admin/triage/"})
    assert "验证码不对或已用过" in wrong.content.decode()
    _unthrottle(device)
    right = client.post("/admin/second-factor/verify/", {"token": _code(device), "next": "/admin/triage/"})
    assert right.status_code == 302 and right["Location"] == "/admin/triage/"
    assert client.get("/admin/triage/").status_code == 200


def test_wrong_codes_are_throttled(client, township_user):
    device = _enrolled(township_user)
    _sign_in(client, township_user)
    client.post("/admin/second-factor/verify/", {"token": "111111"})
    # Straight after a failure even the right code is refused for a while (django-otp's throttling).
    response = client.post("/admin/second-factor/verify/", {"token": _code(device), "next": "/admin/"})
    assert response.status_code == 200 and "验证码不对" in response.content.decode()


def test_a_recovery_code_works_once(client, township_user):
    _enrolled(township_user)
    codes = recovery_codes_issue(user=township_user)
    _sign_in(client, township_user)
    assert client.post("/admin/second-factor/verify/", {"token": codes[0]}).status_code == 302
    client.logout()
    _sign_in(client, township_user)
    reused = client.post("/admin/second-factor/verify/", {"token": codes[0]})
    assert reused.status_code == 200


def test_village_coordinators_without_identity_access_need_none(client, village_user):
    _sign_in(client, village_user)
    assert client.get("/admin/").status_code == 200


def test_others_may_opt_in_and_then_are_asked_too(client, village_user):
    _sign_in(client, village_user)
    page = client.get("/admin/second-factor/")
    assert "双重验证未开启" in page.content.decode()
    client.get("/admin/second-factor/setup/")
    device = TOTPDevice.objects.get(user=village_user)
    client.post("/admin/second-factor/setup/", {"token": _code(device)})
    client.logout()
    _sign_in(client, village_user)
    assert client.get("/admin/").status_code == 302


def test_the_city_resets_a_lost_device(client, township_user, make_staff):
    from django_otp_webauthn.models import WebAuthnCredential

    from tests.factories import UserFactory

    _enrolled(township_user)
    _passkey(township_user, b"phone-1")
    recovery_codes_issue(user=township_user)
    city = UserFactory(username="cityadmin", is_superuser=True)
    device = _enrolled(city)
    _sign_in(client, city)
    client.post("/admin/second-factor/verify/", {"token": _code(device)})
    page = client.get(f"/admin/second-factor/reset/{township_user.pk}/")
    assert "清除验证器和恢复码" in page.content.decode()
    done = client.post(f"/admin/second-factor/reset/{township_user.pk}/")
    assert "已清除" in done.content.decode()
    assert not TOTPDevice.objects.filter(user=township_user).exists()
    assert not WebAuthnCredential.objects.filter(user=township_user).exists()


def test_only_the_city_may_reset(client, township_user, village_user):
    _enrolled(township_user)
    _sign_in(client, village_user)
    assert client.get(f"/admin/second-factor/reset/{township_user.pk}/").status_code in (302, 403)
    assert client.post(f"/admin/second-factor/reset/{township_user.pk}/").status_code in (302, 403)
    assert TOTPDevice.objects.filter(user=township_user).exists()


def test_codes_from_the_previous_and_next_step_still_count(township_user):
    """A phone's clock a little off still works (django-otp's tolerance of one step)."""
    device = _enrolled(township_user)
    past = f"{totp(device.bin_key, step=30, t0=0, digits=6, drift=-1):06d}"
    assert device.verify_token(past)
    assert time.time() > 0


def test_the_city_unlocks_a_locked_account(client, township_user, city_user, settings):
    settings.STAFF_SECOND_FACTOR_ENFORCED = False
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": township_user.username, "password": "guess"})
    assert client.post("/admin/login/", {"username": township_user.username,
                                         "password": PASSWORD}).status_code == 429
    city = client.__class__()
    city.force_login(city_user)
    page = city.get("/admin/lockouts/").content.decode()
    assert township_user.username in page and "解锁" in page
    from axes.models import AccessAttempt

    city.post("/admin/lockouts/", {"attempt": AccessAttempt.objects.get(username=township_user.username).pk})
    assert client.post("/admin/login/", {"username": township_user.username,
                                         "password": PASSWORD}).status_code == 302


def test_township_staff_cannot_unlock(client, township_user):
    client.force_login(township_user)
    assert client.get("/admin/lockouts/").status_code in (302, 403)


def _passkey(user, credential_id: bytes):
    from django_otp_webauthn.models import WebAuthnCredential

    return WebAuthnCredential.objects.create(user=user, name="手机", confirmed=True, credential_id=credential_id,
                                             public_key=b"key", sign_count=0)


def test_a_passkey_counts_as_the_second_factor_and_is_asked_for(client, township_user):
    _passkey(township_user, b"phone-1")
    _sign_in(client, township_user)
    response = client.get("/admin/triage/")
    assert response["Location"].startswith("/admin/second-factor/verify/")
    page = client.get(response["Location"]).content.decode()
    assert "用通行密钥验证" in page and "otp_webauthn_config" in page


def test_the_verify_page_can_load_the_admin_icons(client, township_user):
    """The sprite is fetched by every admin page; redirecting it pasted the whole page into the document."""
    _enrolled(township_user)
    _sign_in(client, township_user)
    sprite = client.get("/admin/sprite/")
    assert sprite.status_code == 200 and b"<svg" in sprite.content


def test_staff_remove_their_own_passkey_only(client, township_user, village_user):
    mine = _passkey(township_user, b"phone-1")
    theirs = _passkey(village_user, b"phone-2")
    client.force_login(township_user)
    session = client.session
    session["otp_device_id"] = mine.persistent_id
    session.save()
    page = client.get("/admin/second-factor/").content.decode()
    assert "手机" in page and "还没有可用的恢复码" in page
    client.post("/admin/second-factor/", {"remove_passkey": theirs.pk})
    assert type(theirs).objects.filter(pk=theirs.pk).exists()
    done = client.post("/admin/second-factor/", {"remove_passkey": mine.pk}).content.decode()
    assert "已删除这个通行密钥" in done and not type(mine).objects.filter(pk=mine.pk).exists()

