from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .producers import Producer, RiskLevel


class Grade(models.TextChoices):
    """Credit grades of the signboard (信用情况) plus the two states before and between grades."""

    A = "A", _("A 较好")
    B = "B", _("B 重点监控名单")
    C = "C", _("C 黑名单")
    UNRATED = "unrated", _("未评级")
    REVIEW = "review", _("复核中")


# What each grade means, in words, for the public page and the signboard (never colour alone).
GRADE_MEANING = {
    Grade.A: _("信用较好：近期监管检查和抽检未发现质量安全问题。"),
    Grade.B: _("列入重点监控名单：存在质量安全风险或问题，监管部门加大巡查和抽检频次。"),
    Grade.C: _("列入黑名单：存在严重违法违规行为，监管部门依法从严监管。"),
    Grade.UNRATED: _("尚未评级：监管部门还没有对该生产主体作出信用评级。"),
    Grade.REVIEW: _("复核中：该生产主体对评级提出了异议或正在重新评定，结果确定前暂不显示等级。"),
}

GRADE_SHORT = {
    Grade.A: _("较好"), Grade.B: _("重点监控名单"), Grade.C: _("黑名单"),
    Grade.UNRATED: _("未评级"), Grade.REVIEW: _("复核中"),
}


# What the date of the current grade is called on the page, the directory and the sign. An unrated
# producer has no date to give (未评级 beside a 评级日期 would read as a grade given that day).
GRADE_DATE_LABEL = {
    Grade.A: _("评级日期"), Grade.B: _("评级日期"), Grade.C: _("评级日期"),
    Grade.REVIEW: _("复核开始日期"), Grade.UNRATED: None,
}

# How a producer objects to its grade (异议). The plan sets no period; 15 working days is the usual term
# for administrative objections in the region and is easy to change here (see docs/producers.md).
OBJECTION_WORKING_DAYS = 15

# The letter printed in the blank of "信用情况 __类" on the signboard.
GRADE_LETTER = {Grade.A: "A", Grade.B: "B", Grade.C: "C", Grade.UNRATED: "", Grade.REVIEW: ""}


def grade_label(grade: str) -> str:
    """The grade in words, e.g. "A 较好"; unknown values are returned unchanged."""
    try:
        return str(Grade(grade).label)
    except ValueError:
        return grade


class CreditRatingQuerySet(models.QuerySet):
    def history(self):
        """Newest decision first; the first one is the producer's current grade."""
        return self.order_by("-effective_date", "-id")


class CreditRating(models.Model):
    """One grading decision (信用评级): grade, effective date, basis, who set it, next review. Never edited."""

    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="ratings",
                                 verbose_name=_("生产主体"))
    grade = models.CharField(_("信用等级"), max_length=10, choices=Grade.choices)
    effective_date = models.DateField(_("生效日期"))
    basis = models.TextField(_("评级依据"), max_length=1000)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("评级人"))
    set_by_name = models.CharField(_("评级人姓名"), max_length=80, blank=True)
    next_review_date = models.DateField(_("下次复核日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = CreditRatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("信用评级")
        verbose_name_plural = _("信用评级")
        ordering = ["-effective_date", "-id"]

    def __str__(self):
        return f"{self.producer} · {self.grade} · {self.effective_date}"


class RiskAssessment(models.Model):
    """One risk-level decision (风险等级评定): level, date, reason, who. Never edited; the newest is current."""

    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="risk_assessments",
                                 verbose_name=_("生产主体"))
    level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices)
    effective_date = models.DateField(_("评定日期"))
    reason = models.TextField(_("评定理由"), max_length=1000)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("评定人"))
    set_by_name = models.CharField(_("评定人姓名"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("风险等级评定")
        verbose_name_plural = _("风险等级评定")
        ordering = ["-effective_date", "-id"]

    def __str__(self):
        return f"{self.producer} · {self.get_level_display()} · {self.effective_date}"


STATEMENT_MAX = 300


class ProducerStatement(models.Model):
    """A producer's own short statement about its grade or an inspection (right to reply, 生产主体的说明),
    entered by township staff for the producer and shown beside the grade with its date. Never edited: a
    new statement replaces the one shown; withdrawing hides it. History is kept."""

    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="statements",
                                 verbose_name=_("生产主体"))
    text = models.TextField(_("说明内容"), max_length=STATEMENT_MAX)
    stated_on = models.DateField(_("说明日期"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("录入人"))
    entered_by_name = models.CharField(_("录入人姓名"), max_length=80, blank=True)
    withdrawn = models.BooleanField(_("已撤下"), default=False)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("生产主体的说明")
        verbose_name_plural = _("生产主体的说明")
        ordering = ["-stated_on", "-id"]

    def __str__(self):
        return f"{self.producer} · {self.stated_on}"
