"""Back office: substances. Defines viewsets and registers them with Wagtail hooks on import.

Staff keep the banned and restricted list (禁限用农药兽药名录) current: every entry is a snippet with
revisions (who changed what, compare, revert), filtered by category and status, searched by any part of
its name, scope or basis, and exported as CSV or XLSX. The public page /substances/ shows changes at once.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, DateColumn, UpdatedAtColumn
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from ..models import Substance


class SubstanceViewSet(SnippetViewSet):
    model = Substance
    icon = "warning"
    menu_label = _("名录条目")
    menu_order = 100
    add_to_admin_menu = False
    inspect_view_enabled = True
    list_per_page = 50
    ordering = ["category", "status", "sort_order", "name_zh"]
    list_display = [
        "name_zh",
        Column("category", label=_("类别"), accessor="get_category_display"),
        Column("status", label=_("管理类别"), accessor="get_status_display"),
        Column("restricted_scope", label=_("限用范围")),
        DateColumn("effective_date", label=_("施行日期")),
        UpdatedAtColumn(),
    ]
    list_filter = ["category", "status"]
    # The model is not in Wagtail's search index, so the listing searches with the ORM (icontains):
    # a Chinese substring such as 甲胺 finds 甲胺磷.
    search_fields = ["name_zh", "name_en", "restricted_scope", "legal_basis"]
    search_backend_name = None
    list_export = ["name_zh", "name_en", "get_category_display", "get_status_display", "restricted_scope",
                   "legal_basis", "effective_date", "source", "staff_note", "updated_at"]
    export_headings = {
        "name_zh": _("中文名称"), "name_en": _("英文通用名"), "get_category_display": _("类别"),
        "get_status_display": _("管理类别"), "restricted_scope": _("限用范围"), "legal_basis": _("依据"),
        "effective_date": _("施行日期"), "source": _("资料来源"), "staff_note": _("内部备注"),
        "updated_at": _("更新时间"),
    }
    export_filename = "substances"
    panels = [
        MultiFieldPanel([
            FieldPanel("name_zh", help_text=_("与公告原文一致，如“甲胺磷”。同一名称可以既有禁用条目又有限用条目。")),
            FieldPanel("name_en", help_text=_("ISO 通用名，可留空。")),
            FieldRowPanel([FieldPanel("category"), FieldPanel("status")]),
        ], heading=_("名称和类别")),
        MultiFieldPanel([
            FieldPanel("restricted_scope", help_text=_(
                "限用条目填写禁止使用的作物或用途，如“禁止在蔬菜上使用”。禁用条目留空。")),
            FieldPanel("legal_basis", help_text=_("公告名称和文号，如“农业农村部公告第736号”。公开页面显示这一栏。")),
            FieldPanel("restricted_scope_en", help_text=_("英文页面显示；留空则显示中文。")),
            FieldPanel("legal_basis_en", help_text=_("英文页面显示；留空则显示中文。")),
            FieldPanel("effective_date", help_text=_(
                "禁止销售和使用的起始日期。日期未到时，公开页面显示“自…起施行”；限用的农药另有全面禁用条目时，"
                "全面禁用生效后，限用条目自动标为“已被取代”。")),
        ], heading=_("范围、依据和日期")),
        MultiFieldPanel([
            FieldPanel("source", help_text=_(
                "参考资料的网址，用“ | ”或换行分隔。公开页面只显示以 http:// 或 https:// 开头的网址，其余文字仅内部可见。")),
            FieldPanel("staff_note", help_text=_(
                "只给工作人员看的说明，如“公告号待核实”。公开页面不显示这一栏。")),
            FieldPanel("sort_order", help_text=_("同一分类中的显示顺序，小的在前。")),
        ], heading=_("来源和内部备注")),
    ]


class PublicPageLink(ViewSet):
    """A menu entry to see the list as the public sees it."""

    name = "substances-public"
    menu_label = _("查看公开页面")
    icon = "view"
    menu_order = 110

    def get_urlpatterns(self):
        return []

    def get_menu_item(self, order=None):
        return MenuItem(self.menu_label, "/substances/", icon_name=self.icon, order=order or self.menu_order,
                        name=self.name)


class SubstanceMenuGroup(SnippetViewSetGroup):
    menu_label = _("禁限用名录")
    menu_icon = "warning"
    menu_order = 220
    items = (SubstanceViewSet, PublicPageLink)


register_snippet(SubstanceMenuGroup)
