"""Services of the portal layer: setting up the page tree the rest of the site hangs from."""

from django.db import transaction
from wagtail.models import Locale, Page, Site

from .models import HomePage, NewsIndexPage

HOME_TITLE = "昌吉市农产品质量安全网格化管理公示平台"
HOME_INTRO = (
    "<p>昌吉市按照“区域定格、网格定人、人员定责”建立市、乡（镇）、村三级农产品质量安全监管网格。"
    "在这里可以查到每个网格的监管员和协管员、生产主体的信用等级和质量安全承诺、国家禁用限用农药兽药名录，"
    "也可以投诉举报农产品质量安全问题并查询办理进度。</p>"
)


@transaction.atomic
def site_ensure(*, hostname: str = "localhost", port: int = 80) -> HomePage:
    """Make sure the page tree has its root, the home page and the news index, and a default site.

    Idempotent: safe to run on every start and from tests.
    """
    Locale.objects.get_or_create(language_code="zh-hans")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root")
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's first migration creates a placeholder welcome page at the 'home' slug; replace it.
        for child in root.get_children().exclude(content_type__model="homepage"):
            if child.slug == "home":
                child.delete()
        home = root.add_child(instance=HomePage(title=HOME_TITLE, slug="home", intro=HOME_INTRO))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True,
                            site_name=HOME_TITLE)
    elif site.root_page_id != home.id:
        site.root_page = home
        site.site_name = site.site_name or HOME_TITLE
        site.save()
    if not NewsIndexPage.objects.exists():
        news = home.add_child(instance=NewsIndexPage(title="新闻", slug="news",
                                                     intro="<p>农产品质量安全网格化管理的动态、进展和成效。</p>"))
        news.save_revision().publish()
    return home
