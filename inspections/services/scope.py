"""Who may record what for which producer.

Township staff (supervisors and station testers) inspect, sample and test the producers of their own
township; a county's staff cover every township of their county. Village coordinators may record a hazard or an assisting visit
for producers of their own village, which township staff confirm before it counts (附件1, the plan 四(三)3).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from disclosure.models import ABOVE_COUNTY, Grid, GridLevel, Role
from portal.auth import group_permissions_grant

TOWNSHIP = "township"
COORDINATOR = "coordinator"

ALL_PERMISSIONS = (
    "view_inspection", "add_inspection", "change_inspection", "confirm_inspection",
    "view_inspectionplan", "manage_plan", "view_sample", "add_sample", "view_rapidtest", "add_rapidtest",
    "view_labtest", "add_labtest",
)
GROUP_PERMISSIONS = {
    "city_supervisor": ALL_PERMISSIONS + ("change_inspectionrules",),
    "township_supervisor": ALL_PERMISSIONS,
    "village_coordinator": ("view_inspection", "add_inspection"),
    "overseer": tuple(p for p in ALL_PERMISSIONS if p.startswith("view_")),
}


class InspectionPermissionDenied(PermissionDenied):
    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)

    def __str__(self):
        return self.message


def inspection_permissions_grant() -> None:
    """Add the inspection permissions to the staff groups that exist (additive; never removes any)."""
    group_permissions_grant("inspections", GROUP_PERMISSIONS)


def _current_roles(user):
    if not hasattr(user, "_inspection_roles"):
        person = getattr(user, "grid_person", None)
        user._inspection_roles = [] if person is None else [
            (a.role, a.grid_id, a.grid.level, a.grid.path) for a in person.assignments.current().select_related("grid")]
    return user._inspection_roles


def scope_for(user, producer) -> str | None:
    """TOWNSHIP when the user may inspect this producer fully, COORDINATOR when they may record a hazard
    for it (their village), None otherwise."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return TOWNSHIP
    township_id = producer.village.parent_id
    for role, grid_id, level, path in _current_roles(user):
        if level == GridLevel.CITY and producer.village.path.startswith(path):
            return TOWNSHIP
        if level == GridLevel.TOWNSHIP and grid_id == township_id and role in (Role.SUPERVISOR, Role.TESTER):
            return TOWNSHIP
    for role, grid_id, _level, _path in _current_roles(user):
        if role == Role.COORDINATOR and grid_id == producer.village_id:
            return COORDINATOR
    return None


def township_ids_for(user) -> list[int] | None:
    """The townships whose plans and coverage the user keeps (a county's roles: all its townships; a
    prefecture's or the region's: those of every county below, to read); None means all of them
    (superusers, and roles on the top of the tree)."""
    if user.is_superuser:
        return None
    ids, above = [], []
    for role, grid_id, level, path in _current_roles(user):
        if level in (GridLevel.CITY, *ABOVE_COUNTY):
            if path.count("/") == 1:  # the top of the tree
                return None
            above.append(path)
        if level == GridLevel.TOWNSHIP and role in (Role.SUPERVISOR, Role.TESTER):
            ids.append(grid_id)
    if above:
        ids += Grid.objects.under_paths(above).townships().values_list("pk", flat=True)
    return list(dict.fromkeys(ids))


def require_scope(user, producer, *, township_only: bool = False) -> str:
    scope = scope_for(user, producer)
    if scope is None:
        raise InspectionPermissionDenied(
            _("%(producer)s属于%(place)s，不在您负责的网格范围内。")
            % {"producer": producer.name, "place": producer.village.full_name})
    if township_only and scope != TOWNSHIP:
        raise InspectionPermissionDenied(_("这项工作由乡镇监管员或检测员办理；协管员可以记录本村的隐患排查。"))
    return scope
