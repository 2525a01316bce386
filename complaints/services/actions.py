"""Every staff action on a complaint, by name: the back office calls the service for the action chosen."""

from ..models import Action
from .followup import (
                       complaint_check_rectification,
                       complaint_lab_pause,
                       complaint_lab_resume,
                       complaint_order_rectification,
                       complaint_refer,
)
from .lifecycle import (
                       complaint_accept,
                       complaint_add_note,
                       complaint_approve_reply,
                       complaint_assign,
                       complaint_close,
                       complaint_draft_reply,
                       complaint_mark_duplicate,
                       complaint_reassign_grid,
                       complaint_reject,
                       complaint_reopen,
                       complaint_return_reply,
                       complaint_start_investigation,
                       complaint_transfer,
)
from .transitions import ALLOWED_FROM, PERMISSION_FOR

STAFF_SERVICES = {
    Action.ACCEPT: complaint_accept, Action.REJECT: complaint_reject, Action.TRANSFER: complaint_transfer,
    Action.MARK_DUPLICATE: complaint_mark_duplicate, Action.REASSIGN_GRID: complaint_reassign_grid,
    Action.ASSIGN: complaint_assign, Action.START_INVESTIGATION: complaint_start_investigation,
    Action.ORDER_RECTIFICATION: complaint_order_rectification,
    Action.CHECK_RECTIFICATION: complaint_check_rectification, Action.REFER: complaint_refer,
    Action.LAB_PAUSE: complaint_lab_pause, Action.LAB_RESUME: complaint_lab_resume,
    Action.DRAFT_REPLY: complaint_draft_reply, Action.RETURN_REPLY: complaint_return_reply,
    Action.APPROVE_REPLY: complaint_approve_reply, Action.CLOSE: complaint_close, Action.REOPEN: complaint_reopen,
    Action.NOTE: complaint_add_note,
}
assert set(STAFF_SERVICES) == set(ALLOWED_FROM) == set(PERMISSION_FOR) - {Action.RECORD}
