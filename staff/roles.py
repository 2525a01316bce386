"""Staff roles (岗位权限): the three staff groups and what each may do in the back office.

What a user *sees* is always their grids (disclosure.services.grids.grids_for_user, from the roles their
linked person holds today); the group says what they may *do* there. The complaints and producers areas
grant their own permissions (complaints.services.complaint_permissions_grant,
staff.demo.producer_permissions_grant); this module adds the grid and people permissions and sets up
all groups in one call for a fresh installation (`manage.py staff_roles`). The city also keeps the
working-day calendar (节假日与调休).

Decisions (docs/staff.md):
- The city grid keeps the grid tree and the roster import: grids, people and role assignments, no delete.
- Township supervisors keep their township's people current (the plan: 乡镇 "明确各网格责任人员 … 各网格责任
  人员发生变化时应及时更新网格图"): view grids, edit people, record and end role assignments — all scoped to
  their township by the grid admin's views. They cannot change the grid tree, delete anyone or import the
  roster.
- Village coordinators get nothing on grids and people: they are the people being managed, and read the
  public grid pages like everyone else.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

STAFF_GROUPS = ("city_supervisor", "township_supervisor", "village_coordinator")

# group → app label → codenames (what complaints and producers grant is theirs; see the module docstring)
STAFF_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "city_supervisor": {
        "disclosure": (
            "view_grid", "add_grid", "change_grid",
            "view_person", "add_person", "change_person",
            "view_roleassignment", "add_roleassignment", "change_roleassignment", "import_roster",
        ),
        # The working-day calendar: public holidays and Xinjiang's regional ones are entered by the city.
        "portal": ("view_holiday", "add_holiday", "change_holiday", "delete_holiday"),
        # Unlocking accounts locked after wrong passwords (登录锁定).
        "axes": ("view_accessattempt", "delete_accessattempt"),
    },
    "township_supervisor": {
        "disclosure": (
            "view_grid",
            "view_person", "change_person",
            "view_roleassignment", "add_roleassignment", "change_roleassignment",
        ),
    },
    "village_coordinator": {},
}


def staff_groups_ensure() -> list[Group]:
    """Create the staff groups that are missing, each with access to the Wagtail admin."""
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    groups = []
    for name in STAFF_GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(admin_access)
        groups.append(group)
    return groups


def staff_permissions_grant() -> None:
    """Add the grid, people and calendar permissions to the staff groups that exist (additive; never
    removes any)."""
    for name, by_app in STAFF_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for app_label, codenames in by_app.items():
            group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label,
                                                             codename__in=codenames))


@transaction.atomic
def staff_roles_setup() -> list[Group]:
    """Every staff group with all its permissions: admin access, complaints, inspections, running the grid,
    producers, grids and people, and news (staff/news.py: page and collection permissions, the workflow)."""
    from complaints.services import complaint_permissions_grant
    from gridwork.services.scope import gridwork_permissions_grant
    from inspections.services.scope import inspection_permissions_grant

    from .demo import producer_permissions_grant
    from .news import news_roles_setup

    groups = staff_groups_ensure()
    complaint_permissions_grant()
    inspection_permissions_grant()
    gridwork_permissions_grant()
    producer_permissions_grant()
    staff_permissions_grant()
    news_roles_setup()
    return groups
