"""Page content in the visitor's language: the Chinese page tree is the source, English versions live beside
it (Wagtail's localisation; wagtail-localize in the admin), and a page with no English version yet is
shown in Chinese with a note. Uyghur readers get the interface in Uyghur and page content in Chinese.

Addresses are the same in every language (the language is a cookie, not a path prefix), so a translation
keeps its source's slug, and a path the English tree lacks is answered from the Chinese tree.
"""

from django.conf import settings
from django.utils import translation
from wagtail.models import Locale, Page


def active_locale() -> Locale | None:
    """The content locale of the active language, or None when that language has no page content of its
    own (Chinese itself, Uyghur): then the Chinese pages are the ones to show."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE or language not in dict(settings.WAGTAIL_CONTENT_LANGUAGES):
        return None
    return Locale.objects.filter(language_code=language).first()


def default_locale() -> Locale:
    return Locale.get_default()


def content_language(page) -> str:
    """The language a page's text is written in: an alias shows its source's text."""
    if page.alias_of_id:
        return page.alias_of.locale.language_code
    return page.locale.language_code


def untranslated(page) -> bool:
    """Whether the visitor reads a page in another language than theirs (the note above its text)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language != settings.LANGUAGE_CODE and content_language(page) != language


def localize_pages(pages) -> list:
    """The pages (of the default locale) as the visitor should read them: each swapped for its live,
    public translation in the active content locale where one exists. One query for the whole list."""
    pages = list(pages)
    locale = active_locale()
    if locale is None or not pages:
        return pages
    models = {type(page) for page in pages}
    queryset = models.pop().objects.all() if len(models) == 1 else Page.objects.specific()
    found = {
        page.translation_key: page
        for page in queryset.live().public().filter(
            locale=locale, translation_key__in=[p.translation_key for p in pages], alias_of__isnull=True)
    }
    return [found.get(page.translation_key, page) for page in pages]


def one_version_each(pages) -> list:
    """Search results may hold a page in both languages: one entry per page, in order, in the reader's
    language where a translation exists (an alias is not one), the Chinese page otherwise."""
    pages = list(pages)
    default = default_locale().pk
    own = {p.translation_key: p for p in pages if p.locale_id != default and not p.alias_of_id}
    sources = [p for p in pages if p.locale_id == default and p.translation_key not in own]
    localized = {p.translation_key: p for p in localize_pages(sources)}
    shown, seen = [], set()
    for page in pages:
        if page.translation_key not in seen:
            seen.add(page.translation_key)
            shown.append(own.get(page.translation_key) or localized.get(page.translation_key) or page)
    return shown


def source_pages(queryset):
    """Only the default locale's pages: lists are built from the Chinese tree and then localized."""
    return queryset.filter(locale=default_locale())
