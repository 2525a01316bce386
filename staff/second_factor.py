"""Second factor (双重验证) for the back office: django-otp TOTP devices (any authenticator app),
passkeys (django-otp-webauthn, staff/passkeys.py) and one-time recovery codes.

Staff who can see reporters' identities or export complaints must use one; everyone else may opt in, and
once someone has a device it is asked for at every sign-in. The city (users who may change accounts)
resets the devices of someone who lost their phone.
"""

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

# Holding any of these makes a second factor compulsory (settings.STAFF_SECOND_FACTOR_PERMISSIONS).
REQUIRED_FOR = ("complaints.view_reporter_identity", "complaints.export_complaint")
RECOVERY_CODES = 10
DEVICE_NAME = "authenticator"


def second_factor_required(user) -> bool:
    """Whether this user must sign in with a second factor (identity access, export, or superuser)."""
    if not user.is_authenticated or not getattr(settings, "STAFF_SECOND_FACTOR_ENFORCED", True):
        return False
    permissions = getattr(settings, "STAFF_SECOND_FACTOR_PERMISSIONS", REQUIRED_FOR)
    return user.is_superuser or any(user.has_perm(p) for p in permissions)


def totp_device_start(*, user) -> TOTPDevice:
    """A new, not yet confirmed authenticator for this user (replacing any earlier unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm a new authenticator with a code it shows; returns fresh recovery codes, None if the code
    is wrong. The new authenticator replaces the user's earlier ones."""
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_issue(user=device.user)


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    """Ten new one-time recovery codes for the user; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery",
                                                         defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def second_factor_reset(*, user) -> int:
    """Remove every authenticator, passkey and recovery code of a user who lost them; returns how many
    devices. At the next sign-in they enrol again (compulsory for those who need it)."""
    removed = 0
    for model in (TOTPDevice, WebAuthnCredential, StaticDevice):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    return removed


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


class SecondFactorMiddleware:
    """In the back office, a signed-in user who has not given their second factor this session is sent to
    give it (or, if they must have one and have none, to set one up) before anything else."""

    # The admin's icon sprite and script catalogue are fetched by every admin page, the verify and setup
    # pages included; redirected, the sprite's script would paste the whole page into the document.
    OPEN_NAMES = ("wagtailadmin_login", "wagtailadmin_logout", "second_factor:verify", "second_factor:setup",
                  "wagtailadmin_javascript_catalog", "wagtailadmin_sprite")
    OPEN_PREFIX = "/admin/second-factor/passkey/"  # the passkey ceremonies the verify and setup pages call

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def open_paths(self) -> set[str]:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in self.OPEN_NAMES}
        return self._open_paths

    def __call__(self, request):
        user = request.user
        if (request.path_info.startswith("/admin/") and user.is_authenticated and not user.is_verified()
                and request.path_info not in self.open_paths()
                and not request.path_info.startswith(self.OPEN_PREFIX)):
            if user_has_device(user):
                return redirect(f"{reverse('second_factor:verify')}?{urlencode({'next': request.get_full_path()})}")
            if second_factor_required(user):
                return redirect(f"{reverse('second_factor:setup')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
