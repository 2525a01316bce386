"""Open311 API keys: issued and revoked by staff; only a hash is kept."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.text import clean_text

from ..models import Open311Client

KEY_PREFIX = "cj311_"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def open311_key_issue(*, name: str, contact: str = "", note: str = "", by=None) -> tuple[Open311Client, str]:
    """A new client with a fresh key. Returns (client, key): show the key once, it is not stored."""
    name = clean_text(name, label=_("调用方名称"), max_length=100, required=True)
    contact = clean_text(contact, label=_("联系人及电话"), max_length=200)
    note = clean_text(note, label=_("备注"), max_length=200)
    raw = KEY_PREFIX + secrets.token_urlsafe(24)
    client = Open311Client.objects.create(name=name, contact=contact, note=note, key_prefix=raw[len(KEY_PREFIX):][:8],
                                          key_hash=_hash(raw), created_by=by)
    return client, raw


@transaction.atomic
def open311_key_revoke(*, client: Open311Client, by=None) -> Open311Client:
    """Revoke a key at once; requests with it are refused from now on."""
    Open311Client.objects.filter(pk=client.pk).update(active=False, revoked_at=timezone.now())
    client.refresh_from_db()
    return client


def open311_client_for_key(raw: str) -> Open311Client | None:
    """The active client holding this key (and note its use), or None."""
    if not raw or not raw.startswith(KEY_PREFIX) or len(raw) > 100:
        return None
    client = Open311Client.objects.active().filter(key_hash=_hash(raw)).first()
    if client is not None:
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client
