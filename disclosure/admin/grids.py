"""Back office: grids, people and their roles, the personnel roster. Viewsets registered on import.

- 网格: the tree (city → townships → villages) as an indented listing with links to each grid's children
  and people, edited as a snippet with revisions; a boundary may be uploaded as a GeoJSON file.
- 网格人员: people with their current roles, snippets with revisions.
- 任职记录: who held which role on which grid when. New assignments, replacing a holder (更换人员) and
  ending one (离任) go through the services role_assign / role_end, so the history is always kept.
- 导入人员名单: upload the roster (XLSX/CSV in the plan's layout) → preview every row → apply all or none.

Users who are not superusers see the grids their current roles cover (grids_for_user), and the people
and assignments of those grids.
"""

import json

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.admin_menu import PermissionMenuItem
from portal.spreadsheets import upload_discard, upload_stash, upload_unstash

from ..geo import boundary_error
from ..models import Grid, GridLevel, Person, Role, RoleAssignment
from ..models.grids import DEFAULT_DUTIES
from ..services.grids import grids_for_user, role_assign, role_end
from ..services.roster import (
    XLSX_TYPE,
    RosterFileError,
    roster_csv,
    roster_import,
    roster_parse,
    roster_rows,
    roster_template_hint,
    roster_xlsx,
)
from ..services.signboards import hotline_number

PERM_IMPORT = "disclosure.import_roster"
INDENT = "\u3000"  # an ideographic space: HTML does not collapse it


def _scoped_grids(user):
    return Grid.objects.all() if user.is_superuser else grids_for_user(user)


def _current_prefetch():
    return models.Prefetch("assignments", to_attr="current_list",
                           queryset=RoleAssignment.objects.current().select_related("person").order_by("role", "start_date"))


def _holders_text(assignments) -> str:
    return "；".join(f"{a.get_role_display()} {a.person.name}" for a in assignments) or "—"


class ScopedObjectMixin:
    """Object views answer 404 for objects outside the user's grids, as if they did not exist."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not self.scoped_queryset(self.request.user).filter(pk=obj.pk).exists():
            raise Http404
        return obj


# --- grids ------------------------------------------------------------------------------------------

def _tree_label(grid: Grid) -> str:
    depth = {GridLevel.CITY: 0, GridLevel.TOWNSHIP: 1, GridLevel.VILLAGE: 2}.get(grid.level, 0)
    return INDENT * (2 * depth) + ("└ " if depth else "") + grid.name


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
    label = _("%(n)d 个乡镇") if grid.level == GridLevel.CITY else _("%(n)d 个村")
    return format_html('<a href="{}">{}</a>', url, label % {"n": grid.child_count})


def _assignments_url(**params) -> str:
    from urllib.parse import urlencode

    return reverse("grid_assignments:index") + "?" + urlencode(params)


class GridScope:
    @staticmethod
    def scoped_queryset(user):
        return _scoped_grids(user)


class GridEditView(GridScope, ScopedObjectMixin, snippet_views.EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(Button(_("人员与任职记录"), url=_assignments_url(grid=self.object.pk), icon_name="user",
                              priority=30))
        buttons.append(Button(_("公开页面"), url=self.object.get_absolute_url(), icon_name="link-external",
                              priority=31))
        return buttons


class GridDeleteView(GridScope, ScopedObjectMixin, snippet_views.DeleteView):
    pass


class GridInspectView(GridScope, ScopedObjectMixin, snippet_views.InspectView):
    pass


class GridHistoryView(GridScope, ScopedObjectMixin, snippet_views.HistoryView):
    pass


class GridViewSet(SnippetViewSet):
    model = Grid
    icon = "site"
    menu_label = gettext_lazy("网格")
    add_to_admin_menu = False
    index_view_class = GridIndexView
    edit_view_class = GridEditView
    delete_view_class = GridDeleteView
    inspect_view_class = GridInspectView
    history_view_class = GridHistoryView
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


# --- people -----------------------------------------------------------------------------------------

def _visible_people(user):
    if user.is_superuser:
        return Person.objects.all()
    grids = _scoped_grids(user)
    return Person.objects.filter(models.Q(assignments__grid__in=grids) | models.Q(assignments__isnull=True)).distinct()


class PersonScope:
    @staticmethod
    def scoped_queryset(user):
        return _visible_people(user)


class PersonFilterSet(WagtailFilterSet):
    role = django_filters.ChoiceFilter(label=gettext_lazy("现任岗位"), choices=Role.choices, method="filter_role")
    township = django_filters.ModelChoiceFilter(
        label=gettext_lazy("乡镇"), method="filter_township",
        queryset=lambda request: _scoped_grids(request.user).townships().in_order())
    holding = django_filters.ChoiceFilter(
        label=gettext_lazy("任职情况"), method="filter_holding", empty_label=gettext_lazy("全部人员"),
        choices=[("yes", gettext_lazy("现任")), ("no", gettext_lazy("目前无岗位"))])

    class Meta:
        model = Person
        fields = ["role", "township", "holding", "phone_public"]

    def _current_ids(self, **filters):
        return RoleAssignment.objects.current().filter(**filters).values("person_id")

    def filter_role(self, queryset, name, value):
        return queryset.filter(pk__in=self._current_ids(role=value))

    def filter_township(self, queryset, name, value):
        return queryset.filter(pk__in=RoleAssignment.objects.current().filter(
            models.Q(grid=value) | models.Q(grid__parent=value)).values("person_id"))

    def filter_holding(self, queryset, name, value):
        ids = self._current_ids()
        return queryset.filter(pk__in=ids) if value == "yes" else queryset.exclude(pk__in=ids)


class PersonIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        current = models.Prefetch(
            "assignments", to_attr="current_list",
            queryset=RoleAssignment.objects.current().select_related("grid", "grid__parent").order_by("start_date"))
        return _visible_people(self.request.user).select_related("user").prefetch_related(current)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(Button(_("任职记录"), url=_assignments_url(person=instance.pk, status="all"), icon_name="history",
                              priority=30))
        return buttons


def _person_roles(person) -> str:
    return "；".join(f"{a.grid.full_name} {a.get_role_display()}" for a in person.current_list) or "—"


class PersonEditView(PersonScope, ScopedObjectMixin, snippet_views.EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(Button(_("任职记录"), url=_assignments_url(person=self.object.pk, status="all"),
                              icon_name="history", priority=30))
        return buttons


class PersonDeleteView(PersonScope, ScopedObjectMixin, snippet_views.DeleteView):
    pass


class PersonInspectView(PersonScope, ScopedObjectMixin, snippet_views.InspectView):
    pass


class PersonHistoryView(PersonScope, ScopedObjectMixin, snippet_views.HistoryView):
    pass


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = gettext_lazy("网格人员")
    add_to_admin_menu = False
    index_view_class = PersonIndexView
    edit_view_class = PersonEditView
    delete_view_class = PersonDeleteView
    inspect_view_class = PersonInspectView
    history_view_class = PersonHistoryView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = PersonFilterSet
    search_fields = ["name", "phone", "phone_alt", "organisation", "position"]
    search_backend_name = None  # substring search, so that Chinese names match by any part
    list_per_page = 50
    ordering = ["name", "id"]
    list_display = [
        "name",
        Column("position", label=gettext_lazy("职务")),
        Column("roles", label=gettext_lazy("现任岗位"), accessor=_person_roles),
        Column("phone", label=gettext_lazy("联系电话")),
        Column("phone_public", label=gettext_lazy("公开电话"), accessor=lambda p: _("是") if p.phone_public else _("否")),
        Column("user", label=gettext_lazy("后台账号"), accessor=lambda p: p.user.get_username() if p.user_id else "—"),
    ]
    list_export = ["name", "position", "organisation", "phone", "phone_alt", "phone_public", "note"]
    export_filename = "grid-people"
    inspect_view_fields = ["name", "position", "organisation", "phone", "phone_alt", "phone_public", "photo",
                           "user", "note", "updated_at"]
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("name"), FieldPanel("position")]),
        FieldPanel("organisation"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("phone_alt")]),
        FieldPanel("phone_public"),
        FieldPanel("photo"),
        # The account link decides which grids a staff user sees and acts on: the city's, who also keeps
        # the roster. A township supervisor editing a coordinator's phone must not be able to hand an
        # account (their own or another) someone else's grids.
        FieldPanel("user", permission=PERM_IMPORT),
        FieldPanel("note"),
    ])


# --- role assignments ---------------------------------------------------------------------------------

def _visible_assignments(user):
    queryset = RoleAssignment.objects.all()
    if not user.is_superuser:
        queryset = queryset.filter(grid__in=_scoped_grids(user))
    return queryset


class AssignmentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("状态"), method="filter_status", empty_label=gettext_lazy("现任"),
        choices=[("all", gettext_lazy("全部（含历史）")), ("ended", gettext_lazy("已离任"))])
    township = django_filters.ModelChoiceFilter(
        label=gettext_lazy("乡镇"), method="filter_township",
        queryset=lambda request: _scoped_grids(request.user).townships().in_order())
    grid = django_filters.ModelChoiceFilter(
        label=gettext_lazy("网格"), queryset=lambda request: _scoped_grids(request.user).in_tree_order())
    role = django_filters.ChoiceFilter(label=gettext_lazy("岗位"), choices=Role.choices)
    person = django_filters.ModelChoiceFilter(
        label=gettext_lazy("人员"), queryset=lambda request: _visible_people(request.user))

    class Meta:
        model = RoleAssignment
        fields = ["status", "township", "grid", "role", "person"]

    def filter_queryset(self, queryset):
        # With no status chosen the listing shows who holds the roles today.
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.current()
        return super().filter_queryset(queryset)

    def filter_status(self, queryset, name, value):
        if value == "ended":
            return queryset.ended()
        return queryset

    def filter_township(self, queryset, name, value):
        return queryset.filter(models.Q(grid=value) | models.Q(grid__parent=value))


class AssignmentForm(WagtailAdminModelForm):
    """A new assignment, saved through role_assign: optionally replacing the current holders."""

    replace = forms.BooleanField(
        label=gettext_lazy("更换现任人员"), required=False, initial=True,
        help_text=gettext_lazy("勾选后，该网格该岗位的现任人员于任职日期离任（保留在任职记录中）；"
                               "不勾选则新增一人共同担任。"))

    class Meta:
        model = RoleAssignment
        fields = ["grid", "role", "person", "start_date", "note"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        grids = Grid.objects.select_related("parent").in_tree_order()
        people = Person.objects.all()
        if user is not None and not user.is_superuser:
            grids = grids.filter(pk__in=_scoped_grids(user))
            people = _visible_people(user)
        self.fields["grid"].queryset = grids
        self.fields["grid"].label_from_instance = _tree_label
        self.fields["person"].queryset = people


class AssignmentEditForm(WagtailAdminModelForm):
    """Correcting an assignment's dates or note (a change of holder is 更换人员, not an edit)."""

    class Meta:
        model = RoleAssignment
        fields = ["start_date", "end_date", "note"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class AssignmentIndexView(ModelViewSet.index_view_class):
    default_ordering = None

    def get_base_queryset(self):
        return (_visible_assignments(self.request.user).select_related("grid", "grid__parent", "person")
                .annotate(tree_t=models.Case(
                    models.When(grid__level=GridLevel.CITY, then=models.Value(-1)),
                    models.When(grid__level=GridLevel.TOWNSHIP, then=models.F("grid__sort_order")),
                    default=models.F("grid__parent__sort_order"), output_field=models.IntegerField()),
                    tree_v=models.Case(models.When(grid__level=GridLevel.VILLAGE, then=models.F("grid__sort_order")),
                                       default=models.Value(-1), output_field=models.IntegerField()))
                .order_by("tree_t", "tree_v", "grid__code", "role", "-start_date", "-id"))

    def order_queryset(self, queryset):
        return queryset

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        column_class = self._get_title_column_class(column_class)
        return column_class("grid", label=_("网格"), accessor=lambda a: a.grid.full_name,
                            get_url=lambda a: self.get_edit_url(a), **kwargs)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.is_current and self.request.user.has_perm("disclosure.add_roleassignment"):
            buttons.append(Button(_("更换人员"), url=reverse("grid_assignments:replace", args=[instance.pk]),
                                  icon_name="resubmit", priority=5))
        if instance.is_current and self.request.user.has_perm("disclosure.change_roleassignment"):
            buttons.append(Button(_("离任"), url=reverse("grid_assignments:end", args=[instance.pk]),
                                  icon_name="logout", priority=6))
        return buttons


class AssignmentCreateView(ModelViewSet.add_view_class):
    def save_instance(self):
        data = self.form.cleaned_data
        return role_assign(person=data["person"], grid=data["grid"], role=data["role"],
                           start_date=data["start_date"], replace=data.get("replace", False),
                           note=data.get("note", ""), by=self.request.user)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)


class AssignmentEditView(ModelViewSet.edit_view_class):
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not _visible_assignments(self.request.user).filter(pk=obj.pk).exists():
            raise Http404
        return obj

    def save_instance(self):
        instance = super().save_instance()
        Grid.objects.filter(pk=instance.grid_id).update(updated_at=timezone.now())  # public pages change
        return instance


class AssignmentDeleteView(ModelViewSet.delete_view_class):
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not _visible_assignments(self.request.user).filter(pk=obj.pk).exists():
            raise Http404
        return obj

    def delete_action(self):
        grid_id = self.object.grid_id
        super().delete_action()
        Grid.objects.filter(pk=grid_id).update(updated_at=timezone.now())


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class AdminPage(View):
    """A plain back-office page in Wagtail's frame."""

    template_name = ""
    title = ""
    icon = "user"

    def page(self, request, context: dict, status: int = 200):
        return TemplateResponse(request, self.template_name, {
            "page_title": self.title, "header_icon": self.icon, **context}, status=status)


class ReplaceForm(forms.Form):
    """更换人员: an existing person, or a new one typed in here."""

    person = forms.ModelChoiceField(label=gettext_lazy("接任人员（已登记）"), queryset=Person.objects.none(),
                                    required=False)
    name = forms.CharField(label=gettext_lazy("或新登记人员：姓名"), max_length=50, required=False)
    position = forms.CharField(label=gettext_lazy("职务"), max_length=80, required=False)
    organisation = forms.CharField(label=gettext_lazy("单位"), max_length=100, required=False)
    phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=30, required=False,
                            help_text=gettext_lazy("手机号或带区号的固定电话，如 0994-2345678。"))
    start_date = forms.DateField(label=gettext_lazy("接任日期"), initial=timezone.localdate,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text=gettext_lazy("原任人员在这一天离任，公开页面当天起显示接任人员。"))
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False,
                           help_text=gettext_lazy("例如：原协管员工作调动。"))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.all()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("person") and cleaned.get("name"):
            raise ValidationError(_("请选择已登记的人员，或填写新人员的姓名，二者只填一项。"))
        if not cleaned.get("person") and not cleaned.get("name"):
            raise ValidationError(_("请选择接任人员，或填写新人员的姓名和联系电话。"))
        if cleaned.get("name") and not cleaned.get("phone"):
            self.add_error("phone", _("新登记人员必须填写联系电话。"))
        return cleaned


class ReplaceView(AdminPage):
    """更换人员: the successor takes the role from a date; the predecessor stays in the history."""

    template_name = "disclosure/grids/admin_replace.html"
    title = gettext_lazy("更换人员")
    icon = "resubmit"

    def dispatch(self, request, pk):
        if not request.user.has_perm("disclosure.add_roleassignment"):
            raise PermissionDenied
        self.assignment = get_object_or_404(
            _visible_assignments(request.user).select_related("grid", "grid__parent", "person"), pk=pk)
        return super().dispatch(request, pk)

    def context(self, form):
        history = (RoleAssignment.objects.filter(grid=self.assignment.grid, role=self.assignment.role)
                   .select_related("person").history())
        return {"assignment": self.assignment, "form": form, "history": history}

    def get(self, request, pk):
        return self.page(request, self.context(ReplaceForm(people=_visible_people(request.user))))

    def post(self, request, pk):
        form = ReplaceForm(request.POST, people=_visible_people(request.user))
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    person = data["person"]
                    if person is None:
                        person = Person(name=data["name"], position=data["position"],
                                        organisation=data["organisation"], phone=data["phone"])
                        person.full_clean()
                        person.save()
                        person.save_revision(user=request.user, log_action="wagtail.create")
                    role_assign(person=person, grid=self.assignment.grid, role=self.assignment.role,
                                start_date=data["start_date"], replace=True, note=data["note"], by=request.user)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("%(grid)s的%(role)s已由%(old)s更换为%(new)s，原任记录已保留。") % {
                    "grid": self.assignment.grid.full_name, "role": self.assignment.get_role_display(),
                    "old": self.assignment.person.name, "new": person.name})
                return redirect(_assignments_url(grid=self.assignment.grid_id, status="all"))
        return self.page(request, self.context(form), status=400)


class EndForm(forms.Form):
    end_date = forms.DateField(label=gettext_lazy("离任日期"), initial=timezone.localdate,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class EndView(AdminPage):
    """离任: the holder leaves without a successor named yet; the public page shows the hotline instead."""

    template_name = "disclosure/grids/admin_end.html"
    title = gettext_lazy("离任")
    icon = "logout"

    def dispatch(self, request, pk):
        if not request.user.has_perm("disclosure.change_roleassignment"):
            raise PermissionDenied
        self.assignment = get_object_or_404(
            _visible_assignments(request.user).select_related("grid", "grid__parent", "person"), pk=pk)
        return super().dispatch(request, pk)

    def get(self, request, pk):
        return self.page(request, {"assignment": self.assignment, "form": EndForm()})

    def post(self, request, pk):
        form = EndForm(request.POST)
        if form.is_valid():
            try:
                role_end(assignment=self.assignment, end_date=form.cleaned_data["end_date"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("%(name)s已于%(date)s离任%(role)s。") % {
                    "name": self.assignment.person.name, "date": form.cleaned_data["end_date"].isoformat(),
                    "role": self.assignment.get_role_display()})
                return redirect(_assignments_url(grid=self.assignment.grid_id, status="all"))
        return self.page(request, {"assignment": self.assignment, "form": form}, status=400)


def _status(a) -> str:
    return _("在任") if a.is_current else _("已离任")


class AssignmentViewSet(ModelViewSet):
    model = RoleAssignment
    name = "grid_assignments"
    url_prefix = "grid-assignments"
    icon = "history"
    menu_label = gettext_lazy("任职记录")
    add_to_admin_menu = False
    index_view_class = AssignmentIndexView
    add_view_class = AssignmentCreateView
    edit_view_class = AssignmentEditView
    delete_view_class = AssignmentDeleteView
    filterset_class = AssignmentFilterSet
    list_per_page = 100
    list_display = [
        "grid",
        Column("role", label=gettext_lazy("岗位"), accessor="get_role_display"),
        Column("person", label=gettext_lazy("人员"), accessor=lambda a: a.person.name),
        Column("start_date", label=gettext_lazy("任职日期"), accessor=lambda a: a.start_date.isoformat()),
        Column("end_date", label=gettext_lazy("离任日期"),
               accessor=lambda a: a.end_date.isoformat() if a.end_date else "—"),
        Column("status", label=gettext_lazy("状态"), accessor=_status),
        Column("note", label=gettext_lazy("备注")),
    ]
    list_export = ["grid", "role", "person", "start_date", "end_date", "note"]
    export_filename = "role-assignments"

    def get_form_class(self, for_update=False):
        return AssignmentEditForm if for_update else AssignmentForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("replace/<int:pk>/", ReplaceView.as_view(), name="replace"),
            path("end/<int:pk>/", EndView.as_view(), name="end"),
        ]


# --- the roster import ----------------------------------------------------------------------------------

IMPORT_DIR = "roster-imports"
IMPORT_SALT = "disclosure.roster-import"


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("人员名单文件（.xlsx 或 .csv）"))
    start_date = forms.DateField(label=gettext_lazy("变更生效日期"), initial=timezone.localdate,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text=gettext_lazy("文件中更换的人员自这一天起任职，原任人员这一天离任。"))


class RosterImportView(AdminPage):
    """Upload → a preview of every row with its changes and errors → confirm → all rows saved, or none."""

    template_name = "disclosure/grids/admin_import.html"
    title = gettext_lazy("导入人员名单")
    icon = "upload"

    def dispatch(self, request):
        if not request.user.has_perm(PERM_IMPORT):
            raise PermissionDenied
        return super().dispatch(request)

    def get(self, request):
        fmt = request.GET.get("export")
        if fmt in ("csv", "xlsx"):
            # Staff export: every phone as on file (the public roster shows the hotline for unpublished ones).
            rows = roster_rows(public=False)
            stamp = timezone.localdate().strftime("%Y%m%d")
            if fmt == "csv":
                response = HttpResponse(roster_csv(rows), content_type="text/csv; charset=utf-8")
            else:
                response = HttpResponse(roster_xlsx(rows), content_type=XLSX_TYPE)
            response["Content-Disposition"] = f'attachment; filename="personnel-staff-{stamp}.{fmt}"'
            return response
        return self.page(request, {"form": RosterUploadForm(), "hint": roster_template_hint()})

    def post(self, request):
        if "token" in request.POST:
            return self.confirm(request)
        form = RosterUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, {"form": form, "hint": roster_template_hint()}, status=400)
        upload, start_date = form.cleaned_data["file"], form.cleaned_data["start_date"]
        content = upload.read()
        try:
            preview = roster_parse(content=content, filename=upload.name, start_date=start_date,
                                   hotline=hotline_number())
        except RosterFileError as exc:
            form.add_error("file", str(exc))
            return self.page(request, {"form": form, "hint": roster_template_hint()}, status=400)
        token = None
        if preview.ok:
            token = upload_stash(content=content, filename=upload.name, folder=IMPORT_DIR, salt=IMPORT_SALT,
                                 user=request.user, extra={"d": start_date.isoformat()})
        return self.page(request, {"form": RosterUploadForm(initial={"start_date": start_date}),
                                   "hint": roster_template_hint(), "preview": preview, "token": token,
                                   "filename": upload.name}, status=200 if preview.ok else 400)

    def confirm(self, request):
        import datetime

        stashed = upload_unstash(token=request.POST["token"], folder=IMPORT_DIR, salt=IMPORT_SALT, user=request.user)
        if stashed is None:
            messages.error(request, _("导入确认已过期或无效，请重新上传文件。"))
            return redirect("grid_roster:import")
        content, data = stashed
        # Check again: people and roles may have changed since the preview.
        preview = roster_parse(content=content, filename=data["f"], start_date=datetime.date.fromisoformat(data["d"]),
                               hotline=hotline_number())
        try:
            counts = roster_import(preview=preview, by=request.user)
        except ValidationError:
            return self.page(request, {"form": RosterUploadForm(), "hint": roster_template_hint(),
                                       "preview": preview, "token": None, "filename": data.get("n", "")},
                             status=400)
        upload_discard(data=data, folder=IMPORT_DIR)
        messages.success(request, _("人员名单已导入：更换 %(replaced)d 人，新增 %(added)d 人，离任 %(ended)d 人，"
                                    "更新信息 %(updated)d 人，备注 %(notes)d 条。") % counts)
        return redirect(_assignments_url(status="all"))


class RosterToolsViewSet(ViewSet):
    name = "grid_roster"
    url_prefix = "grid-roster"
    icon = "upload"
    menu_label = gettext_lazy("导入人员名单")

    def get_urlpatterns(self):
        return [path("import/", RosterImportView.as_view(), name="import")]

    def get_menu_item(self, order=None):
        return PermissionMenuItem(PERM_IMPORT, self.menu_label, reverse("grid_roster:import"), icon_name="upload",
                                  order=order or 400, name="grid-roster-import")


class PublicRosterLink(ViewSet):
    """A menu entry that opens the public roster (/personnel/) in the site."""

    name = "grid-public-roster"
    menu_label = gettext_lazy("人员名单（公开页）")
    icon = "link-external"

    def get_urlpatterns(self):
        return []

    def get_menu_item(self, order=None):
        return PermissionMenuItem("disclosure.view_grid", self.menu_label, "/personnel/", icon_name=self.icon,
                                  order=order or 500, name=self.name)


class GridGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("网格与人员")
    menu_icon = "site"
    menu_order = 200
    items = (GridViewSet, PersonViewSet, AssignmentViewSet, RosterToolsViewSet, PublicRosterLink)


register_snippet(GridGroup)
