"""Back office for grids: helpers the grid, people, assignment and roster screens share."""

from django.db import models
from django.urls import reverse

from portal.admin_views import AdminPage as BaseAdminPage

from ...models import Grid, RoleAssignment
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
    depth = max(0, grid.path.count("/") - 1)  # 0 for the top of the tree
    return INDENT * (2 * depth) + ("└ " if depth else "") + grid.name


def _assignments_url(**params) -> str:
    from urllib.parse import urlencode

    return reverse("grid_assignments:index") + "?" + urlencode(params)




class AdminPage(BaseAdminPage):
    icon = "user"
