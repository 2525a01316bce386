"""Monthly report upward (信息报送, the plan 四(三)): each township's report of a month to the city.

The figures are drafted from the month's records and frozen as JSON when the township submits, so a report
the city accepted never changes afterwards; the township adds its own words. The city returns a report with
a comment or accepts it; every change of status is kept in the report's history.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from disclosure.models import Grid, GridLevel


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已采纳")


EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


class MonthlyReportQuerySet(models.QuerySet):
    def for_month(self, year: int, month: int):
        """The reports of one month."""
        return self.filter(year=year, month=month)

    def reported(self):
        """Reports the township has sent up: submitted or accepted (a returned one waits to be sent again)."""
        return self.filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])


class MonthlyReport(models.Model):
    """乡镇月报: one township's report of one month, with the figures frozen at submission."""

    township = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="monthly_reports",
                                 limit_choices_to={"level": GridLevel.TOWNSHIP}, verbose_name=_("乡镇"))
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    figures = models.JSONField(_("本月数据"), default=dict, blank=True)
    figures_at = models.DateTimeField(_("数据生成时间"), null=True, blank=True)
    work_done = models.TextField(_("工作开展情况"), max_length=4000, blank=True)
    problems = models.TextField(_("存在问题"), max_length=4000, blank=True)
    next_steps = models.TextField(_("下步打算"), max_length=4000, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("报送人"))
    submitted_by_name = models.CharField(_("报送人"), max_length=80, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("审核人"))
    reviewed_by_name = models.CharField(_("审核人"), max_length=80, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("乡镇月报")
        verbose_name_plural = _("乡镇月报")
        ordering = ["-year", "-month", "township__sort_order"]
        constraints = [models.UniqueConstraint(fields=["township", "year", "month"], name="one_report_per_month"),
                       models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12),
                                              name="report_month_1_to_12")]
        permissions = [("submit_monthlyreport", _("可以起草和报送本乡镇的月报")),
                       ("review_monthlyreport", _("可以退回或采纳乡镇月报"))]

    def __str__(self):
        return f"{self.township} {self.year}-{self.month:02d}"

    @property
    def is_editable(self) -> bool:
        """The township may still change its words and refresh the figures."""
        return self.status in EDITABLE_STATUSES

    @property
    def period_label(self) -> str:
        return _("%(year)d年%(month)d月") % {"year": self.year, "month": self.month}


class ReportAction(models.TextChoices):
    DRAFT = "draft", _("起草")
    SUBMIT = "submit", _("报送")
    RETURN = "return", _("退回")
    ACCEPT = "accept", _("采纳")


class MonthlyReportEvent(models.Model):
    """One step in a report's history: who did what, when, with what comment."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=8, choices=ReportAction.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    user_name = models.CharField(_("操作人"), max_length=80, blank=True)
    comment = models.TextField(_("意见"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("月报记录")
        verbose_name_plural = _("月报记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.report} · {self.get_action_display()}"
