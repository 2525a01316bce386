"""Services that change producers and their grades. Keyword-only, one transaction each."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import frontcache
from portal.auth import display_name
from portal.text import clean_text

from ..models import CreditRating, Grade, Producer, ProducerStatement, PublicCode, RiskAssessment, RiskLevel
from ..models.ratings import STATEMENT_MAX


def producer_code_issue() -> str:
    """A fresh public code, recorded so that it is never issued again."""
    return PublicCode.objects.issue()


def normalise_code(code: str) -> str:
    return (code or "").strip().upper()


def producer_paths(code: str) -> list[str]:
    """The public addresses that show a producer's facts: its page (as typed and as the QR code's
    uppercase scan form; the front cache drops the lowercase spelling and every ?s= with them), the
    directory and the open-data API."""
    code = normalise_code(code)
    return [f"/p/{code}/", f"/P/{code}/", "/producers/", f"/api/v1/producers/{code}/", "/api/v1/producers/"]


def producer_pages_purge(*, codes) -> None:
    """Drop the producers' public pages from the front cache once the change is committed, so a new
    grade or fact shows within seconds (portal.frontcache; nothing happens without a front cache)."""
    if frontcache.enabled():  # `codes` may be a query: not run without a front cache
        frontcache.purge_paths([path for code in set(codes) if code for path in producer_paths(code)])


def producer_saved(instance, **kwargs) -> None:
    """Signal receiver: a producer saved or deleted (the back office, a registry import) leaves the front
    cache; the services above purge for what they change through updates."""
    producer_pages_purge(codes=[instance.code])


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
    producer_pages_purge(codes=[producer.code])
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
    producer_pages_purge(codes=[producer.code])
    return assessment


def producers_touch(*, producer_ids) -> int:
    """Mark producers as changed (their public page's ETag and Last-Modified move on). Apps above this one
    call it when something a page section shows has changed, e.g. a new inspection."""
    ids = [pk for pk in set(producer_ids) if pk]
    if not ids:
        return 0
    producer_pages_purge(codes=Producer.objects.filter(pk__in=ids).values_list("code", flat=True))
    return Producer.objects.filter(pk__in=ids).update(updated_at=timezone.now())


# A review (复核) has no term in the plan; the page tells the public when one is expected to end: the
# review's own next-review date when staff set one, else this many days after it began.
REVIEW_EXPECTED_DAYS = 30
GRADES_HELD = (Grade.A, Grade.B, Grade.C)


@dataclass
class GradeStory:
    """What the public page says about a producer's grade: the grade that stands, what it rests on, its
    history and the next review; during a review (复核中) the grade under review keeps being shown."""

    shown: str                              # the grade shown (the held grade during a review)
    since: datetime.date | None = None       # the date of the decision that set the shown grade
    basis: str = ""                          # the basis of that decision
    history: list = field(default_factory=list)   # CreditRating, newest first
    next_review: datetime.date | None = None
    review_since: datetime.date | None = None
    review_until: datetime.date | None = None

    @property
    def under_review(self) -> bool:
        return self.review_since is not None


def grade_story(*, producer: Producer, limit: int = 12) -> GradeStory:
    """The grade story from the producer's rating history (one query)."""
    history = list(producer.ratings.history()[:limit])
    current = history[0] if history else None
    grade = producer.grade or Grade.UNRATED
    if current is None:
        return GradeStory(shown=grade)
    if current.grade == Grade.REVIEW:
        # The decision under review: the latest one before the review, if it gave a grade.
        held = next((r for r in history if r.grade != Grade.REVIEW), None)
        held = held if held is not None and held.grade in GRADES_HELD else None
        until = current.next_review_date or current.effective_date + datetime.timedelta(days=REVIEW_EXPECTED_DAYS)
        return GradeStory(shown=held.grade if held else Grade.REVIEW, since=held.effective_date if held else None,
                          basis=held.basis if held else "",
                          history=history, next_review=None, review_since=current.effective_date,
                          review_until=until)
    upcoming = current.next_review_date and current.next_review_date >= timezone.localdate()
    return GradeStory(shown=current.grade, since=current.effective_date,
                      basis=current.basis if current.grade in GRADES_HELD else "", history=history,
                      next_review=current.next_review_date if upcoming else None)


@transaction.atomic
def statement_publish(*, producer: Producer, text: str, stated_on: datetime.date, by=None) -> ProducerStatement:
    """Publish the producer's statement about its grade or an inspection (it replaces the one shown)."""
    errors = {}
    try:
        text = clean_text(text, label=_("说明内容"), max_length=STATEMENT_MAX, required=True, multiline=True)
    except ValidationError as exc:
        errors["text"] = exc.messages
    if not isinstance(stated_on, datetime.date) or stated_on > timezone.localdate():
        errors["stated_on"] = _("说明日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    statement = ProducerStatement.objects.create(producer=producer, text=text, stated_on=stated_on,
                                                 entered_by=by, entered_by_name=display_name(by))
    Producer.objects.filter(pk=producer.pk).update(updated_at=timezone.now())
    producer_pages_purge(codes=[producer.code])
    return statement


@transaction.atomic
def statement_withdraw(*, producer: Producer) -> int:
    """Take the producer's statements off the public page (they stay in the history)."""
    count = producer.statements.filter(withdrawn=False).update(withdrawn=True)
    Producer.objects.filter(pk=producer.pk).update(updated_at=timezone.now())
    producer_pages_purge(codes=[producer.code])
    return count


def statement_shown(producer: Producer) -> ProducerStatement | None:
    return producer.statements.filter(withdrawn=False).order_by("-stated_on", "-id").first()
