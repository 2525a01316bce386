"""Staff roles (岗位权限): the three staff groups and what each may do in the back office.

What a user *sees* is always their grids (disclosure.services.grids.grids_for_user, from the roles their
linked person holds today); the group says what they may *do* there. The complaints, inspections and
running-the-grid areas grant their own permissions (complaint_permissions_grant,
inspection_permissions_grant, gridwork_permissions_grant); this module adds the grid, people and producer
permissions and sets up all groups in one call for a fresh installation (`manage.py staff_roles`). The
city also keeps the working-day calendar (节假日与调休). Supervisors keep the producer registry, set grades
and print signs; coordinators keep their village's producer facts current (the plan, 四、(三) 3) and print
their village's signs.

Decisions (docs/staff.md):
- The city grid keeps the grid tree and the roster import: grids, people and role assignments, no delete.
- Township supervisors keep their township's people current (the plan: 乡镇 "明确各网格责任人员 … 各网格责任
  人员发生变化时应及时更新网格图"): view grids, edit people, record and end role assignments — all scoped to
  their township by the grid admin's views. They cannot change the grid tree, delete anyone or import the
  roster. They print and revoke their township's staff badges (工作证, the plan 四、(五)), as the city does.
- Village coordinators get nothing on grids and people: they are the people being managed, and read the
  public grid pages like everyone else.
- Overseers (督导员) of a prefecture or the region read what their counties keep and change nothing.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from portal.auth import group_permissions_grant

STAFF_GROUPS = ("city_supervisor", "township_supervisor", "village_coordinator", "overseer")

PRODUCER_KEEPER = ("view_producer", "add_producer", "change_producer", "set_grade", "set_risk", "import_registry",
                   "print_signboards")

# group → app label → codenames (what complaints and producers grant is theirs; see the module docstring)
STAFF_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "city_supervisor": {
        "disclosure": (
            "view_grid", "add_grid", "change_grid",
            "view_person", "add_person", "change_person",
            "view_roleassignment", "add_roleassignment", "change_roleassignment", "import_roster",
            "print_badges",
            *PRODUCER_KEEPER,
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
            "print_badges",
            *PRODUCER_KEEPER,
        ),
    },
    # Coordinators keep their village's producers current and reprint its signs (a sign lost or out of date).
    "village_coordinator": {"disclosure": ("view_producer", "change_producer", "print_signboards")},
    # A prefecture's or the region's overseers (督导员) read everything of the counties below them; the
    # counties do the work.
    "overseer": {"disclosure": ("view_grid", "view_person", "view_roleassignment", "view_producer")},
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
    """Add the grid, people, producer and calendar permissions to the staff groups that exist (additive;
    never removes any)."""
    for name, by_app in STAFF_PERMISSIONS.items():
        for app_label, codenames in by_app.items():
            group_permissions_grant(app_label, {name: codenames})


@transaction.atomic
def staff_roles_setup() -> list[Group]:
    """Every staff group with all its permissions: admin access, complaints, inspections, running the grid,
    producers, grids and people, and news (staff/news.py: page and collection permissions, the workflow)."""
    from complaints.services import complaint_permissions_grant
    from gridwork.services.scope import gridwork_permissions_grant
    from inspections.services.scope import inspection_permissions_grant

    from .news import news_roles_setup

    groups = staff_groups_ensure()
    complaint_permissions_grant()
    inspection_permissions_grant()
    gridwork_permissions_grant()
    staff_permissions_grant()
    news_roles_setup()
    return groups
