"""Every staff action on a complaint, by name: the back office calls the service for the action chosen,
through `complaint_act`, which also keeps the evidence photos staff attach to field work."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Action, ActionPhoto, Complaint
from .errors import ComplaintError
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

# Field work that photos document: the visit, the order and re-check of a rectification, samples taken,
# the referral, and a plain note.
PHOTO_ACTIONS = frozenset({Action.START_INVESTIGATION, Action.ORDER_RECTIFICATION, Action.CHECK_RECTIFICATION,
                           Action.LAB_PAUSE, Action.REFER, Action.NOTE})
MAX_ACTION_PHOTOS = 6


@transaction.atomic
def complaint_act(*, action: str, complaint: Complaint, user, expected_version: int, photos=(), **kwargs) -> Complaint:
    """Take one staff action with its evidence photos (each already checked and re-encoded by
    `photo_process`): the action and its photos are saved together or not at all. The photos are shown to
    staff who may see the complaint, never on the public tracking page."""
    photos = list(photos)
    if photos and action not in PHOTO_ACTIONS:
        raise ComplaintError(_("这一步不能附照片。"))
    if len(photos) > MAX_ACTION_PHOTOS:
        raise ComplaintError(_("每一步最多附 %(n)d 张照片。") % {"n": MAX_ACTION_PHOTOS})
    result = STAFF_SERVICES[action](complaint=complaint, user=user, expected_version=expected_version, **kwargs)
    if photos:
        event = result.events.filter(action=action).order_by("-id").first()
        for position, photo in enumerate(photos):
            kept = ActionPhoto(event=event, position=position, width=photo.width, height=photo.height,
                               size=len(photo.image), sha256=photo.sha256)
            kept.image.save("photo.jpg", ContentFile(photo.image), save=False)
            kept.thumbnail.save("thumb.jpg", ContentFile(photo.thumbnail), save=False)
            kept.save()
        event.data = {**(event.data or {}), "staff_photos": len(photos)}
        event.save(update_fields=["data"])
    return result
