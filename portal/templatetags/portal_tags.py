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
