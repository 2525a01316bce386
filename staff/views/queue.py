"""The triage queue (办理队列) at /admin/triage/: the complaints of the user's grids, nearest deadline first.

A Wagtail listing (filters in the header drawer, search, pagination, sortable columns), counts per state
above the table, CSV and XLSX export through complaints.selectors.complaint_export_rows.
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.widgets.button import Button, HeaderButton

from complaints.models import FINISHED_STATES, OPEN_STATES, Category, Complaint, Kind, State
from complaints.selectors import complaint_search
from disclosure.models import GridLevel
from disclosure.services.grids import grids_for_user
from portal.jobs import job_start

from .. import exports

VIEW_PERMISSION = "complaints.view_complaint"
EXPORT_PERMISSION = "complaints.export_complaint"
RECORD_PERMISSION = "complaints.record_complaint"
SOON_DAYS = 3


class StaffAccessMixin:
    """Only staff who may view complaints; everyone else gets 403 (anonymous visitors the admin login)."""

    permission = VIEW_PERMISSION

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        response = super().dispatch(request, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"
        return response


# --- filters ------------------------------------------------------------------------------------------

STATE_CHOICES = [("all", _("全部")), ("finished", _("已结束（办结、不予受理、转办）"))] + list(State.choices)


class TriageFilterSet(WagtailFilterSet):
    """The queue's filters. With no state chosen the queue shows the open complaints (未办结)."""

    state = django_filters.ChoiceFilter(label=_("状态"), choices=STATE_CHOICES, method="filter_state",
                                        empty_label=_("未办结（默认）"))
    overdue = django_filters.ChoiceFilter(
        label=_("期限"), method="filter_overdue", empty_label=_("不限"), widget=forms.RadioSelect,
        choices=[("yes", _("已超期")), ("soon", _("3日内到期")), ("rectification", _("整改逾期未复查"))])
    mine = django_filters.ChoiceFilter(label=_("承办人"), method="filter_mine", empty_label=_("不限"),
                                       widget=forms.RadioSelect, choices=[("yes", _("分派给我的"))])
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=Kind.choices, empty_label=_("全部"),
                                       widget=forms.RadioSelect)
    category = django_filters.ChoiceFilter(label=_("问题类别"), choices=Category.choices, empty_label=_("全部"))
    township = django_filters.ChoiceFilter(label=_("乡镇"), method="filter_township", empty_label=_("全部"))
    village = django_filters.ChoiceFilter(label=_("村"), method="filter_village", empty_label=_("全部"))

    class Meta:
        model = Complaint
        fields = ["state", "overdue", "mine", "kind", "category", "township", "village"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        scoped = list(grids_for_user(user).filter(level__in=[GridLevel.TOWNSHIP, GridLevel.VILLAGE])
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

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("state"):
            queryset = queryset.open()
        return super().filter_queryset(queryset)

    def filter_queryset_any_state(self, queryset):
        """Every filter but the state (for the counts per state above the list)."""
        for name, value in self.form.cleaned_data.items():
            if name != "state":
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_state(self, queryset, name, value):
        if value == "all":
            return queryset
        if value == "finished":
            return queryset.finished()
        return queryset.in_state(value)

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        if value == "yes":
            return queryset.overdue(on=today)
        if value == "soon":
            return queryset.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=SOON_DAYS),
                                   paused_since__isnull=True)
        if value == "rectification":
            return queryset.rectification_overdue(on=today)
        return queryset

    def filter_mine(self, queryset, name, value):
        return queryset.assigned_to(self.request.user) if value == "yes" else queryset

    def filter_township(self, queryset, name, value):
        grid = self.grids.get(value)
        return queryset.in_grid(grid) if grid else queryset.none()

    def filter_village(self, queryset, name, value):
        grid = self.grids.get(value)
        return queryset.in_grid(grid) if grid else queryset.none()


# --- columns ------------------------------------------------------------------------------------------

class QueueColumn(Column):
    """A cell that carries its column's label, shown before the value when rows become cards on phones.

    Cells are built with format_html rather than a template each: a page has 200 of them, and rendering
    a template per cell was most of the page's time (see docs/staff.md)."""

    def __init__(self, *args, render=None, **kwargs):
        self.render = render
        super().__init__(*args, **kwargs)

    def render_cell_html(self, instance, parent_context):
        value = self.render(instance, parent_context) if self.render else self.get_value(instance)
        return format_html('<td class="staff-cell staff-cell--{}"><span class="staff-cell-label" aria-hidden="true">'
                           '{}</span><span class="staff-cell-value">{}</span></td>', self.name, self.label,
                           "" if value is None else value)


def _labels(choices) -> dict[str, str]:
    """{value: label} translated once per page (get_FOO_display builds the choices on every call)."""
    return {value: str(label) for value, label in choices}


class CodeColumn(QueueColumn):
    """The internal number, linked to the complaint's page (Wagtail's title cell, without a template). The
    tracking code is the reporter's key and never shown to staff."""

    def render_cell_html(self, instance, parent_context):
        return format_html('<td class="title"><div class="title-wrapper"><a href="{}">{}</a></div></td>',
                           reverse("triage:detail", args=[instance.pk]), instance.internal_number)


def _state_cell(c: Complaint, context):
    labels = context["table"].labels
    html = format_html('<span class="staff-state staff-state--{}">{}</span>', c.state, labels["state"][c.state])
    if c.is_paused:
        html += format_html(' <span class="staff-tag staff-tag--paused">{}</span>', labels["paused"])
    return html


def deadline_html(c: Complaint, today: datetime.date):
    """The deadline that matters now, with an overdue flag (days late) or a due-soon flag."""
    due = c.due_on
    if due is None:
        return format_html('<span class="staff-muted">{}</span>', _t("已结束") if c.state in FINISHED_STATES else "—")
    text = due.isoformat()
    if c.is_paused:
        return format_html('{} <span class="staff-tag staff-tag--paused">{}</span>', text, _t("暂停计时"))
    if due < today:
        return format_html('<span class="staff-overdue">{} <span class="staff-tag staff-tag--overdue">{}</span></span>',
                           text, _t("超期%(n)d天") % {"n": (today - due).days})
    if due == today:
        return format_html('{} <span class="staff-tag staff-tag--soon">{}</span>', text, _t("今天到期"))
    if due <= today + datetime.timedelta(days=SOON_DAYS):
        return format_html('{} <span class="staff-tag staff-tag--soon">{}</span>', text,
                           _t("%(n)d天后到期") % {"n": (due - today).days})
    return text


def _deadline_cell(c: Complaint, context):
    return deadline_html(c, context["table"].today)


def _what(c: Complaint, context):
    labels = context["table"].labels
    return f"{labels['kind'][c.kind]} · {labels['category'][c.category]}"


def _grid(c: Complaint, context):
    grid = c.grid
    if grid.level == GridLevel.VILLAGE and grid.parent_id:
        return f"{grid.parent.name} {grid.name}"  # the space is where the line may break (keep-all)
    return grid.name


def _producer(c: Complaint, context):
    return c.producer.name if c.producer_id else (c.producer_text or "—")


def _received(c: Complaint, context):
    return timezone.localtime(c.submitted_at).strftime("%Y-%m-%d")


def _assignee(c: Complaint, context):
    if not c.assignee_id:
        return "—"
    return c.assignee.get_full_name() or c.assignee.get_username()


# --- the view -----------------------------------------------------------------------------------------

ORDERINGS = {
    "due_on": lambda qs: qs.by_deadline(),
    "-due_on": lambda qs: qs.order_by(F("due_on").desc(nulls_last=True), "-submitted_at", "-id"),
    "submitted_at": lambda qs: qs.order_by("submitted_at", "id"),
    "-submitted_at": lambda qs: qs.order_by("-submitted_at", "-id"),
}


class TriageIndexView(StaffAccessMixin, BaseListingView):
    """办理队列: filters by state, kind, category, township, village, overdue and "mine"; counts per state;
    export. Scoped by visible_to(user)."""

    template_name = "staff/triage/index.html"
    results_template_name = "staff/triage/index_results.html"
    page_title = _("投诉举报办理")
    header_icon = "warning"
    index_url_name = "triage:index"
    index_results_url_name = "triage:index_results"
    filterset_class = TriageFilterSet
    default_ordering = "due_on"
    is_searchable = True
    paginate_by = 25
    table_classname = "listing staff-queue"
    verbose_name_plural = _("投诉举报")

    @cached_property
    def today(self) -> datetime.date:
        return timezone.localdate()

    @cached_property
    def columns(self):
        return [
            CodeColumn("number", label=_("编号")),
            QueueColumn("state", label=_("状态"), render=_state_cell),
            QueueColumn("due_on", label=_("期限"), render=_deadline_cell, sort_key="due_on"),
            QueueColumn("what", label=_("类型与类别"), render=_what),
            QueueColumn("grid", label=_("办理网格"), render=_grid),
            QueueColumn("producer", label=_("生产主体"), render=_producer),
            QueueColumn("submitted_at", label=_("收到"), render=_received, sort_key="submitted_at"),
            QueueColumn("assignee", label=_("承办人"), render=_assignee),
        ]

    def get_table(self, object_list):
        table = super().get_table(object_list)
        table.today = self.today
        table.labels = {"state": _labels(State.choices), "kind": _labels(Kind.choices),
                        "category": _labels(Category.choices), "paused": _t("送检暂停")}
        return table

    def get_valid_orderings(self):
        return list(ORDERINGS)

    @cached_property
    def visible(self):
        """The user's complaints (their scope is looked up once per page)."""
        return Complaint.objects.visible_to(self.request.user)

    def get_base_queryset(self):
        return self.visible.for_list()

    def order_queryset(self, queryset):
        return ORDERINGS.get(self.ordering, ORDERINGS["due_on"])(queryset)

    def search_queryset(self, queryset):
        return complaint_search(queryset, self.search_query)

    @cached_property
    def counts(self) -> dict[str, int]:
        """Counts per state over the current filters and search (every filter but the state)."""
        queryset = self.visible
        if self.filters and self.filters.is_valid():
            queryset = self.filters.filter_queryset_any_state(queryset)
        return self.search_queryset(queryset).counts_by_state()

    def listed_count(self) -> int | None:
        """How many the list holds, from the counts per state (saves counting the rows a second time)."""
        if not (self.filters and self.filters.is_valid()):
            return None
        chosen = self.filters.form.cleaned_data.get("state") or ""
        states = {"": OPEN_STATES, "all": State.values, "finished": FINISHED_STATES}.get(chosen, [chosen])
        return sum(self.counts[s] for s in states)

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        count = self.listed_count()
        if count is not None:
            paginator.__dict__["count"] = count  # Paginator.count is a cached_property
        return paginator

    def state_chips(self) -> list[dict]:
        counts = self.counts
        chosen = self.request.GET.get("state", "")

        def link(value):
            params = self.request.GET.copy()
            params.pop(self.page_kwarg, None)
            if value:
                params["state"] = value
            else:
                params.pop("state", None)
            return f"{self.index_url}?{params.urlencode()}" if params else self.index_url

        chips = [{"label": _t("未办结"), "count": sum(counts[s] for s in OPEN_STATES), "url": link(""),
                  "active": chosen == "", "state": "open"}]
        labels = _labels(State.choices)
        for state in State:
            chips.append({"label": labels[state.value], "count": counts[state.value], "url": link(state.value),
                          "active": chosen == state.value, "state": state.value})
        chips.append({"label": _t("全部"), "count": sum(counts.values()), "url": link("all"),
                      "active": chosen == "all", "state": "all"})
        return chips

    @cached_property
    def header_buttons(self):
        if self.request.user.has_perm(RECORD_PERMISSION):
            return [HeaderButton(_t("登记来电来访"), url=reverse("triage:record"), icon_name="plus")]
        return []

    def get_header_more_buttons(self):
        buttons = [Button(_t("统计"), url=reverse("triage:dashboard"), icon_name="table", priority=10)]
        if self.request.user.has_perm(EXPORT_PERMISSION):
            params = self.request.GET.copy()
            params.pop(self.page_kwarg, None)
            for priority, (fmt, label) in enumerate((("xlsx", _t("导出 XLSX")), ("csv", _t("导出 CSV"))), start=20):
                params["export"] = fmt
                buttons.append(Button(label, url=f"{self.index_url}?{params.urlencode()}", icon_name="download",
                                      priority=priority))
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["state_chips"] = self.state_chips()
        context["today"] = self.today
        context["no_scope"] = bool(self.filters) and not self.filters.grids
        return context

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            if not request.user.has_perm(EXPORT_PERMISSION):
                raise PermissionDenied
            return self.export(self.get_queryset(), export)
        return super().get(request, *args, **kwargs)

    def export(self, queryset, fmt: str) -> HttpResponse:
        """The queue as filtered, as a spreadsheet: at once, or by the task worker when it is long."""
        count = queryset.count()
        if count > exports.EXPORT_BACKGROUND_ROWS:
            params = self.request.GET.copy()
            params.pop("export", None)
            job = job_start(task=exports.complaint_export_job, kind=exports.EXPORT_KIND, user=self.request.user,
                            title=_t("导出投诉举报（%(n)d 件，%(fmt)s）") % {"n": count, "fmt": fmt.upper()},
                            params={"query": params.urlencode(), "fmt": fmt})
            return redirect(job.get_absolute_url())
        name, content, _count = exports.complaints_file(queryset=queryset, user=self.request.user, fmt=fmt, on=self.today)
        response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def queue_queryset(*, user, query: str):
    """The complaints of the triage queue as `user` sees them with the filters, search and ordering of a
    query string: what an export made later by the task worker contains."""
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict(query)
    request.user = user
    view = TriageIndexView()
    view.setup(request)
    return view.get_queryset()
