"""Summary rows for the levels above the counties: a county's figures for a year, kept current by a
background task whenever the county's data changes (gridwork.services.rollups), so that a prefecture's or
the region's page adds up a row per county instead of counting millions of records."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from disclosure.models import Grid


class CountyFigures(models.Model):
    """A county's year in counts (the same counts as its /results/ page, plus producers and complaints
    received), as of `computed_at`."""

    county = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="+", verbose_name=_("县（市）"))
    year = models.PositiveSmallIntegerField(_("年度"))
    townships = models.PositiveIntegerField(_("乡镇网格"), default=0)
    villages = models.PositiveIntegerField(_("村级网格"), default=0)
    producers = models.PositiveIntegerField(_("公示生产主体"), default=0)
    planned = models.PositiveIntegerField(_("计划巡查"), default=0)
    done = models.PositiveIntegerField(_("完成巡查"), default=0)
    producers_required = models.PositiveIntegerField(_("应巡查生产主体"), default=0)
    producers_covered = models.PositiveIntegerField(_("按频次巡查的生产主体"), default=0)
    rapid_tests = models.PositiveIntegerField(_("快速检测"), default=0)
    positives = models.PositiveIntegerField(_("阳性或疑似"), default=0)
    positives_followed = models.PositiveIntegerField(_("已跟进的阳性或疑似"), default=0)
    complaints_received = models.PositiveIntegerField(_("收到投诉举报"), default=0)
    complaints_closed = models.PositiveIntegerField(_("办结投诉举报"), default=0)
    complaints_on_time = models.PositiveIntegerField(_("按期办结"), default=0)
    # The complaints received in the year as the dashboard counts them (complaints.selectors.complaint_counts):
    # {"by_state": {state: n}, "overdue", "closed_counted", "closed_on_time", "rated", "satisfied"}.
    complaints = models.JSONField(_("投诉举报办理情况"), default=dict, blank=True)
    staff = models.PositiveIntegerField(_("网格人员"), default=0)
    staff_trained = models.PositiveIntegerField(_("已培训人员"), default=0)
    computed_at = models.DateTimeField(_("统计时间"))

    class Meta:
        verbose_name = _("县（市）年度统计")
        verbose_name_plural = _("县（市）年度统计")
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="county_figures_once_a_year")]
        indexes = [models.Index(fields=["year", "county"])]

    def __str__(self):
        return f"{self.county} {self.year}"
