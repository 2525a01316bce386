"""Who may do what: permissions per staff group, the grid scope of a user, and the actions open to them now."""

from portal.auth import group_permissions_grant

from ..models import Complaint
from ..models.complaints import _scope_ids
from .transitions import ALLOWED_FROM, ALLOWED_WHILE_PAUSED, PERMISSION_FOR

ALL_COMPLAINT_PERMISSIONS = (
    "view_complaint", "triage_complaint", "assign_complaint", "handle_complaint", "refer_complaint",
    "approve_reply", "close_complaint", "reopen_complaint", "reassign_complaint", "record_complaint",
    "view_reporter_identity", "export_complaint",
)

# The grant per staff group (the groups: staff/roles.py). Township supervisors reply to
# reporters, so they may see who reported; village coordinators live beside the producers reported on, so
# they may not. The city also manages Open311 API keys.
GROUP_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "city_supervisor": ALL_COMPLAINT_PERMISSIONS + (
        "add_open311client", "change_open311client", "view_open311client"),
    "township_supervisor": ALL_COMPLAINT_PERMISSIONS,
    "village_coordinator": ("view_complaint", "handle_complaint", "record_complaint"),
    # A prefecture's or the region's overseers read their counties' complaints (not who reported them).
    "overseer": ("view_complaint",),
}


def complaint_permissions_grant() -> None:
    """Add the complaint permissions to the staff groups that exist (additive; never removes any)."""
    group_permissions_grant("complaints", GROUP_PERMISSIONS)


def user_covers_grid(user, grid_id: int) -> bool:
    """Whether a grid is within the user's scope (their grids from current roles; all for the city)."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    ids = _scope_ids(user)
    return ids is None or grid_id in ids


def user_can(user, action: str) -> bool:
    """Whether the user holds the permission an action needs (scope and state not considered)."""
    perm = PERMISSION_FOR[action]
    return bool(user and user.is_active and user.has_perm(f"complaints.{perm}"))


def allowed_actions(complaint: Complaint, user) -> list[str]:
    """The staff actions this user may take on this complaint now (state, pause, permission and scope).

    The back office shows a button for each. NOTE (an internal remark) is included when allowed.
    """
    if not user_covers_grid(user, complaint.grid_id):
        return []
    actions = []
    for action, states in ALLOWED_FROM.items():
        if complaint.state not in states or not user_can(user, action):
            continue
        if complaint.is_paused and action not in ALLOWED_WHILE_PAUSED:
            continue
        if action == "lab_pause" and complaint.is_paused:
            continue
        if action == "lab_resume" and not complaint.is_paused:
            continue
        if action == "approve_reply" and complaint.reply_drafted_by_id == getattr(user, "pk", None):
            continue  # nobody approves their own draft (separation of duties)
        actions.append(action)
    return actions
