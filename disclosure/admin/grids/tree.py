"""Back office: the grid tree (网格) as a snippet viewset, with its form, filters and scoped views."""

import json

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from ...geo import boundary_error
from ...models import Grid, GridLevel
from ...models.grids import DEFAULT_DUTIES
from ..scoping import ScopedViewSetMixin
from .common import (
    _assignments_url,
    _current_prefetch,
    _holders_text,
    _scoped_grids,
    _tree_label,
)


class GridAdminForm(WagtailAdminModelForm):
    """The grid form: parents limited to grids that can have children; a boundary may be uploaded as a file."""

    boundary_file = forms.FileField(
        label=gettext_lazy("上传边界文件（GeoJSON）"), required=False,
        help_text=gettext_lazy("可选：.geojson 或 .json 文件，不超过2MB；上传后替换下面的边界。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "parent" in self.fields:
            self.fields["parent"].queryset = Grid.objects.exclude(level=GridLevel.VILLAGE).in_tree_order()
            self.fields["parent"].label_from_instance = _tree_label
        if "duties" in self.fields:
            level = self.instance.level or GridLevel.VILLAGE
            self.fields["duties"].widget.attrs["placeholder"] = DEFAULT_DUTIES.get(level, "")

    def clean_boundary_file(self):
        upload = self.cleaned_data.get("boundary_file")
        if not upload:
            return None
        if upload.size > 2 * 1024 * 1024:
            raise ValidationError(_("边界文件不能超过2MB。"))
        try:
            value = json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValidationError(_("无法读取边界文件：不是有效的 GeoJSON（JSON）文本。")) from exc
        message = boundary_error(value)
        if message:
            raise ValidationError(message)
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("boundary_file"):
            cleaned["boundary"] = cleaned["boundary_file"]
            self.instance.boundary = cleaned["boundary_file"]
        return cleaned


class GridFilterSet(WagtailFilterSet):
    level = django_filters.ChoiceFilter(label=gettext_lazy("层级"), choices=GridLevel.choices)
    parent = django_filters.ModelChoiceFilter(
        label=gettext_lazy("上级网格"), field_name="parent",
        queryset=lambda request: _scoped_grids(request.user).exclude(level=GridLevel.VILLAGE).in_tree_order())

    class Meta:
        model = Grid
        fields = ["level", "parent"]


class GridIndexView(snippet_views.IndexView):
    default_ordering = None

    def get_base_queryset(self):
        return (_scoped_grids(self.request.user).select_related("parent").in_tree_order()
                .annotate(child_count=models.Count("children", distinct=True))
                .prefetch_related(_current_prefetch()))

    def order_queryset(self, queryset):
        return queryset  # always the tree's order

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        column_class = self._get_title_column_class(column_class)
        return column_class("name", label=_("网格"), accessor=_tree_label,
                            get_url=lambda g: self.get_edit_url(g) or self.get_inspect_url(g), **kwargs)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(Button(_("人员与任职记录"), url=_assignments_url(grid=instance.pk), icon_name="user", priority=30))
        buttons.append(Button(_("公开页面"), url=instance.get_absolute_url(), icon_name="link-external", priority=31,
                              attrs={"target": "_blank", "rel": "noopener"}))
        buttons.append(Button(_("网格图海报"), url=instance.get_absolute_url() + "poster.pdf", icon_name="doc-full",
                              priority=32, attrs={"target": "_blank", "rel": "noopener"}))
        return buttons


def _children_link(grid: Grid):
    if grid.level == GridLevel.VILLAGE:
        return "—"
    url = reverse("wagtailsnippets_disclosure_grid:list") + f"?parent={grid.pk}"
    label = {GridLevel.REGION: _("%(n)d 个地州"), GridLevel.PREFECTURE: _("%(n)d 个县（市）"),
             GridLevel.CITY: _("%(n)d 个乡镇")}.get(grid.level) or _("%(n)d 个村")
    return format_html('<a href="{}">{}</a>', url, label % {"n": grid.child_count})


class GridEditView(snippet_views.EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(Button(_("人员与任职记录"), url=_assignments_url(grid=self.object.pk), icon_name="user",
                              priority=30))
        buttons.append(Button(_("公开页面"), url=self.object.get_absolute_url(), icon_name="link-external",
                              priority=31))
        return buttons


class GridViewSet(ScopedViewSetMixin, SnippetViewSet):
    """网格: every view of a grid, and the grid chooser, see only the user's grids."""

    model = Grid
    icon = "site"
    menu_label = gettext_lazy("网格")
    add_to_admin_menu = False
    index_view_class = GridIndexView
    edit_view_class = GridEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = GridFilterSet
    search_fields = ["name", "code", "slug"]
    search_backend_name = None
    list_per_page = 100
    list_display = [
        "name",
        Column("level", label=gettext_lazy("层级"), accessor="get_level_display"),
        Column("code", label=gettext_lazy("区划代码")),
        Column("people", label=gettext_lazy("现任人员"), accessor=lambda g: _holders_text(g.current_list)),
        Column("children", label=gettext_lazy("下级网格"), accessor=_children_link),
    ]
    list_export = ["code", "name", "level", "slug", "parent", "sort_order", "note"]
    export_filename = "grids"
    inspect_view_fields = ["name", "level", "code", "slug", "parent", "sort_order", "duties", "note", "updated_at"]
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("name"), FieldPanel("level")]),
        FieldRowPanel([FieldPanel("code"), FieldPanel("slug")]),
        FieldRowPanel([FieldPanel("parent"), FieldPanel("sort_order")]),
        FieldPanel("duties"),
        FieldPanel("note"),
        MultiFieldPanel([FieldPanel("boundary_file"), FieldPanel("boundary")], heading=gettext_lazy("边界")),
    ], base_form_class=GridAdminForm)

    def scoped_queryset(self, user):
        return _scoped_grids(user)
