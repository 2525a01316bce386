"""Text rules: what a form field may hold (clean_text), and Chinese typography (cjk_parentheses)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e\u3001\u3002"
# A half-width bracket pair with a Chinese character just outside or just inside it.
_PAIR = re.compile(r"\((?=[^()]*\))([^()]*)\)")


def cjk_parentheses(value) -> str:
    """Turn half-width parentheses into full-width ones where the pair touches Chinese text."""
    if not value:
        return value
    text = str(value)

    def swap(match: re.Match) -> str:
        start, end = match.start(), match.end()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        inner = match.group(1)
        touching = [before, after, inner[:1], inner[-1:]]
        if any(ch and re.match(rf"[{_CJK}]", ch) for ch in touching):
            return f"（{inner}）"
        return match.group(0)

    return _PAIR.sub(swap, text)


# Anything that looks like markup: a tag (<b>, </p>, <!-- …, <?php), or a script-ish scheme. Plain "<" in
# "残留 < 0.01" is fine; "<script>" is not.
_TAG = re.compile(r"<\s*[/!?]?\s*[a-zA-Z][^<>]*>|<\s*/?\s*(script|iframe|svg|img|object|embed|style|link|meta)\b",
                  re.IGNORECASE)
_SCHEME = re.compile(r"\b(javascript|vbscript)\s*:", re.IGNORECASE)
# Control characters other than tab and newlines are dropped; NUL is refused outright (it is never typed).
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value, *, label: str, max_length: int, required: bool = False, multiline: bool = False) -> str:
    """Trimmed text or a ValidationError with a specific message naming the field."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(_("“%(label)s”应为文字。") % {"label": label}, code="type")
    if "\x00" in value:
        raise ValidationError(_("“%(label)s”中含有不可见的空字符（\\0），可能是从其他程序复制时带入的。请删除后重新填写。")
                              % {"label": label}, code="null_character")
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not multiline:
        value = re.sub(r"\s*\n\s*", " ", value)
    if required and not value:
        raise ValidationError(_("请填写“%(label)s”。") % {"label": label}, code="required")
    if len(value) > max_length:
        raise ValidationError(
            _("“%(label)s”最多%(max)d个字，您填写了%(n)d个字。请精简后再提交。")
            % {"label": label, "max": max_length, "n": len(value)}, code="max_length")
    if _TAG.search(value) or _SCHEME.search(value):
        raise ValidationError(
            _("“%(label)s”中不能包含网页代码或脚本（例如 <script>、<a href=…>）。请直接用文字描述。")
            % {"label": label}, code="markup")
    return value


# Administrative suffixes of Chinese place names and their English words (longest first).
PLACE_SUFFIXES = [
    # The region and its autonomous prefectures and counties name their peoples (the official English forms).
    ("维吾尔自治区", "Uygur Autonomous Region"), ("回族自治州", "Hui Autonomous Prefecture"),
    ("哈萨克自治州", "Kazakh Autonomous Prefecture"), ("蒙古自治州", "Mongol Autonomous Prefecture"),
    ("柯尔克孜自治州", "Kirgiz Autonomous Prefecture"), ("哈萨克自治县", "Kazakh Autonomous County"),
    ("蒙古自治县", "Mongol Autonomous County"), ("塔吉克自治县", "Tajik Autonomous County"),
    ("回族自治县", "Hui Autonomous County"), ("锡伯自治县", "Xibe Autonomous County"),
    ("哈萨克族乡", "Kazakh Ethnic Township"), ("地区", "Prefecture"),
    ("哈萨克民族乡", "Kazakh Ethnic Township"), ("民族乡", "Ethnic Township"), ("街道", "Subdistrict"),
    ("社区", "Community"), ("自治州", "Autonomous Prefecture"), ("自治区", "Autonomous Region"),
    ("镇", "Town"), ("乡", "Township"), ("村", "Village"), ("市", "City"), ("县", "County"), ("区", "District"),
]
# Readings pypinyin guesses wrong in place names (长 is read chang there, 什 shi).
PLACE_READINGS = {"长": "chang", "什": "shi"}


def place_pinyin(name: str) -> str:
    """A Chinese place name in Hanyu Pinyin as written on English maps and signs: the name's syllables run
    together, capitalised, with an apostrophe where a syllable starting with a, o or e would be ambiguous,
    and its suffix in English: 东风镇 → Dongfeng Town, 和平二村 → Heping'er Village."""
    from pypinyin import lazy_pinyin

    name = (name or "").strip()
    suffix = ""
    for chinese, english in PLACE_SUFFIXES:
        if name.endswith(chinese) and len(name) > len(chinese):
            name, suffix = name[: -len(chinese)], english
            break
    syllables = [PLACE_READINGS.get(ch) or lazy_pinyin(ch, v_to_u=True)[0] for ch in name]
    word = ""
    for syllable in syllables:
        if word and syllable[:1] in "aoe" and word[-1:].isalpha():
            word += "'"
        word += syllable
    word = word[:1].upper() + word[1:]
    return f"{word} {suffix}".strip()
