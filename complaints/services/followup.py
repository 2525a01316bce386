"""Complaint actions that order rectification, refer to law enforcement or send samples to the laboratory
(附件1 第八条). Rectification orders and referrals are kept by casework, shared with inspections."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Rectification
from casework.services import (
    CaseworkError,
    follow_up_public_note,
    rectification_due_check,
    rectification_follow_up,
    rectification_order,
    rectification_public_note,
    referral_public_note,
    referral_send,
)
from portal.text import clean_text

from ..models import Action, Complaint, State
from . import deadlines
from .errors import ComplaintError
from .lifecycle import _note, _transition


def _casework(call):
    """Run a shared rectification/referral service; its refusal becomes the complaint's kind of error."""
    try:
        return call()
    except CaseworkError as exc:
        raise ComplaintError(exc.messages[0], code=exc.code) from None


def complaint_order_rectification(*, complaint: Complaint, user, expected_version: int, due: datetime.date,
                                  requirements: str, note_public: str = "") -> Complaint:
    """责令限期整改: a minor violation (附件1 第八条); the producer must put it right by `due`. The order is
    kept by casework, as an inspection's is."""
    requirements = _note(requirements, _("整改要求"), required=True)
    note_public = _note(note_public, _("公开说明"))
    _casework(lambda: rectification_due_check(due))

    def apply(c):
        c.state = State.RECTIFYING
        c.rectification_due = due
        _casework(lambda: rectification_order(producer=c.producer, source=c, requirements=requirements, due=due,
                                              user=user))
        return ["state", "rectification_due"], {"rectification_due": due.isoformat()}

    public = note_public or rectification_public_note(due)
    return _transition(complaint=complaint, user=user, expected_version=expected_version,
                       action=Action.ORDER_RECTIFICATION, apply=apply, note_internal=requirements,
                       note_public=public)


def complaint_check_rectification(*, complaint: Complaint, user, expected_version: int, passed: bool,
                                  findings: str, new_due: datetime.date | None = None,
                                  note_public: str = "") -> Complaint:
    """整改复查: re-check the rectification. Passed → 整改已复查; not passed → a new deadline (or refer)."""
    findings = _note(findings, _("复查情况"), required=True)
    note_public = _note(note_public, _("公开说明"))
    if not passed and (not isinstance(new_due, datetime.date) or new_due <= timezone.localdate()):
        raise ComplaintError(_("复查未通过时，请给出新的整改期限（今天以后），或改为移送执法。"))

    def apply(c):
        order = Rectification.objects.from_source(c).open().first()
        if order is not None:
            _casework(lambda: rectification_follow_up(rectification=order, passed=passed, findings=findings,
                                                      new_due=new_due, user=user))
        if passed:
            c.state = State.RECTIFIED
            return ["state"], {"passed": True}
        c.rectification_due = new_due
        return ["rectification_due"], {"passed": False, "rectification_due": new_due.isoformat()}

    public = note_public or follow_up_public_note(passed, new_due)
    return _transition(complaint=complaint, user=user, expected_version=expected_version,
                       action=Action.CHECK_RECTIFICATION, apply=apply, note_internal=findings, note_public=public)


def complaint_refer(*, complaint: Complaint, user, expected_version: int, agency: str, note_internal: str = "",
                    note_public: str = "") -> Complaint:
    """移送执法: suspected illegal conduct goes to law enforcement (附件1 第八条); casework keeps the record."""
    agency = clean_text(agency, label=_("移送机构"), max_length=100, required=True)
    note_internal = _note(note_internal, _("内部意见"))
    note_public = _note(note_public, _("公开说明"))

    def apply(c):
        c.state = State.REFERRED
        c.referred_to = agency
        order = Rectification.objects.from_source(c).open().first()
        _casework(lambda: referral_send(producer=c.producer, agency=agency, summary=note_internal, source=c,
                                        user=user, rectification=order))
        return ["state", "referred_to"], {"agency": agency}

    public = note_public or referral_public_note(agency)
    return _transition(complaint=complaint, user=user, expected_version=expected_version, action=Action.REFER,
                       apply=apply, note_internal=note_internal, note_public=public)


def complaint_lab_pause(*, complaint: Complaint, user, expected_version: int, samples: str,
                        note_public: str = "") -> Complaint:
    """送检: samples went to the laboratory; the finishing clock stops until the result is recorded."""
    samples = _note(samples, _("送检样品"), required=True)
    note_public = _note(note_public, _("公开说明"))

    def apply(c):
        if c.is_paused:
            raise ComplaintError(_("已经在送检中（自%(since)s起暂停计时）。") % {"since": c.paused_since.isoformat()})
        c.paused_since = timezone.localdate()
        return ["paused_since"], {"paused_since": c.paused_since.isoformat()}

    public = note_public or _("已抽取样品送实验室检测，检测期间办理时限暂停计算。")
    return _transition(complaint=complaint, user=user, expected_version=expected_version,
                       action=Action.LAB_PAUSE, apply=apply, note_internal=samples, note_public=public)


def complaint_lab_resume(*, complaint: Complaint, user, expected_version: int, result: str,
                         note_public: str = "") -> Complaint:
    """检测结果返回: the result is in; the clock runs again and the finishing deadline moves by the pause."""
    result = _note(result, _("检测结果"), required=True)
    note_public = _note(note_public, _("公开说明"))

    def apply(c):
        if not c.is_paused:
            raise ComplaintError(_("这件投诉举报没有在送检中。"))
        length = deadlines.paused_length(c.paused_since, timezone.localdate())
        c.paused_days += length
        c.paused_since = None
        c.finish_due = deadlines.finish_due(c.clock_started_on or timezone.localdate(), c.paused_days)
        return ["paused_since", "paused_days", "finish_due"], {
            "paused": length, "finish_due": c.finish_due.isoformat()}

    public = note_public or _("检测结果已出，恢复计算办理时限。")
    return _transition(complaint=complaint, user=user, expected_version=expected_version,
                       action=Action.LAB_RESUME, apply=apply, note_internal=result, note_public=public)
