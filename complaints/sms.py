"""Text messages (短信) to reporters, through a pluggable backend.

settings.COMPLAINTS_SMS_BACKEND names a class with send_messages(messages) -> int. The default logs each
message (with the number masked) instead of sending it; a real gateway (e.g. a provincial government SMS
platform) is a small subclass. Tests use LocmemSmsBackend, which keeps messages in `outbox`.
"""

import logging
from dataclasses import dataclass

from django.utils.module_loading import import_string

from . import conf

logger = logging.getLogger("complaints.sms")

outbox: list["SmsMessage"] = []


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str


def mask_phone(phone: str) -> str:
    """13912345678 → 139****5678, so logs never hold a full number."""
    if len(phone) >= 7:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "*" * len(phone)


class SmsBackend:
    """Interface: send the messages, return how many were sent. Must not raise for a single bad number."""

    def send_messages(self, messages: list[SmsMessage]) -> int:  # pragma: no cover - interface
        raise NotImplementedError


class LoggingSmsBackend(SmsBackend):
    def send_messages(self, messages: list[SmsMessage]) -> int:
        for message in messages:
            logger.info("SMS to %s: %s", mask_phone(message.to), message.text)
        return len(messages)


class LocmemSmsBackend(SmsBackend):
    def send_messages(self, messages: list[SmsMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


def get_backend() -> SmsBackend:
    return import_string(conf.get("COMPLAINTS_SMS_BACKEND"))()


def send_sms(to: str, text: str) -> int:
    """Send one message through the configured backend; errors are logged, never raised."""
    try:
        return get_backend().send_messages([SmsMessage(to=to, text=text)])
    except Exception:  # a gateway failure must never undo a complaint's handling
        logger.exception("SMS to %s failed", mask_phone(to))
        return 0
