"""Validators for the facts the public sees: phone numbers and unified social credit codes."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Area code (3–4 digits starting with 0), optional hyphen, local number of 7–8 digits, optional extension.
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
SERVICE = re.compile(r"^(12315|12316|12345|12331)$")  # government service hotlines


def normalise_phone(value: str) -> str:
    """Strip spaces, full-width digits and a +86 prefix, so that what people type is what we check."""
    value = (value or "").strip().translate(str.maketrans("０１２３４５６７８９－", "0123456789-"))
    value = re.sub(r"[\s()（）]", "", value)
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    return value


def is_valid_phone(value: str) -> bool:
    value = normalise_phone(value)
    return bool(MOBILE.match(value) or LANDLINE.match(value) or SERVICE.match(value))


def is_personal_phone(value: str) -> bool:
    """A person's own number: a mobile or a landline with area code (a service hotline is nobody's phone)."""
    value = normalise_phone(value)
    return bool(MOBILE.match(value) or LANDLINE.match(value))


def validate_personal_phone(value: str) -> None:
    if value and not is_personal_phone(value):
        raise ValidationError(
            _("“%(value)s”不是有效的电话号码。请填写11位手机号（如 13912345678）或带区号的固定电话（如 0994-2345678）。"),
            code="invalid_phone", params={"value": value},
        )


def validate_phone(value: str) -> None:
    if not is_valid_phone(value):
        raise ValidationError(
            _("“%(value)s”不是有效的电话号码。请填写11位手机号（如 13912345678）或带区号的固定电话（如 0994-2345678）。"),
            code="invalid_phone", params={"value": value},
        )


# GB 32100-2015: 18 characters from this alphabet (no I, O, Z, S, V), the last one a check character.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """Unified social credit code (统一社会信用代码): 18 characters and a correct check character."""
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位，您填写了%(n)d位。"), code="credit_length",
                              params={"n": len(code)})
    bad = [c for c in code if c not in CREDIT_ALPHABET]
    if bad:
        raise ValidationError(_("统一社会信用代码含有不允许的字符“%(c)s”（不使用 I、O、Z、S、V）。"),
                              code="credit_chars", params={"c": bad[0]})
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码的校验位不正确，请核对营业执照上的代码。"), code="credit_check")
