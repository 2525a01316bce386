"""Services that change producers and their grades. Keyword-only, one transaction each."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.auth import display_name

from ..models import CreditRating, Grade, Producer, PublicCode, RiskAssessment, RiskLevel


def producer_code_issue() -> str:
    """A fresh public code, recorded so that it is never issued again."""
    return PublicCode.objects.issue()


def normalise_code(code: str) -> str:
    return (code or "").strip().upper()


@transaction.atomic
def rating_set(*, producer: Producer, grade: str, effective_date: datetime.date, basis: str,
               set_by=None, next_review_date: datetime.date | None = None) -> CreditRating:
    """Record a grading decision and make it the producer's current grade. History is kept."""
    errors = {}
    if grade not in Grade.values:
        errors["grade"] = _("信用等级无效。")
    if not (basis or "").strip():
        errors["basis"] = _("请填写评级依据。")
    if effective_date > timezone.localdate():
        errors["effective_date"] = _("生效日期不能晚于今天。")
    if next_review_date and next_review_date <= effective_date:
        errors["next_review_date"] = _("下次复核日期应晚于生效日期。")
    if errors:
        raise ValidationError(errors)
    name = ""
    if set_by is not None:
        name = set_by.get_full_name() or set_by.get_username()
    rating = CreditRating.objects.create(
        producer=producer, grade=grade, effective_date=effective_date, basis=basis.strip(), set_by=set_by,
        set_by_name=name, next_review_date=next_review_date,
    )
    latest = producer.ratings.history().first()
    Producer.objects.filter(pk=producer.pk).update(grade=latest.grade, grade_since=latest.effective_date,
                                                   updated_at=timezone.now())
    producer.grade, producer.grade_since = latest.grade, latest.effective_date
    return rating


@transaction.atomic
def risk_set(*, producer: Producer, level: str, effective_date: datetime.date, reason: str,
             set_by=None) -> RiskAssessment:
    """Record a risk-level decision (高/中/低) and make it the producer's current level. History is kept."""
    errors = {}
    if level not in (RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW):
        errors["level"] = _("风险等级无效，请选择高、中或低。")
    if not (reason or "").strip():
        errors["reason"] = _("请填写评定理由。")
    if not isinstance(effective_date, datetime.date) or effective_date > timezone.localdate():
        errors["effective_date"] = _("评定日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    name = display_name(set_by)
    assessment = RiskAssessment.objects.create(producer=producer, level=level, effective_date=effective_date,
                                               reason=reason.strip()[:1000], set_by=set_by, set_by_name=name)
    latest = producer.risk_assessments.order_by("-effective_date", "-id").first()
    Producer.objects.filter(pk=producer.pk).update(risk_level=latest.level, risk_since=latest.effective_date,
                                                   updated_at=timezone.now())
    producer.risk_level, producer.risk_since = latest.level, latest.effective_date
    return assessment


def producers_touch(*, producer_ids) -> int:
    """Mark producers as changed (their public page's ETag and Last-Modified move on). Apps above this one
    call it when something a page section shows has changed, e.g. a new inspection."""
    ids = [pk for pk in set(producer_ids) if pk]
    return Producer.objects.filter(pk__in=ids).update(updated_at=timezone.now()) if ids else 0
