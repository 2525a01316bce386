"""Handing a departing holder's open complaints over when their role changes hands (更换人员): registered with
disclosure's role_replace, which calls it in the same transaction as the replacement."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.models import GridLevel
from disclosure.services.handover import Handover, register_handover

from ..models import Action, Complaint, State
from .lifecycle import _transition, complaint_assign
from .transitions import ALLOWED_FROM

# The states in which a complaint is in its assignee's hands (after approval it is the approver's).
IN_HAND = ALLOWED_FROM[Action.ASSIGN]


def _left_with(user, grid):
    queryset = Complaint.objects.filter(assignee=user, state__in=IN_HAND)
    if grid.level in (GridLevel.TOWNSHIP, GridLevel.VILLAGE):
        queryset = queryset.filter(Q(grid=grid) | Q(grid__parent=grid))
    elif grid.parent_id is not None:  # a county's role in a portal serving several
        queryset = queryset.filter(grid__path__startswith=grid.path)
    return queryset.order_by("id")


def complaint_unassign(*, complaint: Complaint, user, expected_version: int, note_internal: str) -> Complaint:
    """Back to the grid's queue: no assignee; an assigned complaint waits to be assigned again."""

    def apply(c):
        previous = c.assignee_id
        c.assignee = None
        fields = ["assignee"]
        if c.state == State.ASSIGNED:
            c.state = State.ACCEPTED
            fields.append("state")
        return fields, {"unassigned": previous}

    return _transition(complaint=complaint, user=user, expected_version=expected_version, action=Action.ASSIGN,
                       apply=apply, note_internal=note_internal)


def complaints_hand_over(*, from_user, to_user, grid, by) -> int:
    """Move the open complaints `from_user` handles in `grid` (and the villages below it) to `to_user`, or
    back to the queue when `to_user` is None; returns how many moved."""
    moved = 0
    for complaint in _left_with(from_user, grid):
        if to_user is not None:
            complaint_assign(complaint=complaint, user=by, expected_version=complaint.version, assignee=to_user,
                             note_internal=_("原承办人离任，移交接任人员。"))
        else:
            complaint_unassign(complaint=complaint, user=by, expected_version=complaint.version,
                               note_internal=_("原承办人离任，退回待分派。"))
        moved += 1
    return moved


def register() -> None:
    register_handover(Handover(key="complaints", label=lambda: gettext_lazy("办理中的投诉举报"),
                               count=lambda *, user, grid: _left_with(user, grid).count(),
                               move=complaints_hand_over))
