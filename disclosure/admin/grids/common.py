"""Back office for grids: helpers the grid, people, assignment and roster screens share."""

from django.core.exceptions import ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View

from ...models import Grid, GridLevel, RoleAssignment
from ...services.grids import grids_for_user

PERM_IMPORT = "disclosure.import_roster"
INDENT = "\u3000"  # an ideographic space: HTML does not collapse it


def _scoped_grids(user):
    return Grid.objects.all() if user.is_superuser else grids_for_user(user)


def _current_prefetch():
    return models.Prefetch("assignments", to_attr="current_list",
                           queryset=RoleAssignment.objects.current().select_related("person").order_by("role", "start_date"))


def _holders_text(assignments) -> str:
    return "；".join(f"{a.get_role_display()} {a.person.name}" for a in assignments) or "—"


def _tree_label(grid: Grid) -> str:
    depth = {GridLevel.CITY: 0, GridLevel.TOWNSHIP: 1, GridLevel.VILLAGE: 2}.get(grid.level, 0)
    return INDENT * (2 * depth) + ("└ " if depth else "") + grid.name


def _assignments_url(**params) -> str:
    from urllib.parse import urlencode

    return reverse("grid_assignments:index") + "?" + urlencode(params)


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
