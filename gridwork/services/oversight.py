"""Oversight of townships (附件1 第十一条): checks of a township's inspection work and summons (约谈).

Only the city records them; a township sees its own. A summons opens a casework rectification with the
summons as its source and no producer, so its deadline (after the summons day) and its follow-ups —
corrected, a new deadline, or escalated for accountability — follow the same rules as a producer's.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.services import rectification_follow_up, rectification_order
from portal.auth import display_name

from ..models import CheckOutcome, Summons, TownshipCheck
from .scope import require_city


class OversightError(ValidationError):
    """The check or summons cannot be recorded as given; the message says why."""



def _text(value, label, *, max_length, required=True) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise OversightError(_("请填写%(label)s。") % {"label": label})
    if len(value) > max_length:
        raise OversightError(_("%(label)s不能超过%(max)d个字（现在%(n)d个）。")
                             % {"label": label, "max": max_length, "n": len(value)})
    return value


def _past(day, label) -> datetime.date:
    if not isinstance(day, datetime.date):
        raise OversightError(_("请填写%(label)s。") % {"label": label})
    if day > timezone.localdate():
        raise OversightError(_("%(label)s不能晚于今天。") % {"label": label})
    return day


@transaction.atomic
def check_record(*, user, township, checked_on: datetime.date, scope: str, outcome: str,
                 findings: str = "") -> TownshipCheck:
    """监督检查: record the city's check of a township's daily-inspection work."""
    require_city(user, _("对乡镇日常巡查工作的监督检查由市级网格记录。"))
    if township is None or township.level != "township":
        raise OversightError(_("请选择被检查的乡镇。"))
    checked_on = _past(checked_on, _("检查日期"))
    scope = _text(scope, _("检查内容"), max_length=2000)
    if outcome not in CheckOutcome.values:
        raise OversightError(_("请选择检查结论：落实到位或存在问题。"))
    findings = _text(findings, _("发现的问题"), max_length=4000, required=outcome == CheckOutcome.SHORTCOMINGS)
    return TownshipCheck.objects.create(township=township, checked_on=checked_on, scope=scope, findings=findings,
                                        outcome=outcome, checked_by=user, checked_by_name=display_name(user))


@transaction.atomic
def summons_issue(*, user, check: TownshipCheck, held_on: datetime.date, official: str, requirements: str,
                  due: datetime.date, interviewer: str = "") -> Summons:
    """约谈: summon the head of the township's supervision body after a check that found shortcomings, with a
    deadline to correct (the casework rule: a date after the summons day)."""
    require_city(user, _("约谈由市级网格组织。"))
    if check.outcome != CheckOutcome.SHORTCOMINGS:
        raise OversightError(_("这次检查的结论是落实到位，不需要约谈。"))
    held_on = _past(held_on, _("约谈日期"))
    if held_on < check.checked_on:
        raise OversightError(_("约谈日期不能早于检查日期（%(date)s）。") % {"date": check.checked_on.isoformat()})
    official = _text(official, _("被约谈人"), max_length=80)
    interviewer = _text(interviewer or display_name(user), _("约谈人"), max_length=80)
    order = rectification_order(producer=None, requirements=requirements, due=due, user=user, ordered_on=held_on)
    summons = Summons.objects.create(check_record=check, township=check.township, held_on=held_on, official=official,
                                     interviewer=interviewer, rectification=order)
    order.source = summons
    order.save(update_fields=["source_type", "source_id"])
    return summons


def summons_follow_up(*, user, summons: Summons, passed: bool, findings: str, new_due: datetime.date | None = None,
                      checked_on: datetime.date | None = None, escalate: bool = False):
    """整改复查 of a summons: corrected closes it; otherwise a new deadline, or escalation for accountability
    (从严追究相关责任人责任)."""
    require_city(user, _("约谈整改的复查由市级网格记录。"))
    return rectification_follow_up(rectification=summons.rectification, passed=passed, findings=findings, user=user,
                                   new_due=new_due, checked_on=checked_on, escalate=escalate)


def summonses_open(*, townships=None):
    """Summonses whose correction is still open, with their rectification, earliest deadline first."""
    found = Summons.objects.select_related("township", "rectification").filter(
        rectification__state="open").order_by("rectification__due")
    return found if townships is None else found.filter(township__in=townships)

