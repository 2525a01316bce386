"""Services of the complaints domain: every write goes through one of these (keyword-only, one transaction).

See docs/complaints.md for the state machine, the signatures and the permissions.
"""

from .actions import MAX_ACTION_PHOTOS, PHOTO_ACTIONS, STAFF_SERVICES, complaint_act
from .errors import ComplaintChanged, ComplaintError, ComplaintPermissionDenied, TransitionNotAllowed
from .followup import (
    complaint_check_rectification,
    complaint_lab_pause,
    complaint_lab_resume,
    complaint_order_rectification,
    complaint_refer,
)
from .identity import ReporterIdentity, can_view_identity, complaint_reporter_identity
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
from .permissions import (
    GROUP_PERMISSIONS,
    allowed_actions,
    complaint_permissions_grant,
    user_can,
    user_covers_grid,
)
from .photos import PhotoRejected, photo_process, staged_upload_create, staged_uploads_purge
from .public import (
    can_rate,
    can_reopen,
    complaint_find,
    complaint_rate,
    complaint_reopen_request,
    reopen_deadline,
)
from .submit import DuplicateSubmission, complaint_record_offline, complaint_submit, tracking_code_new

__all__ = [
    "GROUP_PERMISSIONS", "MAX_ACTION_PHOTOS", "PHOTO_ACTIONS", "STAFF_SERVICES", "complaint_act", "ComplaintChanged", "ComplaintError", "ComplaintPermissionDenied",
    "DuplicateSubmission", "PhotoRejected", "ReporterIdentity", "TransitionNotAllowed", "allowed_actions",
    "can_rate", "can_reopen", "can_view_identity", "complaint_accept", "complaint_add_note",
    "complaint_approve_reply", "complaint_assign", "complaint_check_rectification", "complaint_close",
    "complaint_draft_reply", "complaint_find", "complaint_lab_pause", "complaint_lab_resume",
    "complaint_mark_duplicate", "complaint_order_rectification", "complaint_permissions_grant",
    "complaint_rate", "complaint_reassign_grid", "complaint_record_offline", "complaint_refer",
    "complaint_reject", "complaint_reopen", "complaint_reopen_request", "complaint_reporter_identity",
    "complaint_return_reply", "complaint_start_investigation", "complaint_submit", "complaint_transfer",
    "photo_process", "reopen_deadline", "staged_upload_create", "staged_uploads_purge", "tracking_code_new",
    "user_can", "user_covers_grid",
]
