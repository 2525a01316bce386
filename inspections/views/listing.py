"""巡查记录 list at /admin/inspections/: the inspections of the user's grids, newest first, with filters
(township, village, date range, with failed items, awaiting confirmation) and search by producer."""

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.widgets.button import HeaderButton

from disclosure.models import GridLevel
from disclosure.services.grids import grids_for_user

from ..forms import DateInput
from ..models import Inspection, Kind
from .common import ADD_INSPECTION, VIEW_INSPECTIONS, AccessMixin


class InspectionFilterSet(WagtailFilterSet):
    township = django_filters.ChoiceFilter(label=_("乡镇"), method="filter_grid", empty_label=_("全部"))
    village = django_filters.ChoiceFilter(label=_("村"), method="filter_grid", empty_label=_("全部"))
    date_from = django_filters.DateFilter(label=_("巡查日期从"), field_name="inspected_on", lookup_expr="gte",
                                          widget=DateInput())
    date_to = django_filters.DateFilter(label=_("巡查日期至"), field_name="inspected_on", lookup_expr="lte",
                                        widget=DateInput())
    failed = django_filters.ChoiceFilter(label=_("不符合项"), method="filter_failed", empty_label=_("不限"),
                                         widget=forms.RadioSelect, choices=[("yes", _("有不符合项"))])
    awaiting = django_filters.ChoiceFilter(label=_("确认"), method="filter_awaiting", empty_label=_("不限"),
                                           widget=forms.RadioSelect, choices=[("yes", _("待乡镇确认"))])
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=Kind.choices, empty_label=_("全部"))

    class Meta:
        model = Inspection
        fields = ["township", "village", "date_from", "date_to", "failed", "awaiting", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scoped = list(grids_for_user(self.request.user).filter(level__in=[GridLevel.TOWNSHIP, GridLevel.VILLAGE])
                      .select_related("parent").order_by("sort_order", "code"))
        townships = [g for g in scoped if g.level == GridLevel.TOWNSHIP]
        villages = sorted((g for g in scoped if g.level == GridLevel.VILLAGE),
                          key=lambda g: (g.parent.sort_order, g.parent.code, g.sort_order, g.code))
        self.grids = {str(g.pk): g for g in scoped}
        if len(townships) > 1:
            self.filters["township"].extra["choices"] = [(str(t.pk), t.name) for t in townships]
        else:
            del self.filters["township"]
        if len(villages) > 1:
            groups: dict[str, list] = {}
            for v in villages:
                groups.setdefault(v.parent.name, []).append((str(v.pk), v.name))
            self.filters["village"].extra["choices"] = list(groups.items())
        else:
            del self.filters["village"]

    def filter_grid(self, queryset, name, value):
        grid = self.grids.get(value)
        if grid is None:
            return queryset.none()
        if grid.level == GridLevel.TOWNSHIP:
            return queryset.filter(producer__village__parent=grid)
        return queryset.filter(producer__village=grid)

    def filter_failed(self, queryset, name, value):
        return queryset.filter(failed_items__gt=0) if value == "yes" else queryset

    def filter_awaiting(self, queryset, name, value):
        return queryset.awaiting_confirmation() if value == "yes" else queryset


class Cell(Column):
    def __init__(self, *args, render, **kwargs):
        self.render = render
        super().__init__(*args, **kwargs)

    def render_cell_html(self, instance, parent_context):
        return format_html("<td>{}</td>", self.render(instance))


class ProducerColumn(Column):
    def render_cell_html(self, instance, parent_context):
        return format_html('<td class="title"><div class="title-wrapper"><a href="{}">{}</a></div></td>',
                           reverse("inspections:detail", args=[instance.pk]), instance.producer.name)


def _outcome(i: Inspection):
    if i.failed_items:
        html = format_html('<span class="insp-tag insp-tag--fail">{}</span>',
                           _t("%(n)d项不符合") % {"n": i.failed_items})
    else:
        html = format_html('<span class="insp-tag insp-tag--pass">{}</span>', _t("均符合"))
    if not i.confirmed:
        html += format_html(' <span class="insp-tag insp-tag--wait">{}</span>', _t("待确认"))
    return html


class InspectionIndexView(AccessMixin, BaseListingView):
    permission = VIEW_INSPECTIONS
    template_name = "inspections/admin/index.html"
    results_template_name = "inspections/admin/index_results.html"
    page_title = _("巡查记录")
    header_icon = "clipboard-list"
    index_url_name = "inspections:index"
    index_results_url_name = "inspections:index_results"
    filterset_class = InspectionFilterSet
    is_searchable = True
    paginate_by = 25
    verbose_name_plural = _("巡查记录")

    @cached_property
    def columns(self):
        return [
            Cell("inspected_on", label=_("巡查日期"), render=lambda i: i.inspected_on.isoformat()),
            ProducerColumn("producer", label=_("生产主体")),
            Cell("village", label=_("所属网格"), render=lambda i: i.producer.village.full_name),
            Cell("kind", label=_("类型"), render=lambda i: i.get_kind_display()),
            Cell("outcome", label=_("结果"), render=_outcome),
            Cell("inspectors", label=_("巡查人员"), render=lambda i: i.inspector_names),
        ]

    def get_base_queryset(self):
        return Inspection.objects.visible_to(self.request.user).select_related(
            "producer", "producer__village", "producer__village__parent")

    def order_queryset(self, queryset):
        return queryset.order_by("-inspected_on", "-id")

    def search_queryset(self, queryset):
        query = (self.search_query or "").strip()
        if not query:
            return queryset
        return queryset.filter(Q(producer__name__icontains=query) | Q(producer__code__iexact=query)
                               | Q(inspector_names__icontains=query))

    @cached_property
    def header_buttons(self):
        if self.request.user.has_perm(ADD_INSPECTION):
            return [HeaderButton(_t("登记巡查记录"), url=reverse("inspections:record"), icon_name="plus")]
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["no_scope"] = bool(self.filters) and not self.filters.grids
        return context
