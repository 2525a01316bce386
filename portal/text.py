"""Small text rules for Chinese typography."""

import re

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
