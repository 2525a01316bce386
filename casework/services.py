"""Rectification and referral: the rules complaints and inspections share (附件1 第八条).

Keyword-only services, one transaction each. The caller checks that the user may act on the source (a
complaint's grid, an inspection's producer); these services check the facts and keep the record.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.services.producers import producers_touch
from portal.auth import display_name
from portal.workdays import calendar

from . import conf
from .models import FollowUp, Rectification, RectificationState, Referral

TEXT_MAX = 2000


class CaseworkError(ValidationError):
    """The rectification or referral cannot be recorded as asked; the message says why."""



def _text(value, label, *, required=True, max_length=TEXT_MAX) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise CaseworkError(_("请填写%(label)s。") % {"label": label})
    if len(value) > max_length:
        raise CaseworkError(_("%(label)s不能超过%(max)d个字（现在%(n)d个）。")
                            % {"label": label, "max": max_length, "n": len(value)})
    return value


def rectification_due_default(start: datetime.date | None = None) -> datetime.date:
    """The deadline suggested for a new order: CASEWORK_RECTIFICATION_WORKING_DAYS working days on."""
    return calendar().add_working_days(start or timezone.localdate(),
                                       conf.get("CASEWORK_RECTIFICATION_WORKING_DAYS"))


def rectification_due_check(due, *, on: datetime.date | None = None) -> datetime.date:
    """A rectification deadline must be a date after today (or after `on`)."""
    on = on or timezone.localdate()
    if not isinstance(due, datetime.date) or due <= on:
        raise CaseworkError(_("整改期限必须是今天以后的日期。"), code="due")
    return due


def rectification_public_note(due: datetime.date) -> str:
    return _("已责令生产主体限期整改，整改期限至%(due)s。") % {"due": due.isoformat()}


def follow_up_public_note(passed: bool, new_due: datetime.date | None = None) -> str:
    if passed:
        return _("经复查，整改已到位。")
    return _("经复查，整改尚未到位，已要求继续整改至%(due)s。") % {"due": new_due.isoformat()}


def referral_public_note(agency: str) -> str:
    return _("涉嫌违法，已移送%(agency)s依法处理。") % {"agency": agency}


@transaction.atomic
def rectification_order(*, producer, source=None, requirements: str, due: datetime.date, user=None,
                        ordered_on: datetime.date | None = None) -> Rectification:
    """责令限期整改: open an order for `producer`, from `source` (a complaint, an inspection)."""
    requirements = _text(requirements, _("整改要求"))
    ordered_on = ordered_on or timezone.localdate()
    if ordered_on > timezone.localdate():
        raise CaseworkError(_("下达日期不能晚于今天。"))
    rectification_due_check(due, on=ordered_on)
    order = Rectification(producer=producer, requirements=requirements, due=due, ordered_on=ordered_on,
                          ordered_by=user, ordered_by_name=display_name(user))
    if source is not None:
        order.source = source
    order.save()
    producers_touch(producer_ids=[getattr(producer, "pk", None)])
    return order


@transaction.atomic
def rectification_follow_up(*, rectification: Rectification, passed: bool, findings: str, user=None,
                            new_due: datetime.date | None = None, checked_on: datetime.date | None = None,
                            escalate: bool = False) -> FollowUp:
    """整改复查: passed closes the order; not passed sets a new deadline, or escalates (then refer it)."""
    order = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if order.state != RectificationState.OPEN:
        raise CaseworkError(_("这份整改通知已经结束（%(state)s），不能再复查。") % {"state": order.get_state_display()})
    findings = _text(findings, _("复查情况"))
    checked_on = checked_on or timezone.localdate()
    if checked_on > timezone.localdate():
        raise CaseworkError(_("复查日期不能晚于今天。"))
    if not passed and not escalate and (not isinstance(new_due, datetime.date)
                                        or new_due <= timezone.localdate()):
        raise CaseworkError(_("复查未通过时，请给出新的整改期限（今天以后），或改为移送执法。"))
    follow_up = FollowUp.objects.create(rectification=order, checked_on=checked_on, passed=passed,
                                        findings=findings, new_due=None if passed or escalate else new_due,
                                        checked_by=user, checked_by_name=display_name(user))
    if passed:
        order.state, order.closed_on = RectificationState.DONE, checked_on
    elif escalate:
        order.state, order.closed_on = RectificationState.ESCALATED, checked_on
    else:
        order.due = new_due
    order.save(update_fields=["state", "closed_on", "due"])
    rectification.state, rectification.closed_on, rectification.due = order.state, order.closed_on, order.due
    producers_touch(producer_ids=[order.producer_id])
    return follow_up


@transaction.atomic
def referral_send(*, producer, agency: str, summary: str = "", source=None, user=None,
                  rectification: Rectification | None = None, sent_on: datetime.date | None = None) -> Referral:
    """移送: record that a suspected violation went to `agency`, what was sent and when."""
    agency = _text(agency, _("移送机构"), max_length=100)
    summary = _text(summary, _("移送情况"), required=False)
    sent_on = sent_on or timezone.localdate()
    if sent_on > timezone.localdate():
        raise CaseworkError(_("移送日期不能晚于今天。"))
    referral = Referral(producer=producer, agency=agency, summary=summary, sent_on=sent_on, sent_by=user,
                        sent_by_name=display_name(user), rectification=rectification)
    if source is not None:
        referral.source = source
    referral.save()
    if rectification is not None and rectification.state == RectificationState.OPEN:
        Rectification.objects.filter(pk=rectification.pk).update(state=RectificationState.ESCALATED,
                                                                 closed_on=sent_on)
        rectification.state, rectification.closed_on = RectificationState.ESCALATED, sent_on
    producers_touch(producer_ids=[getattr(producer, "pk", None)])
    return referral
