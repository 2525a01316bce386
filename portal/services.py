"""Services of the portal layer: setting up the page tree the rest of the site hangs from."""

from django.db import transaction
from wagtail.models import Locale, Page, Site

from .models import HomePage, NewsIndexPage
from .places import place_name

# The home page's first title and introduction (staff edit them); {place} is the served place's name.
HOME_TITLE = "{place}农产品质量安全网格化管理公示平台"
HOME_INTRO = (
    "<p>{place}按照“区域定格、网格定人、人员定责”建立市、乡（镇）、村三级农产品质量安全监管网格。"
    "在这里可以查到每个网格的监管员和协管员、生产主体的信用等级和质量安全承诺、国家禁用限用农药兽药名录，"
    "也可以投诉举报农产品质量安全问题并查询办理进度。</p>"
)

HOME_TITLE_EN = "{place} Agricultural Product Quality and Safety Grid Management"
HOME_INTRO_EN = (
    "<p>{place} supervises the quality and safety of farm produce through grids at three levels: the "
    "city, its towns and townships, and their villages, each with named people and duties. Here you can "
    "find each grid's supervisors and coordinators, producers' credit grades and quality commitments, and "
    "the national lists of banned and restricted pesticides and veterinary drugs; you can also report a "
    "problem with farm produce and follow how it is handled.</p>"
)
NEWS_TITLE_EN = "News"
NEWS_INTRO_EN = "<p>Updates, progress and results of the grid management of farm produce quality and safety.</p>"


def english_locale_ensure() -> Locale:
    """The English content locale, synchronised from Chinese: a page staff create in Chinese gets an English
    alias (showing the Chinese until someone translates it with wagtail-localize)."""
    from wagtail_localize.models import LocaleSynchronization

    english, _ = Locale.objects.get_or_create(language_code="en")
    source = Locale.objects.get(language_code="zh-hans")
    if not LocaleSynchronization.objects.filter(locale=english).exists():
        # Saving one enqueues a tree synchronisation; the pages made here are translated directly instead.
        LocaleSynchronization.objects.bulk_create([LocaleSynchronization(locale=english, sync_from=source)])
    return english


@transaction.atomic
def page_translate(page: Page, locale: Locale, **fields) -> Page:
    """The page's published version in the locale with the given fields (title, intro, body…): created as
    a copy kept beside the source (same slug, so the same address), or updated. Parents are copied first
    when they have no version in the locale yet."""
    page = page.specific
    translation = page.get_translation_or_none(locale)
    if translation is None:
        translation = page.copy_for_translation(locale, copy_parents=True)
    translation = translation.specific
    if translation.alias_of_id:  # an alias becomes a translation of its own
        translation.alias_of = None
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


@transaction.atomic
def _placed(text: str, language: str) -> str:
    """A default text with the served place's name in it (as the grid tree has it, in that language)."""
    from django.utils import translation

    with translation.override(language):
        place = place_name()
    if not place and language == "en":
        place = "The county"
    return text.format(place=place).strip()


def site_ensure(*, hostname: str = "localhost", port: int = 80) -> HomePage:
    """Make sure the page tree has its root, the home page and the news index, and a default site.

    Idempotent: safe to run on every start and from tests.
    """
    Locale.objects.get_or_create(language_code="zh-hans")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root")
    home = HomePage.objects.filter(locale__language_code="zh-hans").first()
    if home is None:
        # Wagtail's first migration creates a placeholder welcome page at the 'home' slug; replace it.
        for child in root.get_children().exclude(content_type__model="homepage"):
            if child.slug == "home":
                child.delete()
        home = root.add_child(instance=HomePage(title=_placed(HOME_TITLE, "zh-hans"), slug="home",
                                                intro=_placed(HOME_INTRO, "zh-hans")))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True,
                            site_name=home.title)
    elif site.root_page_id != home.id:
        site.root_page = home
        site.site_name = site.site_name or home.title
        site.save()
    news = NewsIndexPage.objects.filter(locale=home.locale).first()
    if news is None:
        news = home.add_child(instance=NewsIndexPage(title="新闻", slug="news",
                                                     intro="<p>农产品质量安全网格化管理的动态、进展和成效。</p>"))
        news.save_revision().publish()
    english = english_locale_ensure()
    if home.get_translation_or_none(english) is None:
        page_translate(home, english, title=_placed(HOME_TITLE_EN, "en"), intro=_placed(HOME_INTRO_EN, "en"))
    if news.get_translation_or_none(english) is None:
        page_translate(news, english, title=NEWS_TITLE_EN, intro=NEWS_INTRO_EN)
    return home


def news_index() -> NewsIndexPage | None:
    """The news index of the Chinese tree (the source every English version is made from)."""
    return NewsIndexPage.objects.filter(locale=Locale.get_default()).first()


@transaction.atomic
def site_add(*, hostname: str, port: int = 80, place: str, place_en: str) -> Site:
    """Another site (a county's, a prefecture's) beside the default one: its own home page and news index
    under the root, in Chinese with English versions, served at hostname:port. Idempotent by host."""
    site = Site.objects.filter(hostname=hostname, port=port).first()
    if site is not None:
        return site
    site_ensure()  # the root, the default site and the English locale exist first
    root = Page.get_first_root_node()
    slug = "home-" + "".join(c if c.isalnum() else "-" for c in hostname.lower())[:60]
    home = root.add_child(instance=HomePage(title=HOME_TITLE.format(place=place), slug=slug,
                                            intro=HOME_INTRO.format(place=place)))
    home.save_revision().publish()
    news = home.add_child(instance=NewsIndexPage(title="新闻", slug="news",
                                                 intro="<p>农产品质量安全网格化管理的动态、进展和成效。</p>"))
    news.save_revision().publish()
    english = english_locale_ensure()
    page_translate(home, english, title=HOME_TITLE_EN.format(place=place_en), intro=HOME_INTRO_EN.format(place=place_en))
    page_translate(news, english, title=NEWS_TITLE_EN, intro=NEWS_INTRO_EN)
    return Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=False,
                               site_name=home.title)
