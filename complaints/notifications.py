"""Notifications after a complaint changes: e-mail to the assignee, e-mail and SMS to the reporter.

Called once the transaction has committed (services use transaction.on_commit), so nothing is sent for a
change that was rolled back. Messages never contain the reporter's identity; the reporter's own messages
carry their tracking code, which is theirs.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disclosure.sites import public_url_for

from . import conf
from .models import Action, ComplaintEvent, State
from .selectors import public_action_label, public_state_label
from .sms import mask_phone, send_sms

logger = logging.getLogger(__name__)

# Outcomes a reporter hears about by SMS too (e-mail goes out for every public step).
SMS_ACTIONS = frozenset({Action.SUBMIT, Action.RECORD, Action.ACCEPT, Action.REJECT, Action.TRANSFER,
                         Action.CLOSE, Action.MARK_DUPLICATE, Action.REOPEN})


def _admin_url(complaint) -> str:
    return settings.PORTAL_BASE_URL + conf.get("COMPLAINTS_ADMIN_URL").format(id=complaint.pk)


def _track_url(complaint) -> str:
    """Where the reporter follows the complaint: on the site of the county handling it."""
    return public_url_for(complaint.grid, "/complaints/track/")


def _county_name(complaint) -> str:
    """The county handling the complaint (the one it was routed to, whichever site it came through)."""
    return (complaint.county or complaint.grid).display_name


def complaint_event_notify(*, event_id: int) -> None:
    """Send what a logged event calls for. Failures are logged and swallowed."""
    event = ComplaintEvent.objects.select_related("complaint", "complaint__assignee", "complaint__grid", "complaint__county",
                                                  "complaint__grid__parent").filter(pk=event_id).first()
    if event is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        if event.action == Action.ASSIGN:
            _notify_assignee(event)
        if event.action == Action.DRAFT_REPLY:
            _notify_approvers(event)
        if event.is_public and event.action != Action.RATE:
            _notify_reporter(event)


def _notify_assignee(event: ComplaintEvent) -> None:
    complaint = event.complaint
    assignee = complaint.assignee
    if assignee is None or not assignee.email:
        return
    deadline = complaint.deadline
    lines = [
        _("%(name)s：") % {"name": assignee.get_full_name() or assignee.get_username()},
        "",
        _("一件%(kind)s已分派给您办理。") % {"kind": complaint.get_kind_display()},
        _("编号：%(code)s") % {"code": complaint.internal_number},
        _("问题类别：%(category)s") % {"category": complaint.get_category_display()},
        _("办理网格：%(grid)s") % {"grid": complaint.grid.full_name},
        _("办结期限：%(due)s") % {"due": deadline.isoformat() if deadline else "—"},
        "",
        _("请登录后台查看并办理：%(url)s") % {"url": _admin_url(complaint)},
        "",
        _("反映人身份信息依法保密，请勿在邮件中转发。"),
    ]
    _send(_("【投诉举报】分派给您：%(code)s") % {"code": complaint.internal_number}, lines, [assignee.email])


def _notify_approvers(event: ComplaintEvent) -> None:
    """A drafted reply waits for approval: tell the approvers of its level (never the drafter)."""
    from .selectors import complaint_approvers

    complaint = event.complaint
    drafter = event.actor_name or (event.actor.get_full_name() if event.actor_id else "")
    for approver in complaint_approvers(complaint):
        if not approver.email:
            continue
        lines = [
            _("%(name)s：") % {"name": approver.get_full_name() or approver.get_username()},
            "",
            _("%(drafter)s 拟定了一件%(kind)s的答复，请审核。") % {"drafter": drafter or _("工作人员"),
                                                          "kind": complaint.get_kind_display()},
            _("编号：%(code)s") % {"code": complaint.internal_number},
            _("办理网格：%(grid)s") % {"grid": complaint.grid.full_name},
            _("办结期限：%(due)s") % {"due": complaint.finish_due.isoformat() if complaint.finish_due else "—"},
            "",
            _("请登录后台审核：%(url)s") % {"url": _admin_url(complaint)},
        ]
        _send(_("【投诉举报】答复待您审核：%(code)s") % {"code": complaint.internal_number}, lines, [approver.email])


def _notify_reporter(event: ComplaintEvent) -> None:
    complaint = event.complaint
    if complaint.anonymous:
        return
    state = public_state_label(event.to_state) if event.to_state else ""
    if event.action == Action.MARK_DUPLICATE:
        state = ""  # not "已办结": the matter is handled under the earlier report
    what = public_action_label(event.action)
    when = timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M")
    if complaint.reporter_email:
        lines = [
            _("您好："),
            "",
            _("您反映的问题（查询码 %(code)s）有新进展：") % {"code": complaint.display_code},
            f"{when} {what}" + (f"（{state}）" if state else ""),
        ]
        if event.note_public:
            lines += ["", event.note_public]
        lines += ["", _("查看全部办理进度：%(url)s （输入查询码）") % {"url": _track_url(complaint)},
                  "", _("此邮件由系统自动发送，请勿直接回复。")]
        _send(_("您反映的问题有新进展（%(code)s）") % {"code": complaint.display_code}, lines,
              [complaint.reporter_email])
    if complaint.reporter_phone and event.action in SMS_ACTIONS and complaint.reporter_phone.startswith("1"):
        text = _("【%(place)s农产品质量安全】您反映的问题（查询码%(code)s）%(what)s。详情请在 %(url)s 查询。") % {
            "place": _county_name(complaint), "code": complaint.display_code, "what": state or what,
            "url": _track_url(complaint)}
        sent = send_sms(complaint.reporter_phone, text)
        if not sent:
            logger.warning("SMS for complaint %s to %s not sent", complaint.pk, mask_phone(complaint.reporter_phone))


def _send(subject: str, lines: list[str], to: list[str]) -> None:
    try:
        send_mail(subject, "\n".join(lines), None, to, fail_silently=False)
    except Exception:  # a mail server failure must never undo a complaint's handling
        logger.exception("complaint notification to %d recipient(s) failed", len(to))


__all__ = ["SMS_ACTIONS", "State", "complaint_event_notify"]
