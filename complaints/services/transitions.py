"""The state machine of a complaint: which action is allowed in which state, and the permission it needs.

Kept as data so that the services, the back office ("which buttons does this user get now?") and
docs/complaints.md read the same table.
"""

from ..models import OPEN_STATES, Action, State

S = State

# action → states it may start from
ALLOWED_FROM: dict[str, frozenset[str]] = {
    Action.ACCEPT: frozenset({S.SUBMITTED}),
    Action.REJECT: frozenset({S.SUBMITTED}),
    Action.TRANSFER: frozenset({S.SUBMITTED}),
    Action.ASSIGN: frozenset({S.ACCEPTED, S.REOPENED, S.ASSIGNED, S.INVESTIGATING, S.RECTIFYING, S.RECTIFIED,
                              S.REFERRED}),
    Action.START_INVESTIGATION: frozenset({S.ASSIGNED}),
    Action.ORDER_RECTIFICATION: frozenset({S.INVESTIGATING}),
    Action.CHECK_RECTIFICATION: frozenset({S.RECTIFYING}),
    Action.REFER: frozenset({S.INVESTIGATING, S.RECTIFYING}),
    Action.DRAFT_REPLY: frozenset({S.INVESTIGATING, S.RECTIFIED, S.REFERRED, S.REPLY_DRAFTED}),
    Action.RETURN_REPLY: frozenset({S.REPLY_DRAFTED}),
    Action.APPROVE_REPLY: frozenset({S.REPLY_DRAFTED}),
    Action.CLOSE: frozenset({S.REPLY_APPROVED}),
    Action.REOPEN: frozenset({S.CLOSED}),
    Action.MARK_DUPLICATE: frozenset({S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.INVESTIGATING, S.REOPENED}),
    Action.REASSIGN_GRID: frozenset(OPEN_STATES),
    Action.LAB_PAUSE: frozenset({S.INVESTIGATING, S.RECTIFYING}),
    Action.LAB_RESUME: frozenset({S.INVESTIGATING, S.RECTIFYING}),
    Action.NOTE: frozenset(State.values),
}

# action → the state it leads to (None: the state does not change, or depends on the facts; see services)
LEADS_TO: dict[str, str | None] = {
    Action.ACCEPT: S.ACCEPTED,
    Action.REJECT: S.NOT_ACCEPTED,
    Action.TRANSFER: S.TRANSFERRED,
    Action.ASSIGN: None,               # ASSIGNED from ACCEPTED/REOPENED; otherwise unchanged (handing over)
    Action.START_INVESTIGATION: S.INVESTIGATING,
    Action.ORDER_RECTIFICATION: S.RECTIFYING,
    Action.CHECK_RECTIFICATION: None,  # RECTIFIED when passed; stays RECTIFYING with a new deadline if not
    Action.REFER: S.REFERRED,
    Action.DRAFT_REPLY: S.REPLY_DRAFTED,
    Action.RETURN_REPLY: None,         # back to the state the reply was drafted from
    Action.APPROVE_REPLY: S.REPLY_APPROVED,
    Action.CLOSE: S.CLOSED,
    Action.REOPEN: S.REOPENED,
    Action.MARK_DUPLICATE: S.CLOSED,
    Action.REASSIGN_GRID: None,        # unchanged, except ASSIGNED → ACCEPTED when the assignee is out of scope
    Action.LAB_PAUSE: None,
    Action.LAB_RESUME: None,
    Action.NOTE: None,
}

# state → the step a complaint in it is waiting for, first choice first (the back office shows the first one
# the user may take open and on top, the others folded below it).
WAITING_FOR: dict[str, tuple[str, ...]] = {
    S.SUBMITTED: (Action.ACCEPT,),
    S.ACCEPTED: (Action.ASSIGN,),
    S.REOPENED: (Action.ASSIGN,),
    S.ASSIGNED: (Action.START_INVESTIGATION,),
    S.INVESTIGATING: (Action.LAB_RESUME, Action.DRAFT_REPLY),
    S.RECTIFYING: (Action.LAB_RESUME, Action.CHECK_RECTIFICATION),
    S.RECTIFIED: (Action.DRAFT_REPLY,),
    S.REFERRED: (Action.DRAFT_REPLY,),
    S.REPLY_DRAFTED: (Action.APPROVE_REPLY,),
    S.REPLY_APPROVED: (Action.CLOSE,),
}

# While samples are at the laboratory only these may happen; everything else waits for the result.
ALLOWED_WHILE_PAUSED = frozenset({Action.LAB_RESUME, Action.ASSIGN, Action.REASSIGN_GRID, Action.NOTE})

# action → the permission (codename in the complaints app) a staff user needs for it
PERMISSION_FOR: dict[str, str] = {
    Action.ACCEPT: "triage_complaint",
    Action.REJECT: "triage_complaint",
    Action.TRANSFER: "triage_complaint",
    Action.MARK_DUPLICATE: "triage_complaint",
    Action.ASSIGN: "assign_complaint",
    Action.START_INVESTIGATION: "handle_complaint",
    Action.ORDER_RECTIFICATION: "handle_complaint",
    Action.CHECK_RECTIFICATION: "handle_complaint",
    Action.LAB_PAUSE: "handle_complaint",
    Action.LAB_RESUME: "handle_complaint",
    Action.DRAFT_REPLY: "handle_complaint",
    Action.NOTE: "view_complaint",
    Action.REFER: "refer_complaint",
    Action.RETURN_REPLY: "approve_reply",
    Action.APPROVE_REPLY: "approve_reply",
    Action.CLOSE: "close_complaint",
    Action.REOPEN: "reopen_complaint",
    Action.REASSIGN_GRID: "reassign_complaint",
    Action.RECORD: "record_complaint",
}

STAFF_ACTIONS = tuple(ALLOWED_FROM)
