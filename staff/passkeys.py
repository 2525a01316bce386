"""Passkeys (通行密钥) as a second factor, through django-otp-webauthn: a phone's fingerprint or face
unlock, a computer's Windows Hello, or a USB security key instead of typing a six-digit code.

The relying party is the host the back office is served at (a passkey works only there); the allowed
origin is PORTAL_BASE_URL's, plus the request's own when it is `localhost` (development and the browser
tests, since a passkey cannot be bound to a bare IP address such as 127.0.0.1).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

DEV_HOSTS = ("localhost",)


def relying_party_id(request) -> str:
    """The host name the passkey is bound to: the one the back office is being used at."""
    return urlsplit(f"//{request.get_host()}").hostname or ""


class PortalWebAuthnHelper(WebAuthnHelper):
    def get_relying_party_name(self) -> str:
        return settings.OTP_WEBAUTHN_RP_NAME

    def get_allowed_origins(self) -> list[str]:
        origins = list(settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)
        if relying_party_id(self.request) in DEV_HOSTS:
            origins.append(f"{self.request.scheme}://{self.request.get_host()}")
        return origins

    def get_credential_display_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


def passkeys_of(user):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")


@transaction.atomic
def passkey_remove(*, user, pk: int) -> bool:
    """Remove one of the user's own passkeys; False if it is not theirs (or gone already)."""
    deleted, _ = WebAuthnCredential.objects.filter(user=user, pk=pk).delete()
    return bool(deleted)
