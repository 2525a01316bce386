import pytest
from django.core.exceptions import ValidationError

from disclosure.validators import credit_code_check_char, validate_credit_code

# Real unified social credit codes as printed on published business licences (large listed companies and
# the example of GB 32100-2015 itself).
REAL_CODES = [
    "91350100M000100Y43",   # the standard's own example
    "914403001922038216",   # 华为技术有限公司
    "9144030071526726XG",   # 深圳市腾讯计算机系统有限公司
    "91110000802100433B",   # 北京百度网讯科技有限公司
    "91440300708461136T",   # 中国平安保险（集团）股份有限公司
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass(code):
    validate_credit_code(code)
    validate_credit_code(code.lower())  # people type lower case; the check is case-insensitive


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_wrong_check_character_is_rejected(code):
    from disclosure.validators import CREDIT_ALPHABET

    for wrong in CREDIT_ALPHABET:
        if wrong == code[17]:
            continue
        with pytest.raises(ValidationError) as exc:
            validate_credit_code(code[:17] + wrong)
        assert exc.value.code == "credit_check"
        assert "校验位不正确" in exc.value.messages[0]


@pytest.mark.parametrize("code, error", [
    ("91350100M000100Y4", "credit_length"),       # 17 characters
    ("91350100M000100Y433", "credit_length"),     # 19 characters
    ("91350100M000100I43", "credit_chars"),       # I is not in the alphabet
    ("91350100M00010OY43", "credit_chars"),       # nor is O
    ("", "credit_length"),
])
def test_malformed_codes_get_a_specific_message(code, error):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == error


def test_a_single_changed_character_is_caught():
    code = "914403001922038216"
    changed = code[:5] + ("5" if code[5] != "5" else "6") + code[6:]
    assert credit_code_check_char(changed[:17]) != changed[17]
    with pytest.raises(ValidationError):
        validate_credit_code(changed)


@pytest.mark.django_db
def test_producer_form_rejects_wrong_check_character(village):
    from tests.factories import ProducerFactory

    producer = ProducerFactory.build(village=village, credit_code="91350100M000100Y44")
    with pytest.raises(ValidationError) as exc:
        producer.full_clean(exclude=["code"])
    assert "credit_code" in exc.value.message_dict
