"""Site-wide pages (home, news, standard pages), site settings, the holiday calendar and background jobs."""

import datetime

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager, PageQuerySet
from wagtail.search import index

from .blocks import BodyBlock
from .http import cached_html, fingerprint, public_cache
from .i18n import default_locale, localize_pages, source_pages
from .search import cjk_index_text
from .storage import PrivateStorage

NEWS_PER_PAGE = 10
CMS_HTML_SECONDS = 600


def _cms_etag(request, *args, **kwargs) -> str:
    """What any CMS page may show of the page tree: the latest publication anywhere and the number of live
    pages (an unpublished page lowers it). One query, once per request; the date too ("latest news")."""
    if not hasattr(request, "_cms_etag"):
        state = Page.objects.live().aggregate(latest=models.Max("last_published_at"), count=models.Count("id"))
        request._cms_etag = fingerprint(state["latest"], state["count"], timezone.localdate())
    return request._cms_etag


def _passed_a_restriction(request) -> bool:
    """Whether this visitor entered a page's password. Wagtail answers a restricted page itself (sign-in or
    password form) before serve() unless the visitor passed; login and group restrictions need a signed-in
    user. So an anonymous visitor who passed no password only ever reaches unrestricted pages here."""
    from wagtail.models import PageViewRestriction

    return bool(request.session.get(PageViewRestriction.passed_view_restrictions_session_key))


@public_cache(etag=_cms_etag)
def _serve_public(request, render):
    # The ETag covers what publishing changes, so the HTML can come from the shared cache. Moving a page
    # changes links without a publication: kept copies expire after CMS_HTML_SECONDS.
    return cached_html(request, _cms_etag(request), render, seconds=CMS_HTML_SECONDS)


class PublicCachedPageMixin:
    """A CMS page answers anonymous visitors with an ETag and public Cache-Control, and 304 to a repeat,
    so a reverse proxy and the phone itself can serve repeats (DESIGN: fast where citizens are). Signed-in
    staff (the Wagtail user bar) and visitors who entered a page's password are never served public copies."""

    def serve(self, request, *args, **kwargs):
        serve = super().serve
        if request.user.is_authenticated or request.method not in ("GET", "HEAD") or _passed_a_restriction(request):
            return serve(request, *args, **kwargs)
        return _serve_public(request, lambda: serve(request, *args, **kwargs))


class CJKSearchablePage(Page):
    """A page whose title, intro and body are also indexed as Chinese bigrams (see portal.search)."""

    search_fields = Page.search_fields + [index.SearchField("search_cjk")]

    class Meta:
        abstract = True

    def searchable_texts(self) -> list[str]:
        texts = [self.title, getattr(self, "search_description", "")]
        intro = getattr(self, "intro", "")
        if intro:
            texts.append(strip_tags(str(intro)))
        body = getattr(self, "body", None)
        if body is not None:
            texts.extend(strip_tags(str(t)) for t in body.stream_block.get_searchable_content(body))
        return texts

    @property
    def search_cjk(self) -> str:
        return cjk_index_text(*self.searchable_texts())


class HomePage(PublicCachedPageMixin, CJKSearchablePage):
    """首页: what the grid system is, the ways in, the latest news."""

    intro = RichTextField(
        _("平台简介"), blank=True, features=["bold", "italic", "link"],
        help_text=_("向群众说明网格化管理是什么、能在这里做什么。"),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("正文"))

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["portal.NewsIndexPage", "portal.StandardPage"]

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = CJKSearchablePage.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("首页")
        verbose_name_plural = _("首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # This site's news only: each county's site has its own home page with its news below it.
        source = default_locale()
        home = self if self.locale_id == source.pk else (self.get_translation_or_none(source) or self)
        context["latest_news"] = localize_pages(
            source_pages(NewsPage.objects.live().public().descendant_of(home)).newest()[:5])
        return context

    def route(self, request, path_components):
        """A path the English tree lacks (a page nobody translated, no alias made for it) is answered from
        the Chinese tree, so every address works in every language; the page then carries its note."""
        try:
            return super().route(request, path_components)
        except Http404:
            source = self.get_translation_or_none(default_locale())
            if source is None or source.pk == self.pk:
                raise
            return source.specific.route(request, path_components)


class NewsPageQuerySet(PageQuerySet):
    def newest(self):
        """Newest first, by the news date and then by publication."""
        return self.order_by("-date", "-first_published_at")

    def of_kind(self, kind: str):
        return self.filter(kind=kind) if kind else self


NewsPageManager = PageManager.from_queryset(NewsPageQuerySet)


class NewsIndexPage(PublicCachedPageMixin, RoutablePageMixin, CJKSearchablePage):
    """新闻: the list of news of the three kinds the seed names (动态、进展、成效), with an RSS feed."""

    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.NewsPage"]
    max_count = 1
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("新闻列表")
        verbose_name_plural = _("新闻列表")

    def news(self):
        """The news of the Chinese index (the source), newest first; views show each in the visitor's
        language through portal.i18n.localize_pages."""
        index = self
        if self.locale_id != default_locale().pk:
            index = self.get_translation_or_none(default_locale()) or self
        return NewsPage.objects.live().public().child_of(index).newest()

    @path("")
    def index_view(self, request):
        kind = request.GET.get("kind", "")
        if kind not in dict(settings.PORTAL_NEWS_KINDS):
            kind = ""
        tag = request.GET.get("tag", "")[:100]
        items = self.news().of_kind(kind).select_related("cover")
        if tag:
            items = items.filter(tags__name=tag)
        paginator = Paginator(items, NEWS_PER_PAGE)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
        page_obj.object_list = localize_pages(page_obj.object_list)
        return self.render(request, context_overrides={
            "page_obj": page_obj, "kind": kind, "tag": tag, "kinds": settings.PORTAL_NEWS_KINDS,
        })

    @re_path(r"^feed/$")
    def feed_view(self, request):
        from .feeds import NewsFeed

        return NewsFeed(self)(request)


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey("portal.NewsPage", related_name="tagged_items", on_delete=models.CASCADE)


class NewsPage(PublicCachedPageMixin, CJKSearchablePage):
    """A news item: 动态 (dynamics), 进展 (progress) or 成效 (results)."""

    date = models.DateField(_("日期"), default=timezone.localdate)
    kind = models.CharField(_("类别"), max_length=20, choices=settings.PORTAL_NEWS_KINDS, default="dynamics")
    intro = models.TextField(_("摘要"), max_length=300, blank=True)
    cover = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("封面图片"),
    )
    body = StreamField(BodyBlock(), verbose_name=_("正文"))
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("标签"))

    parent_page_types = ["portal.NewsIndexPage"]
    subpage_types: list[str] = []
    objects = NewsPageManager()

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("date"), FieldPanel("kind"), FieldPanel("tags")], heading=_("基本信息")),
        FieldPanel("intro"),
        FieldPanel("cover"),
        FieldPanel("body"),
    ]
    search_fields = CJKSearchablePage.search_fields + [
        index.SearchField("intro"), index.SearchField("body"), index.FilterField("kind"),
        index.FilterField("date"),
    ]

    class Meta:
        verbose_name = _("新闻")
        verbose_name_plural = _("新闻")

    @property
    def summary(self) -> str:
        if self.intro:
            return self.intro
        texts = self.searchable_texts()[2:]
        return (" ".join(texts))[:140]


class StandardPage(PublicCachedPageMixin, CJKSearchablePage):
    """A plain content page, for texts such as the implementation plan (实施方案)."""

    intro = models.TextField(_("导语"), blank=True, max_length=500)
    body = StreamField(BodyBlock(), verbose_name=_("正文"))

    parent_page_types = ["portal.HomePage", "portal.StandardPage"]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = CJKSearchablePage.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("内容页")
        verbose_name_plural = _("内容页")


@register_setting(icon="cog")
class PortalSettings(BaseSiteSetting):
    """Contact facts shown in the footer, on posters and on signboards."""

    org_name = models.CharField(_("主管单位"), max_length=100, blank=True, help_text=_("例如：某某市农业农村局。"))
    hotline = models.CharField(_("投诉举报电话"), max_length=40, default="0994-12316")
    complaint_email = models.EmailField(_("投诉举报邮箱"), blank=True)
    office_address = models.CharField(_("办公地址"), max_length=200, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=100, blank=True,
                                    default="工作日 10:00–14:00，16:00–20:00")
    org_name_en = models.CharField(_("主管单位（英文）"), max_length=150, blank=True)
    office_address_en = models.CharField(_("办公地址（英文）"), max_length=250, blank=True)
    office_hours_en = models.CharField(_("办公时间（英文）"), max_length=150, blank=True,
                                       default="Working days 10:00–14:00 and 16:00–20:00")
    icp_filing = models.CharField(_("ICP备案号"), max_length=60, blank=True)
    police_filing = models.CharField(_("公安备案号"), max_length=60, blank=True)

    panels = [
        FieldPanel("org_name"), FieldPanel("hotline"), FieldPanel("complaint_email"),
        FieldPanel("office_address"), FieldPanel("office_hours"),
        MultiFieldPanel([FieldPanel("org_name_en"), FieldPanel("office_address_en"), FieldPanel("office_hours_en")],
                        heading=_("英文页面"), help_text=_("英文页面的页脚显示这些；留空的显示中文。")),
        MultiFieldPanel([FieldPanel("icp_filing"), FieldPanel("police_filing")], heading=_("页脚备案号")),
    ]

    class Meta:
        verbose_name = _("站点设置")


class HolidayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class Holiday(models.Model):
    """A day that breaks the weekly pattern of the working-day calendar (工作日历).

    Either a public holiday on a weekday (放假), or a weekend day that is worked to make up for one (调休上班).
    Deadlines that count working days read these through portal.workdays.
    """

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=HolidayKind.choices, default=HolidayKind.HOLIDAY)
    name = models.CharField(_("名称"), max_length=50, help_text=_("例如：春节、国庆节、肉孜节。"))
    note = models.CharField(_("备注"), max_length=200, blank=True,
                            help_text=_("依据，例如国务院办公厅或自治区人民政府办公厅的放假通知文号。"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date.isoformat()} {self.name}（{self.get_kind_display()}）"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


STALLED_AFTER_SECONDS = 600


class BackgroundJobQuerySet(models.QuerySet):
    def of_user(self, user):
        """The jobs a user may see: their own; a superuser sees everyone's."""
        return self if user.is_superuser else self.filter(started_by=user)

    def stale(self, *, days: int):
        """Finished jobs older than `days` days, whose files may be deleted."""
        cutoff = timezone.now() - datetime.timedelta(days=days)
        return self.filter(status__in=[JobStatus.DONE, JobStatus.FAILED], created_at__lt=cutoff)


class BackgroundJob(models.Model):
    """Long work run by the task worker (portal/jobs.py) instead of in a request: a township's signboards,
    a large import. Records who started it, how far it got, and its result file or failure message."""

    kind = models.CharField(_("类型"), max_length=60)
    title = models.CharField(_("名称"), max_length=200)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True,
                                   on_delete=models.SET_NULL, related_name="background_jobs")
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    # A msgid (Chinese) with its parameters, translated when shown, so each reader sees their language.
    message = models.CharField(_("说明"), max_length=500, blank=True)
    message_params = models.JSONField(default=dict, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.FileField(_("结果文件"), storage=PrivateStorage(), upload_to="jobs/%Y/%m/", blank=True,
                              max_length=200)
    result_name = models.CharField(_("下载文件名"), max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # Moved on every progress report: a running job that has not moved for long lost its worker.
    updated_at = models.DateTimeField(auto_now=True)

    objects = BackgroundJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["started_by", "-created_at"], name="portal_job_user_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("jobs:detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def stalled(self) -> bool:
        """Running, but without progress for STALLED_AFTER: its worker stopped (killed, restarted)."""
        return (self.status == JobStatus.RUNNING
                and timezone.now() - self.updated_at > datetime.timedelta(seconds=STALLED_AFTER_SECONDS))

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0

    @property
    def message_text(self) -> str:
        """The message in the reader's language."""
        from django.utils.translation import gettext

        if not self.message:
            return ""
        text = gettext(self.message)
        try:
            return text % self.message_params if self.message_params else text
        except (KeyError, TypeError, ValueError):
            return text
