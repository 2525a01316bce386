"""Checks shared by the public form, the Open311 endpoint and the services: text, phone, e-mail, codes."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from disclosure.validators import LANDLINE, MOBILE, normalise_phone

from .models import TRACKING_ALPHABET, TRACKING_LENGTH


def clean_phone(value: str) -> str:
    """A reporter's phone: a mobile or a landline with area code (service hotlines like 12345 are not
    a person's number)."""
    if "\x00" in (value or ""):
        raise ValidationError(_("电话号码中含有不可见的空字符，请重新填写。"), code="null_character")
    value = normalise_phone(value or "")
    if value and not (MOBILE.match(value) or LANDLINE.match(value)):
        raise ValidationError(
            _("“%(value)s”不是有效的电话号码。请填写11位手机号（如 13912345678）或带区号的固定电话（如 0994-2345678）。")
            % {"value": value[:30]}, code="invalid_phone")
    return value


def clean_email(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if "\x00" in value:
        raise ValidationError(_("邮箱地址中含有不可见的空字符，请重新填写。"), code="null_character")
    if len(value) > 254:
        raise ValidationError(_("邮箱地址太长了（最多254个字符）。"), code="max_length")
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(_("“%(value)s”不是有效的邮箱地址，例如 name@example.com。") % {"value": value[:60]},
                              code="invalid_email") from None
    return value


def normalise_tracking_code(value: str) -> str:
    """What people type (lower case, spaces, dashes, full-width characters) → the stored 12 characters."""
    value = unicodedata.normalize("NFKC", value or "").strip().upper()
    return re.sub(r"[\s\-_.—–]", "", value)


def looks_like_tracking_code(value: str) -> bool:
    """Whether what was typed could be (part of) a tracking code: 4 to 12 characters of the code's alphabet."""
    code = normalise_tracking_code(value)
    return 4 <= len(code) <= TRACKING_LENGTH and all(ch in TRACKING_ALPHABET for ch in code)


def validate_tracking_code(value: str) -> str:
    """The normalised code, or a ValidationError saying exactly what is wrong with it."""
    if "\x00" in (value or ""):
        raise ValidationError(_("查询码中含有不可见的空字符，请重新输入。"), code="null_character")
    code = normalise_tracking_code(value)
    if not code:
        raise ValidationError(_("请输入查询码。"), code="required")
    bad = sorted({ch for ch in code if ch not in TRACKING_ALPHABET})
    if bad:
        shown = "、".join(bad[:5])
        raise ValidationError(
            _("查询码中不会出现“%(chars)s”。查询码由%(n)d位数字和大写字母组成（不含 0、1、2、5、8、B、I、L、O、S、Z），"
              "例如 ACDE-FGHJ-KMNP。") % {"chars": shown, "n": TRACKING_LENGTH}, code="invalid_chars")
    if len(code) != TRACKING_LENGTH:
        raise ValidationError(
            _("查询码应为%(n)d位，您输入了%(got)d位。请对照回执核对。") % {"n": TRACKING_LENGTH, "got": len(code)},
            code="invalid_length")
    return code
