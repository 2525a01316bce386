"""The reporter's identity (反映人身份): shown only with a dedicated permission, and every view logged."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..models import Action, Complaint
from .errors import ComplaintPermissionDenied
from .lifecycle import _log
from .permissions import user_covers_grid

IDENTITY_PERMISSION = "complaints.view_reporter_identity"


@dataclass(frozen=True)
class ReporterIdentity:
    name: str
    phone: str
    email: str
    anonymous: bool


def can_view_identity(user, complaint: Complaint) -> bool:
    """Whether the user may see this complaint's reporter (permission and grid scope)."""
    return bool(user and user.is_active and user.has_perm(IDENTITY_PERMISSION)
                and user_covers_grid(user, complaint.grid_id))


def complaint_reporter_identity(*, complaint: Complaint, user, purpose: str = "") -> ReporterIdentity:
    """The reporter's name, phone and e-mail, after checking the permission; logs the view (who, when, why)."""
    if not can_view_identity(user, complaint):
        raise ComplaintPermissionDenied(_("查看反映人身份需要专门授权，且只能查看本人负责网格的投诉举报。"))
    _log(complaint, action=Action.IDENTITY_VIEW, from_state=complaint.state, user=user,
         note_internal=(purpose or "")[:200])
    return ReporterIdentity(name=complaint.reporter_name, phone=complaint.reporter_phone,
                            email=complaint.reporter_email, anonymous=complaint.anonymous)
