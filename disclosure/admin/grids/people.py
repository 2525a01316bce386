"""Back office: grid people (网格人员) as a snippet viewset, scoped to the user's grids."""

import django_filters
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from ...models import Person, Role, RoleAssignment
from ..scoping import ScopedViewSetMixin
from .common import PERM_IMPORT, _assignments_url, _scoped_grids


def _visible_people(user):
    return Person.objects.visible_to(user)


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


class PersonEditView(snippet_views.EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(Button(_("任职记录"), url=_assignments_url(person=self.object.pk, status="all"),
                              icon_name="history", priority=30))
        if self.request.user.has_perm("disclosure.print_badges"):
            # A badge per current role: the person's printed card for it, its reissue and revocation.
            for assignment in self.object.current_assignments():
                buttons.append(Button(_("打印工作证（%(grid)s%(role)s）") % {
                    "grid": assignment.grid.full_name, "role": assignment.get_role_display()},
                    url=reverse("badges:print", args=[assignment.pk]), icon_name="doc-full", priority=40))
        return buttons


class PersonViewSet(ScopedViewSetMixin, SnippetViewSet):
    """网格人员: every view of a person, and the person chooser, see only the people of the user's grids."""

    model = Person
    icon = "user"
    menu_label = gettext_lazy("网格人员")
    add_to_admin_menu = False
    index_view_class = PersonIndexView
    edit_view_class = PersonEditView
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
        FieldPanel("position_en"),
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

    def scoped_queryset(self, user):
        return _visible_people(user)
