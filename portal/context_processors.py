from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .places import place_name

# The public paths are a contract (see DESIGN.md), so the main navigation names them directly.
NAVIGATION = [
    ("/grid/", _("网格图")),
    ("/producers/", _("生产主体")),
    ("/substances/", _("禁限用名录")),
    ("/news/", _("新闻")),
    ("/complaints/new/", _("投诉举报")),
    ("/complaints/track/", _("进度查询")),
]

HTML_LANG = {"zh-hans": "zh-CN", "en": "en", "ug": "ug"}
SHORT_NAMES = {"zh-hans": "中文"}


def portal(request):
    path = request.path.lower()
    english = getattr(request, "LANGUAGE_CODE", "zh-hans") == "en"
    return {
        # After a label: the full-width colon in Chinese, ": " in English ("办公时间：…" / "Office hours: …").
        # The place the site serves, from the grid tree (its top grid's name, in pinyin in English): looked up only
        # when a template prints it.
        "PLACE": lazy(place_name, str)(),
        "COLON": "：" if getattr(request, "LANGUAGE_CODE", "zh-hans") == "zh-hans" else ": ",
        "PORTAL_BASE_URL": settings.PORTAL_BASE_URL,
        "NAVIGATION": [
            {"href": href, "label": label, "current": path == href or (href != "/" and path.startswith(href))}
            for href, label in NAVIGATION
        ],
        "OTHER_LANGUAGE": "zh-hans" if english else "en",
        # The switcher offers every other language, each named in itself (a reader finds their own).
        "OTHER_LANGUAGES": [
            {"code": code, "name": name, "lang": HTML_LANG.get(code, code)}
            for code, name in settings.LANGUAGES if code != getattr(request, "LANGUAGE_CODE", "zh-hans")
        ],
    }
