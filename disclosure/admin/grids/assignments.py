"""Back office: role assignments (任职记录), with the 更换人员 and 离任 screens."""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from portal.forms import form_errors_add

from ...models import Grid, GridLevel, Person, Role, RoleAssignment
from ...services.grids import role_assign, role_end
from ...services.handover import (
    TO_QUEUE,
    TO_SUCCESSOR,
    linkable_accounts,
    may_set_up_accounts,
    open_work,
    role_replace,
)
from ..scoping import ScopedViewSetMixin
from .common import AdminPage, _assignments_url, _scoped_grids, _tree_label
from .people import _visible_people


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
        if self.request.user.has_perm("disclosure.print_badges"):
            buttons.append(Button(_("工作证"), url=reverse("badges:print", args=[instance.pk]),
                                  icon_name="doc-full", priority=7))
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
            form_errors_add(form, exc)
            return self.form_invalid(form)


class AssignmentEditView(ModelViewSet.edit_view_class):
    def save_instance(self):
        instance = super().save_instance()
        Grid.objects.filter(pk=instance.grid_id).update(updated_at=timezone.now())  # public pages change
        return instance


class AssignmentDeleteView(ModelViewSet.delete_view_class):
    def delete_action(self):
        grid_id = self.object.grid_id
        super().delete_action()
        Grid.objects.filter(pk=grid_id).update(updated_at=timezone.now())


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

    hand_over = forms.ChoiceField(
        label=gettext_lazy("原任人员手中的工作"), initial=TO_SUCCESSOR, widget=forms.RadioSelect,
        choices=[(TO_SUCCESSOR, gettext_lazy("移交给接任人员（需有后台账号，且接任日期不晚于今天）")),
                 (TO_QUEUE, gettext_lazy("退回本网格待分派"))])
    link_user = forms.ModelChoiceField(label=gettext_lazy("接任人员的后台账号：关联已有账号"),
                                       queryset=None, required=False)
    new_username = forms.CharField(label=gettext_lazy("或开通新账号：用户名"), max_length=150, required=False,
                                   help_text=gettext_lazy("字母、数字或 @.+-_，如 xiehuan_changfeng。初始密码保存后显示一次。"))
    new_email = forms.EmailField(label=gettext_lazy("新账号的电子邮箱（用于提醒和找回密码）"), required=False)

    def __init__(self, *args, people=None, open_work=(), accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.all()
        if not open_work:
            del self.fields["hand_over"]
        if accounts is None:  # the replacer may not open accounts here: the city does
            for name in ("link_user", "new_username", "new_email"):
                del self.fields[name]
        else:
            self.fields["link_user"].queryset = accounts
            self.fields["link_user"].label_from_instance = lambda u: u.get_username()

    def clean_new_username(self):
        value = self.cleaned_data.get("new_username", "").strip()
        if value:
            UnicodeUsernameValidator()(value)
        return value

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
        return {"assignment": self.assignment, "form": form, "history": history, "open_work": self.open_work}

    def form(self, request, data=None):
        self.open_work = open_work(assignment=self.assignment)
        accounts = (linkable_accounts(self.assignment.grid.level)
                    if may_set_up_accounts(request.user, self.assignment) else None)
        return ReplaceForm(data, people=_visible_people(request.user), open_work=self.open_work, accounts=accounts)

    def get(self, request, pk):
        return self.page(request, self.context(self.form(request)))

    def post(self, request, pk):
        form = self.form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            new_person = None if data["person"] else {
                "name": data["name"], "position": data["position"], "organisation": data["organisation"],
                "phone": data["phone"]}
            try:
                done = role_replace(assignment=self.assignment, successor=data["person"], new_person=new_person,
                                    start_date=data["start_date"], note=data["note"], by=request.user,
                                    hand_over=data.get("hand_over") or TO_SUCCESSOR,
                                    link_user=data.get("link_user"), new_username=data.get("new_username", ""),
                                    new_email=data.get("new_email", ""))
            except ValidationError as exc:
                form_errors_add(form, exc)
            else:
                messages.success(request, _("%(grid)s的%(role)s已由%(old)s更换为%(new)s，原任记录已保留。") % {
                    "grid": self.assignment.grid.full_name, "role": self.assignment.get_role_display(),
                    "old": self.assignment.person.name, "new": done.assignment.person.name})
                for label, n in done.moved.items():
                    messages.info(request, _("%(what)s %(n)d 件已%(where)s。") % {
                        "what": label, "n": n,
                        "where": _("移交给接任人员") if done.to_successor else _("退回待分派")})
                if done.initial_password:
                    messages.warning(request, _("已开通账号 %(user)s，初始密码：%(password)s 。请当面交给接任人员，"
                                                "首次登录后在账号设置中修改。此密码不会再次显示。") % {
                        "user": done.username, "password": done.initial_password})
                elif done.username:
                    messages.info(request, _("已关联账号 %(user)s。") % {"user": done.username})
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
                form_errors_add(form, exc)
            else:
                messages.success(request, _("%(name)s已于%(date)s离任%(role)s。") % {
                    "name": self.assignment.person.name, "date": form.cleaned_data["end_date"].isoformat(),
                    "role": self.assignment.get_role_display()})
                return redirect(_assignments_url(grid=self.assignment.grid_id, status="all"))
        return self.page(request, {"assignment": self.assignment, "form": form}, status=400)


def _status(a) -> str:
    return _("在任") if a.is_current else _("已离任")


class AssignmentViewSet(ScopedViewSetMixin, ModelViewSet):
    """任职记录: every view of an assignment (edit, delete, history, usage, copy …) sees only the user's grids."""

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

    def scoped_queryset(self, user):
        return _visible_assignments(user)

    def get_form_class(self, for_update=False):
        return AssignmentEditForm if for_update else AssignmentForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("replace/<int:pk>/", ReplaceView.as_view(), name="replace"),
            path("end/<int:pk>/", EndView.as_view(), name="end"),
        ]
