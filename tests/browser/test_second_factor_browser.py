"""Signing in to the back office with a second factor in a real browser: a city supervisor (who can see
reporters' identities) enrols an authenticator app at the first sign-in and must give a code at the next;
another adds a passkey (Chromium's virtual authenticator standing in for a phone's fingerprint) and signs
in with it."""

import base64

import pytest
from django_otp.oath import totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-only"  # tests.factories.UserFactory's


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.STAFF_SECOND_FACTOR_ENFORCED = True


@pytest.fixture
def staff_groups(db):
    from staff.roles import staff_roles_setup

    return staff_roles_setup()


@pytest.fixture
def supervisor(city_user):
    from staff.second_factor import second_factor_required

    assert second_factor_required(city_user)
    return city_user


def _code(secret: str, step: int = 0) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, drift=step):06d}"


def _sign_in(page, url, user):
    page.goto(url + "/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").click()


def _sign_out(page, url):
    page.context.clear_cookies()
    page.goto(url + "/admin/login/")


def test_authenticator_app_enrolled_at_first_sign_in_and_asked_at_the_next(live_server, desktop_page, home,
                                                                            supervisor):
    page, url = desktop_page, live_server.url
    _sign_in(page, url, supervisor)
    page.wait_for_url("**/admin/second-factor/setup/**")
    assert "必须开启双重验证" in page.content()
    page.locator("[data-sprite] svg").first.wait_for(state="attached")  # the admin's icons (no eval: CSP)
    assert page.locator(".staff-second-factor-qr svg").count() == 1
    secret = page.locator("code").first.inner_text().replace(" ", "")

    page.fill("input[name=token]", "000000")
    page.locator("input[name=token]").press("Enter")
    page.wait_for_selector(".error-message")
    assert "验证码不对" in page.locator(".error-message").first.inner_text()

    from django_otp.plugins.otp_totp.models import TOTPDevice
    TOTPDevice.objects.filter(user=supervisor).update(throttling_failure_count=0,
                                                      throttling_failure_timestamp=None)
    page.fill("input[name=token]", _code(secret))
    page.locator("input[name=token]").press("Enter")
    page.wait_for_selector("ul.staff-recovery-codes")
    assert page.locator("ul.staff-recovery-codes li").count() == 10
    page.get_by_role("link", name="继续").click()
    page.wait_for_url(url + "/admin/")

    _sign_out(page, url)
    _sign_in(page, url, supervisor)
    page.wait_for_url("**/admin/second-factor/verify/**")
    page.goto(url + "/admin/triage/")  # nothing else opens before the code is given
    page.wait_for_url("**/admin/second-factor/verify/**")
    page.fill("input[name=token]", _code(secret, step=1))  # the next code (the first one is used up)
    page.locator("input[name=token]").press("Enter")
    page.wait_for_url("**/admin/triage/")
    assert page.locator("table.staff-queue, .staff-queue-empty, main").count() >= 1


def test_passkey_added_and_used_to_sign_in(live_server, desktop_page, home, supervisor):
    from django_otp_webauthn.models import WebAuthnCredential

    page, url = desktop_page, live_server.url
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})

    _sign_in(page, url, supervisor)
    page.wait_for_url("**/admin/second-factor/setup/**")
    page.get_by_role("button", name="添加通行密钥").click()
    page.wait_for_url("**/admin/second-factor/")  # back on the account's page, now enrolled
    assert "双重验证已开启" in page.content()
    assert "还没有可用的恢复码" in page.content()
    credential = WebAuthnCredential.objects.get(user=supervisor)
    assert credential.confirmed and credential.name in page.locator("ul.staff-passkeys").inner_text()
    page.get_by_role("button", name="生成恢复码").click()
    page.wait_for_selector("ul.staff-recovery-codes")
    assert page.locator("ul.staff-recovery-codes li").count() == 10

    _sign_out(page, url)
    _sign_in(page, url, supervisor)
    page.wait_for_url("**/admin/second-factor/verify/**")
    page.get_by_role("button", name="用通行密钥验证").click()
    page.wait_for_url(url + "/admin/")
    credential.refresh_from_db()
    assert credential.last_used_at is not None
