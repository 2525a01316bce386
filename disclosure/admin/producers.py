"""Back office: producers. Defines viewsets and registers them with Wagtail hooks on import.

生产主体名录 as a snippet with revisions, scoped to the grids the user covers; the key supervision list
(重点监管名录, grade B/C or high risk, with the reason) and the stale-facts list as filters of the listing.
Setting a grade or a risk level, signs, printing and importing are in producer_tools.
"""


import django_filters
from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
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

from ..models import Grade, Grid, Producer, ProducerKind, RiskLevel
from ..services.grids import grids_for_user
from .producer_tools import (
    PERM_GRADE,
    PERM_IMPORT,
    PERM_PRINT,
    PERM_RISK,
    PermissionMenuItem,
    ProducerToolsViewSet,
    _visible,
)
from .scoping import ScopedViewSetMixin

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


# --- the listing --------------------------------------------------------------------------------------

class ProducerFilterSet(WagtailFilterSet):
    township = django_filters.ModelChoiceFilter(
        label=gettext_lazy("乡镇"), field_name="village__parent",
        queryset=lambda request: Grid.objects.covered_by(request.user).townships().in_order())
    kind = django_filters.ChoiceFilter(label=gettext_lazy("单位类型"), choices=ProducerKind.choices)
    grade = django_filters.ChoiceFilter(label=gettext_lazy("信用等级"), choices=Grade.choices)
    risk_level = django_filters.ChoiceFilter(label=gettext_lazy("风险等级"), choices=RiskLevel.choices,
                                             empty_label=gettext_lazy("全部"))
    list = django_filters.ChoiceFilter(
        label=gettext_lazy("名录"), method="filter_list", empty_label=gettext_lazy("全部生产主体"),
        choices=[("key", gettext_lazy("重点监管名录（B、C 类或风险等级高）")),
                 ("stale", gettext_lazy("信息超过一年未核实"))])
    published = django_filters.BooleanFilter(label=gettext_lazy("公开"))

    class Meta:
        model = Producer
        fields = ["township", "kind", "grade", "risk_level", "list", "published"]

    def filter_list(self, queryset, name, value):
        if value == "key":
            return queryset.key_supervision()
        if value == "stale":
            return queryset.stale()
        return queryset


class ProducerIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        return _visible(self.request.user).select_related("village", "village__parent")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        user = self.request.user
        if user.has_perm(PERM_GRADE):
            buttons.append(Button(_("设置信用等级"), url=reverse("producer_admin:grade", args=[instance.pk]),
                                  icon_name="tick-inverse", priority=30))
        if user.has_perm(PERM_RISK):
            buttons.append(Button(_("设置风险等级"), url=reverse("producer_admin:risk", args=[instance.pk]),
                                  icon_name="warning", priority=30))
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
            buttons.append(Button(_("批量打印公示牌"), url=reverse("producer_admin:print"), icon_name="doc-full",
                                  priority=41))
        return buttons


class ProducerEditView(snippet_views.EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        user = self.request.user
        if user.has_perm(PERM_GRADE):
            buttons.append(Button(_("设置信用等级"), url=reverse("producer_admin:grade", args=[self.object.pk]),
                                  icon_name="tick-inverse", priority=30))
        if user.has_perm(PERM_RISK):
            buttons.append(Button(_("设置风险等级"), url=reverse("producer_admin:risk", args=[self.object.pk]),
                                  icon_name="warning", priority=30))
        if user.has_perm(PERM_PRINT):
            buttons.append(Button(_("公示牌"), url=reverse("producer_admin:signs", args=[self.object.pk]),
                                  icon_name="doc-full", priority=31))
        buttons.append(Button(_("公开页面"), url=self.object.get_absolute_url(), icon_name="link-external",
                              priority=32))
        return buttons


def _iso(day) -> str:
    return day.isoformat() if day else "—"


def _village_name(producer):
    return producer.village.full_name


def _risk(producer) -> str:
    if not producer.risk_level:
        return "—"
    return f"{producer.get_risk_level_display()} · {_iso(producer.risk_since)}"


def _key_reasons(producer) -> str:
    """Why the producer is on the key supervision list (重点监管名录), or a dash."""
    return "、".join(producer.key_supervision_reasons) or "—"


class ProducerViewSet(ScopedViewSetMixin, SnippetViewSet):
    """生产主体名录: every view of a producer, and the producer chooser, see only the user's grids' producers."""

    model = Producer
    icon = "group"
    menu_label = gettext_lazy("生产主体名录")
    menu_order = 100
    add_to_admin_menu = False
    index_view_class = ProducerIndexView
    edit_view_class = ProducerEditView
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
        Column("grade_since", label=gettext_lazy("评级日期"), accessor=lambda p: _iso(p.grade_date)),
        Column("risk_level", label=gettext_lazy("风险等级"), accessor=_risk),
        Column("key", label=gettext_lazy("重点监管"), accessor=_key_reasons),
        Column("facts_confirmed_on", label=gettext_lazy("信息核实日期"),
               accessor=lambda p: _iso(p.facts_confirmed_on) + (_("（超过一年）") if p.is_stale else "")),
        Column("published", label=gettext_lazy("公开"), accessor=lambda p: _("是") if p.published else _("否")),
    ]
    list_export = ["code", "name", "kind", "credit_code", "legal_representative", "phone", "address", "village",
                   "products", "on_traceability_platform", "traceability_code", "issues_certificates",
                   "self_commitment", "commitment_signed_on", "inspector_name", "inspector_phone",
                   "grade", "grade_date", "risk_level", "risk_since", "facts_confirmed_on", "published"]
    export_filename = "producers"
    inspect_view_fields = ["code", "name", "kind", "credit_code", "legal_representative", "phone", "address",
                           "village", "products", "on_traceability_platform", "traceability_code",
                           "issues_certificates", "self_commitment", "commitment_signed_on", "inspector_name",
                           "inspector_phone", "grade", "grade_date", "risk_level", "risk_since",
                           "facts_confirmed_on", "published"]

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

    def scoped_queryset(self, user):
        return _visible(user)


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
