"""What a reporter does with their tracking code: look the complaint up, rate the handling, ask to reopen."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.text import clean_text

from .. import conf
from ..models import Action, Complaint, Rating, State
from ..validation import validate_tracking_code
from .errors import ComplaintError, TransitionNotAllowed
from .lifecycle import _after_commit, _log, _reopen_fields, _save

REPORTER = _("反映人")


def complaint_find(*, code: str) -> Complaint | None:
    """The complaint with this tracking code (typed in any case, with or without dashes), or None.
    Raises ValidationError with a specific message when the code is malformed."""
    code = validate_tracking_code(code)
    return Complaint.objects.filter(tracking_code=code).select_related("grid", "grid__parent").first()


def reopen_deadline(complaint: Complaint) -> datetime.date | None:
    """The last day the reporter may ask to reopen a closed complaint (None if not closed)."""
    if complaint.state != State.CLOSED or complaint.closed_at is None:
        return None
    closed_on = timezone.localtime(complaint.closed_at).date()
    return closed_on + datetime.timedelta(days=conf.get("COMPLAINTS_REOPEN_DAYS"))


def can_reopen(complaint: Complaint, on: datetime.date | None = None) -> bool:
    deadline = reopen_deadline(complaint)
    return deadline is not None and (on or timezone.localdate()) <= deadline


def can_rate(complaint: Complaint) -> bool:
    return complaint.state == State.CLOSED and complaint.rating is None


def complaint_rate(*, complaint: Complaint, rating: int, comment: str = "") -> Complaint:
    """满意度评价: the reporter rates the handling of a closed complaint, once per closing."""
    comment = clean_text(comment, label=_("评价意见"), max_length=500, multiline=True)
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if rating not in Rating.values:
        raise ComplaintError({"rating": [_("请选择满意程度。")]})
    with transaction.atomic():
        current = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if current.state != State.CLOSED:
            raise TransitionNotAllowed(_("办结后才能评价。"))
        if current.rating is not None:
            raise TransitionNotAllowed(_("您已经评价过了，谢谢。"))
        version = current.version
        current.rating = rating
        current.rating_comment = comment
        current.rated_at = timezone.now()
        _save(current, version, ["rating", "rating_comment", "rated_at"])
        event = _log(current, action=Action.RATE, from_state=current.state, name=str(REPORTER),
                     note_internal=comment, note_public=str(Rating(rating).label), data={"rating": rating})
        _after_commit(current, event)
    complaint.rating, complaint.version = current.rating, current.version
    return current


def complaint_reopen_request(*, complaint: Complaint, reason: str) -> Complaint:
    """The reporter is not satisfied and asks, within COMPLAINTS_REOPEN_DAYS of closing, to reopen."""
    reason = clean_text(reason, label=_("不满意的原因"), max_length=1000, required=True, multiline=True)
    with transaction.atomic():
        current = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if current.state != State.CLOSED:
            raise TransitionNotAllowed(_("只有已办结的投诉举报才能申请重新办理。"))
        if not can_reopen(current):
            raise TransitionNotAllowed(
                _("办结已超过%(days)d天，不能在网上申请重新办理。如仍有问题，请重新提交或拨打投诉举报电话。")
                % {"days": conf.get("COMPLAINTS_REOPEN_DAYS")})
        version = current.version
        fields, extra = _reopen_fields(current)
        _save(current, version, fields)
        # The reporter's words may identify them, so they stay internal; the timeline says it was reopened.
        event = _log(current, action=Action.REOPEN, from_state=State.CLOSED, name=str(REPORTER),
                     note_internal=reason, note_public=_("反映人对办理结果不满意，已申请重新办理。"),
                     data={**extra, "by_reporter": True})
        _after_commit(current, event)
    complaint.state, complaint.version = current.state, current.version
    return current
