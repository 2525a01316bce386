"""Back office: producers. Defines viewsets and registers them with Wagtail hooks on import.

生产主体名录 as a snippet with revisions, scoped to the grids the user covers; setting a grade;
the key supervision list (重点监管名录) and the stale-facts list as filters of the listing; issuing
signboards one by one or for a whole township; importing the registry from a spreadsheet.
"""


import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.pdf import pdf_response
from portal.spreadsheets import upload_discard, upload_stash, upload_unstash

from ..models import Grade, Grid, Producer, ProducerKind, Signboard
from ..services.grids import grids_for_user
from ..services.producers import rating_set
from ..services.registry_import import (
    RegistryFileError,
    registry_import,
    registry_parse,
    registry_template_csv,
)
from ..services.signboards import PAPERS, signboard_issue, signboards_for_township, signboards_pdf

PERM_GRADE = "disclosure.set_grade"
PERM_IMPORT = "disclosure.import_registry"
PERM_PRINT = "disclosure.print_signboards"


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _visible(user):
    return Producer.objects.visible_to(user)


def _scoped_producer(request, pk) -> Producer:
    """A producer the user may see, or 404 (the same answer as for one that does not exist)."""
    return get_object_or_404(_visible(request.user).select_related("village", "village__parent"), pk=pk)


# --- forms -----------------------------------------------------------------------------------------

class ProducerAdminForm(WagtailAdminModelForm):
    """The edit form: a user may only place producers in villages they cover."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        if "village" in self.fields:
            villages = Grid.objects.villages().select_related("parent").order_by("parent__sort_order", "sort_order")
            if user is not None and not user.is_superuser:
                villages = villages.filter(pk__in=grids_for_user(user))
            self.fields["village"].queryset = villages
            self.fields["village"].label_from_instance = lambda g: g.full_name


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=gettext_lazy("信用等级"), choices=Grade.choices)
    effective_date = forms.DateField(label=gettext_lazy("生效日期"), initial=timezone.localdate,
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    basis = forms.CharField(label=gettext_lazy("评级依据"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=gettext_lazy("例如：巡查、抽检结果及处理情况。会记入评级历史。"))
    next_review_date = forms.DateField(label=gettext_lazy("下次复核日期"), required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class SignForm(forms.Form):
    paper = forms.ChoiceField(label=gettext_lazy("纸张"), choices=[(p, p) for p in PAPERS], initial="A3")


class TownshipPrintForm(forms.Form):
    township = forms.ModelChoiceField(label=gettext_lazy("乡镇"), queryset=Grid.objects.none())
    paper = forms.ChoiceField(label=gettext_lazy("纸张"), choices=[(p, p) for p in PAPERS], initial="A3")
    renumber = forms.BooleanField(
        label=gettext_lazy("全部登记为新公示牌"), required=False,
        help_text=gettext_lazy("不勾选时，信息未变的生产主体沿用原编号（重印同一块牌）；信息有变化的自动登记新编号。"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        townships = Grid.objects.townships().in_order()
        if user is not None and not user.is_superuser:
            townships = townships.filter(pk__in=grids_for_user(user))
        self.fields["township"].queryset = townships


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("名录文件（.xlsx 或 .csv）"))


# --- the listing --------------------------------------------------------------------------------------

class ProducerFilterSet(WagtailFilterSet):
    township = django_filters.ModelChoiceFilter(
        label=gettext_lazy("乡镇"), field_name="village__parent",
        queryset=lambda request: Grid.objects.townships().in_order())
    kind = django_filters.ChoiceFilter(label=gettext_lazy("单位类型"), choices=ProducerKind.choices)
    grade = django_filters.ChoiceFilter(label=gettext_lazy("信用等级"), choices=Grade.choices)
    list = django_filters.ChoiceFilter(
        label=gettext_lazy("名录"), method="filter_list", empty_label=gettext_lazy("全部生产主体"),
        choices=[("key", gettext_lazy("重点监管名录（B、C 类）")), ("stale", gettext_lazy("信息超过一年未核实"))])
    published = django_filters.BooleanFilter(label=gettext_lazy("公开"))

    class Meta:
        model = Producer
        fields = ["township", "kind", "grade", "list", "published"]

    def filter_list(self, queryset, name, value):
        if value == "key":
            return queryset.key_supervision()
        if value == "stale":
            return queryset.stale()
        return queryset


class ScopedObjectMixin:
    """Object views answer 404 for producers outside the user's grids, as if they did not exist."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not _visible(self.request.user).filter(pk=obj.pk).exists():
            from django.http import Http404

            raise Http404
        return obj


class ProducerIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        return _visible(self.request.user).select_related("village", "village__parent")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        user = self.request.user
        if user.has_perm(PERM_GRADE):
            buttons.append(Button(_("设置信用等级"), url=reverse("producer_admin:grade", args=[instance.pk]),
                                  icon_name="tick-inverse", priority=30))
        if user.has_perm(PERM_PRINT):
            buttons.append(Button(_("公示牌"), url=reverse("producer_admin:signs", args=[instance.pk]),
                                  icon_name="doc-full", priority=31))
        buttons.append(Button(_("公开页面"), url=instance.get_absolute_url(), icon_name="link-external",
                              priority=32, attrs={"target": "_blank", "rel": "noopener"}))
        return buttons

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        user = self.request.user
        if user.has_perm(PERM_IMPORT):
            buttons.append(Button(_("导入名录"), url=reverse("producer_admin:import"), icon_name="upload", priority=40))
        if user.has_perm(PERM_PRINT):
            buttons.append(Button(_("按乡镇打印公示牌"), url=reverse("producer_admin:print"), icon_name="doc-full",
                                  priority=41))
        return buttons


class ProducerEditView(ScopedObjectMixin, snippet_views.EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        user = self.request.user
        if user.has_perm(PERM_GRADE):
            buttons.append(Button(_("设置信用等级"), url=reverse("producer_admin:grade", args=[self.object.pk]),
                                  icon_name="tick-inverse", priority=30))
        if user.has_perm(PERM_PRINT):
            buttons.append(Button(_("公示牌"), url=reverse("producer_admin:signs", args=[self.object.pk]),
                                  icon_name="doc-full", priority=31))
        buttons.append(Button(_("公开页面"), url=self.object.get_absolute_url(), icon_name="link-external",
                              priority=32))
        return buttons


class ProducerDeleteView(ScopedObjectMixin, snippet_views.DeleteView):
    pass


class ProducerInspectView(ScopedObjectMixin, snippet_views.InspectView):
    pass


class ProducerHistoryView(ScopedObjectMixin, snippet_views.HistoryView):
    pass


class ProducerUsageView(ScopedObjectMixin, snippet_views.UsageView):
    pass


class ProducerCopyView(ScopedObjectMixin, snippet_views.CopyView):
    pass


class ProducerRevisionsCompareView(ScopedObjectMixin, snippet_views.RevisionsCompareView):
    pass


def _iso(day) -> str:
    return day.isoformat() if day else "—"


def _village_name(producer):
    return producer.village.full_name


class ProducerViewSet(SnippetViewSet):
    model = Producer
    icon = "group"
    menu_label = gettext_lazy("生产主体名录")
    menu_order = 100
    add_to_admin_menu = False
    index_view_class = ProducerIndexView
    edit_view_class = ProducerEditView
    delete_view_class = ProducerDeleteView
    inspect_view_class = ProducerInspectView
    history_view_class = ProducerHistoryView
    usage_view_class = ProducerUsageView
    copy_view_class = ProducerCopyView
    revisions_compare_view_class = ProducerRevisionsCompareView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = ProducerFilterSet
    search_fields = ["name", "code", "credit_code", "products", "legal_representative"]
    search_backend_name = None  # plain substring search, so that Chinese substrings match
    list_per_page = 50
    ordering = ["village__parent__sort_order", "village__sort_order", "name"]
    list_display = [
        "name",
        Column("code", label=gettext_lazy("公示编码")),
        Column("kind", label=gettext_lazy("单位类型"), accessor="get_kind_display"),
        Column("village", label=gettext_lazy("所属网格"), accessor=_village_name),
        Column("grade", label=gettext_lazy("信用等级"), accessor="grade_display"),
        Column("grade_since", label=gettext_lazy("评级日期"), accessor=lambda p: _iso(p.grade_since)),
        Column("facts_confirmed_on", label=gettext_lazy("信息核实日期"),
               accessor=lambda p: _iso(p.facts_confirmed_on) + (_("（超过一年）") if p.is_stale else "")),
        Column("published", label=gettext_lazy("公开"), accessor=lambda p: _("是") if p.published else _("否")),
    ]
    list_export = ["code", "name", "kind", "credit_code", "legal_representative", "phone", "address", "village",
                   "products", "on_traceability_platform", "traceability_code", "issues_certificates",
                   "self_commitment", "commitment_signed_on", "inspector_name", "inspector_phone",
                   "grade", "grade_since", "facts_confirmed_on", "published"]
    export_filename = "producers"
    inspect_view_fields = ["code", "name", "kind", "credit_code", "legal_representative", "phone", "address",
                           "village", "products", "on_traceability_platform", "traceability_code",
                           "issues_certificates", "self_commitment", "commitment_signed_on", "inspector_name",
                           "inspector_phone", "grade", "grade_since", "facts_confirmed_on", "published"]

    edit_handler = TabbedInterface([
        ObjectList([
            FieldPanel("name"),
            # A plain list of the villages the user covers, not the grid chooser (which offers every grid).
            FieldRowPanel([FieldPanel("kind"), FieldPanel("village", widget=forms.Select)]),
            FieldRowPanel([FieldPanel("credit_code"), FieldPanel("legal_representative")]),
            FieldRowPanel([FieldPanel("phone"), FieldPanel("address")]),
            FieldPanel("products"),
            FieldRowPanel([FieldPanel("facts_confirmed_on"), FieldPanel("published")]),
        ], heading=gettext_lazy("基本信息")),
        ObjectList([
            MultiFieldPanel([FieldPanel("on_traceability_platform"), FieldPanel("traceability_code")],
                            heading=gettext_lazy("追溯")),
            FieldPanel("issues_certificates"),
            MultiFieldPanel([FieldPanel("self_commitment"), FieldPanel("commitment_text"),
                             FieldPanel("commitment_signed_on"), FieldPanel("commitment_scan")],
                            heading=gettext_lazy("农产品质量安全承诺书")),
        ], heading=gettext_lazy("追溯与承诺")),
        ObjectList([
            MultiFieldPanel([FieldRowPanel([FieldPanel("inspector_name"), FieldPanel("inspector_phone")]),
                             FieldPanel("inspector_photo")], heading=gettext_lazy("单位内检员")),
            FieldRowPanel([FieldPanel("photo"), FieldPanel("licence_image")]),
            InlinePanel("gallery", label=gettext_lazy("更多照片"), max_num=12),
        ], heading=gettext_lazy("人员与照片")),
    ], base_form_class=ProducerAdminForm)


# --- setting a grade, issuing signs ---------------------------------------------------------------

class AdminPage(View):
    """A plain back-office page in Wagtail's frame."""

    template_name = ""
    title = ""

    def page(self, request, context: dict, status: int = 200):
        return TemplateResponse(request, self.template_name, {"page_title": self.title, "header_title": self.title,
                                                              **context}, status=status)


class GradeView(AdminPage):
    """设置信用等级: one call to rating_set, with the producer's grade history below the form."""

    template_name = "disclosure/producers/admin_grade.html"
    title = gettext_lazy("设置信用等级")

    def dispatch(self, request, pk):
        _require(request.user, PERM_GRADE)
        self.producer = _scoped_producer(request, pk)
        return super().dispatch(request, pk)

    def context(self, form):
        return {"producer": self.producer, "form": form,
                "history": self.producer.ratings.history().select_related("set_by"),
                "edit_url": reverse("wagtailsnippets_disclosure_producer:edit", args=[self.producer.pk])}

    def get(self, request, pk):
        return self.page(request, self.context(GradeForm()))

    def post(self, request, pk):
        form = GradeForm(request.POST)
        if form.is_valid():
            try:
                rating_set(producer=self.producer, set_by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, _("已将“%(name)s”的信用等级设为 %(grade)s。") % {
                    "name": self.producer.name, "grade": self.producer.grade_display})
                return redirect("producer_admin:grade", pk=self.producer.pk)
        return self.page(request, self.context(form), status=400)


class SignsView(AdminPage):
    """A producer's registered signs; POST registers a new sign and returns its PDF."""

    template_name = "disclosure/producers/admin_signs.html"
    title = gettext_lazy("公示牌")

    def dispatch(self, request, pk):
        _require(request.user, PERM_PRINT)
        self.producer = _scoped_producer(request, pk)
        return super().dispatch(request, pk)

    def get(self, request, pk, form=None):
        return self.page(request, {
            "producer": self.producer, "form": form or SignForm(),
            "signs": Signboard.objects.of_producer(self.producer).select_related("created_by"),
            "edit_url": reverse("wagtailsnippets_disclosure_producer:edit", args=[self.producer.pk])})

    def post(self, request, pk):
        form = SignForm(request.POST)
        if not form.is_valid():
            return self.get(request, pk, form=form)
        if not self.producer.published:
            messages.error(request, _("该生产主体未公开，不能印制公示牌。请先在编辑页面勾选“公开”。"))
            return redirect("producer_admin:signs", pk=self.producer.pk)
        paper = form.cleaned_data["paper"]
        sign, _created = signboard_issue(producer=self.producer, paper=paper, by=request.user, force=True)
        pdf = signboards_pdf(signs=[sign], paper=paper)
        return pdf_response(pdf, f"signboard-{self.producer.code}-{sign.serial_display}-{paper}.pdf", inline=False)


class TownshipPrintView(AdminPage):
    """All signs of a township in one PDF."""

    template_name = "disclosure/producers/admin_print.html"
    title = gettext_lazy("按乡镇打印公示牌")

    def dispatch(self, request):
        _require(request.user, PERM_PRINT)
        return super().dispatch(request)

    def get(self, request, form=None):
        return self.page(request, {"form": form or TownshipPrintForm(user=request.user)})

    def post(self, request):
        form = TownshipPrintForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.get(request, form=form)
        township, paper = form.cleaned_data["township"], form.cleaned_data["paper"]
        signs = signboards_for_township(township=township, paper=paper, by=request.user,
                                        force=form.cleaned_data["renumber"])
        if not signs:
            form.add_error("township", _("%(name)s没有公开的生产主体。") % {"name": township.name})
            return self.get(request, form=form)
        pdf = signboards_pdf(signs=signs, paper=paper)
        return pdf_response(pdf, f"signboards-{township.slug}-{timezone.localdate():%Y%m%d}-{paper}.pdf",
                            inline=False)


# --- importing the registry -------------------------------------------------------------------------

IMPORT_DIR = "producer-imports"
IMPORT_SALT = "disclosure.registry-import"


class ImportView(AdminPage):
    """Upload → a preview of every row with its errors → confirm → everything is saved, or nothing."""

    template_name = "disclosure/producers/admin_import.html"
    title = gettext_lazy("导入生产主体名录")

    def dispatch(self, request):
        _require(request.user, PERM_IMPORT)
        return super().dispatch(request)

    def get(self, request):
        if request.GET.get("template"):
            response = HttpResponse(registry_template_csv(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="producer-registry-template.csv"'
            return response
        return self.page(request, {"form": ImportForm()})

    def post(self, request):
        if "token" in request.POST:
            return self.confirm(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            preview = registry_parse(content=content, filename=upload.name)
        except RegistryFileError as exc:
            form.add_error("file", str(exc))
            return self.page(request, {"form": form}, status=400)
        token = None
        if preview.ok:
            token = upload_stash(content=content, filename=upload.name, folder=IMPORT_DIR, salt=IMPORT_SALT,
                                 user=request.user)
        return self.page(request, {"form": ImportForm(), "preview": preview, "token": token,
                                   "filename": upload.name})

    def confirm(self, request):
        stashed = upload_unstash(token=request.POST["token"], folder=IMPORT_DIR, salt=IMPORT_SALT, user=request.user)
        if stashed is None:
            messages.error(request, _("导入确认已过期或无效，请重新上传文件。"))
            return redirect("producer_admin:import")
        content, data = stashed
        # Check again: the registry may have changed since the preview.
        preview = registry_parse(content=content, filename=data["f"])
        try:
            counts = registry_import(preview=preview, by=request.user)
        except ValidationError:
            return self.page(request, {"form": ImportForm(), "preview": preview, "token": None,
                                       "filename": data.get("n", "")}, status=400)
        finally:
            if preview.ok:
                upload_discard(data=data, folder=IMPORT_DIR)
        messages.success(request, _("导入完成：新增 %(created)d 个，更新 %(updated)d 个生产主体。") % counts)
        return redirect("wagtailsnippets_disclosure_producer:list")


class ProducerToolsViewSet(ViewSet):
    """The producer screens that are not plain model views: grades, signs, printing, importing."""

    name = "producer_admin"
    url_prefix = "producers"
    icon = "upload"
    menu_label = gettext_lazy("导入名录")
    menu_order = 130

    def get_urlpatterns(self):
        return [
            path("import/", ImportView.as_view(), name="import"),
            path("print/", TownshipPrintView.as_view(), name="print"),
            path("<int:pk>/grade/", GradeView.as_view(), name="grade"),
            path("<int:pk>/signs/", SignsView.as_view(), name="signs"),
        ]

    def get_menu_item(self, order=None):
        return PermissionMenuItem(PERM_IMPORT, self.menu_label, reverse("producer_admin:import"),
                                  icon_name="upload", order=order or 130, name="producer-import")


class PermissionMenuItem(MenuItem):
    def __init__(self, perm: str, *args, **kwargs):
        self.perm = perm
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.perm)


class ListLinkViewSet(ViewSet):
    """A menu entry that opens the producer listing with a filter (no views of its own)."""

    query = ""
    perm = "disclosure.view_producer"

    def get_urlpatterns(self):
        return []

    def get_menu_item(self, order=None):
        url = reverse("wagtailsnippets_disclosure_producer:list") + self.query
        return PermissionMenuItem(self.perm, self.menu_label, url, icon_name=self.icon,
                                  order=order or self.menu_order, name=self.name)


class KeySupervisionLink(ListLinkViewSet):
    name = "producer-key-supervision"
    menu_label = gettext_lazy("重点监管名录")
    icon = "warning"
    menu_order = 110
    query = "?list=key"


class StaleLink(ListLinkViewSet):
    name = "producer-stale"
    menu_label = gettext_lazy("信息待更新")
    icon = "time"
    menu_order = 120
    query = "?list=stale"


class PrintLink(ListLinkViewSet):
    name = "producer-print"
    menu_label = gettext_lazy("打印公示牌")
    icon = "doc-full"
    menu_order = 140
    perm = PERM_PRINT

    def get_menu_item(self, order=None):
        return PermissionMenuItem(self.perm, self.menu_label, reverse("producer_admin:print"), icon_name=self.icon,
                                  order=order or self.menu_order, name=self.name)


class ProducerGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("生产主体")
    menu_icon = "group"
    menu_order = 210
    items = (ProducerViewSet, KeySupervisionLink, StaleLink, ProducerToolsViewSet, PrintLink)


register_snippet(ProducerGroup)
