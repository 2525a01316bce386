"""Who sees and does what in running the grid: township staff their own township, a county's staff (市级网格)
every township of the county.

Scope comes from the roles a user's linked person holds today (inspections.services.scope.township_ids_for);
the staff group says what they may do (gridwork_permissions_grant).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from disclosure.models import Grid, GridLevel
from inspections.services.scope import township_ids_for
from portal.auth import group_permissions_grant

VIEW = ("view_stationquota", "view_trainingsession", "view_attendance", "view_townshipcheck", "view_summons",
        "view_meeting", "view_meetingaction", "view_monthlyreport", "view_assessmentscheme",
        "view_townshipscore")
MEETINGS = ("add_meeting", "change_meeting", "add_meetingaction", "change_meetingaction")
GROUP_PERMISSIONS = {
    "city_supervisor": VIEW + ("set_quota", "add_trainingsession", "change_trainingsession",
                               "delete_trainingsession", "add_attendance", "change_attendance",
                               "add_townshipcheck", "change_townshipcheck", "add_summons", "change_summons",
                               "review_monthlyreport", "manage_assessment") + MEETINGS,
    "township_supervisor": VIEW + ("add_trainingsession", "change_trainingsession", "delete_trainingsession",
                                   "add_attendance", "change_attendance", "submit_monthlyreport") + MEETINGS,
    "village_coordinator": (),
    "overseer": VIEW,
}


class GridworkPermissionDenied(PermissionDenied):
    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)

    def __str__(self):
        return self.message


def gridwork_permissions_grant() -> None:
    """Add the gridwork permissions to the staff groups that exist (additive; never removes any)."""
    group_permissions_grant("gridwork", GROUP_PERMISSIONS)


def is_city(user) -> bool:
    """True for a county grid's staff (市级网格; also a prefecture's or the region's, above their counties) and
    superusers: they see and act on every township of their county."""
    if not (user and user.is_authenticated):
        return False
    return township_ids_for(user) is None or counties_for(user).exists()


def counties_for(user):
    """The county grids (and those above them) whose staff the user is: all of them for superusers and the
    top of the tree's staff, none for township staff."""
    above = Grid.objects.exclude(level__in=[GridLevel.TOWNSHIP, GridLevel.VILLAGE])
    if not (user and user.is_authenticated):
        return Grid.objects.none()
    if user.is_superuser:
        return above
    person = getattr(user, "grid_person", None)
    if person is None:
        return Grid.objects.none()
    paths = person.assignments.current().exclude(grid__level__in=[GridLevel.TOWNSHIP, GridLevel.VILLAGE]).values_list(
        "grid__path", flat=True)
    return above.under_paths(paths)


def counties_kept(user):
    """The counties whose running of the grid the user sees, in tree order: a county's staff their county, a
    prefecture's or the region's staff (and superusers) every county below, township staff their townships'."""
    counties = Grid.objects.counties().order_by("path")
    if is_city(user):
        return counties.filter(pk__in=counties_for(user).filter(level=GridLevel.CITY))
    return counties.filter(pk__in=townships_for(user).values("parent_id"))


def county_chosen(user, asked=None, *, kept: list[Grid] | None = None) -> Grid | None:
    """The county a page shows: the one asked for (?county=) when the user sees it, else the county the site
    in use serves when they see it, else their first; None for a user who sees none. `kept`: the user's
    counties_kept when already read."""
    from disclosure.sites import served_county

    kept = list(counties_kept(user)) if kept is None else kept
    by_id = {str(county.pk): county for county in kept}
    if str(asked or "") in by_id:
        return by_id[str(asked)]
    if len(kept) > 1:
        served = served_county()
        if served is not None and str(served.pk) in by_id:
            return by_id[str(served.pk)]
    return kept[0] if kept else None


def county_choice(user, asked=None) -> tuple[list[Grid], Grid | None]:
    """(the counties the user sees, the one a page shows: county_chosen), for pages that offer a choice."""
    kept = list(counties_kept(user))
    return kept, county_chosen(user, asked, kept=kept)


def require_county(user, county, message: str) -> None:
    """Raise GridworkPermissionDenied with `message` unless the user acts for this county (its city grid)."""
    if county is None or not is_city(user) or not counties_kept(user).filter(pk=county.pk).exists():
        raise GridworkPermissionDenied(message)


def townships_for(user):
    """The township grids a user keeps: all for the city, their own for township staff, none otherwise."""
    if not user or not user.is_authenticated:
        return Grid.objects.none()
    ids = township_ids_for(user)
    townships = Grid.objects.townships().in_order()
    return townships if ids is None else townships.filter(pk__in=ids)


def require_city(user, message: str) -> None:
    """Raise GridworkPermissionDenied with `message` unless the user is the city's."""
    if not is_city(user):
        raise GridworkPermissionDenied(message)


def require_township(user, township) -> None:
    """Raise unless the user keeps this township (the city keeps all)."""
    if not townships_for(user).filter(pk=township.pk).exists():
        raise GridworkPermissionDenied(_("%(name)s不在您负责的网格范围内。") % {"name": township.name})
