import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _

from .i18n import localize_pages


class NewsFeed(Feed):
    """RSS 2.0 feed of the latest news."""

    feed_type = Rss201rev2Feed

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def title(self):
        return _("%(site)s · 新闻") % {"site": self.index_page.get_site().site_name or self.index_page.title}

    def link(self):
        return self.index_page.url

    def description(self):
        return _("农产品质量安全网格化管理的动态、进展和成效")

    def items(self):
        return localize_pages(self.index_page.news()[:20])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        """The news date (what the item reports on), not when the page went online."""
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time.min))

    def item_categories(self, item):
        return [item.get_kind_display(), *[t.name for t in item.tags.all()]]
