from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (pagination keeps the filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def cjk_punctuation(value):
    """Chinese text with full-width parentheses: 呋喃丹(克百威) → 呋喃丹（克百威）. Brackets that touch a
    Chinese character are Chinese punctuation; others (an English name, a date in a legal basis) stay."""
    from portal.text import cjk_parentheses

    return cjk_parentheses(value)


@register.filter
def untranslated(page) -> bool:
    """Whether this page's text is not in the visitor's language (shown in Chinese with a note)."""
    from portal.i18n import untranslated as page_untranslated

    return bool(page) and hasattr(page, "alias_of_id") and page_untranslated(page)


@register.filter
def local(obj, field: str):
    """A data field in the visitor's language: `{{ grid|local:"name" }}` is grid.name_en when English is
    chosen and one is written, grid.name otherwise (Chinese, and Uyghur, which reads the Chinese names)."""
    from django.utils import translation

    value = getattr(obj, field, "")
    if translation.get_language() == "en":
        return getattr(obj, f"{field}_en", "") or value
    return value


@register.filter
def content_lang(page):
    """` lang="zh-CN" dir="ltr"` on the elements holding a page's own text when that text is not in the
    reader's language (a screen reader then reads it as Chinese); nothing otherwise."""
    from django.utils.safestring import mark_safe

    return mark_safe(' lang="zh-CN" dir="ltr"') if untranslated(page) else ""


@register.simple_tag
def place_name() -> str:
    """{% place_name as place %}: the place the site serves, where no request context is (printed matter)."""
    from portal.places import place_name as served

    return served()
