"""The townships' annual assessment (考核, the plan 五(五)): the city's scheme for a year — indicators from a
fixed catalogue of computable ones (gridwork.services.assessment.CATALOGUE), each with a weight and a target —
and the score each township got, stored with the figures behind it and a copy of the scheme used."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from disclosure.models import Grid, GridLevel


class AssessmentScheme(models.Model):
    """考核方案: a county's indicators for one year (each county of a portal keeps its own and scores its own
    townships). Finalised (定稿), it and the year's scores no longer change."""

    county = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="+", verbose_name=_("县（市）"),
                               limit_choices_to={"level": GridLevel.CITY})
    year = models.PositiveSmallIntegerField(_("年度"))
    finalised_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("定稿人"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("修改人"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year"]
        permissions = [("manage_assessment", _("可以制定考核方案、计算和定稿考核得分"))]
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="one_assessment_scheme_per_county_year")]

    def __str__(self):
        return f"{self.county} {self.year}"

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None


class AssessmentIndicator(models.Model):
    """One indicator of a year's scheme: which figure (a code of the catalogue), its weight and its target."""

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("指标"), max_length=30)
    weight = models.PositiveSmallIntegerField(_("分值"))
    target = models.PositiveSmallIntegerField(_("目标（%）"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="one_indicator_code_per_scheme")]

    def __str__(self):
        return f"{self.scheme.year} {self.code} {self.weight}"


class TownshipScore(models.Model):
    """A township's score for a year, with each indicator's figures (numerator, denominator, points) and the
    scheme as it was when computed (`scheme_snapshot`), so that the score can always be explained."""

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="scores")
    township = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="assessment_scores",
                                 limit_choices_to={"level": GridLevel.TOWNSHIP}, verbose_name=_("乡镇"))
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1)
    rank = models.PositiveSmallIntegerField(_("名次"))
    figures = models.JSONField(_("指标数据"), default=list)
    scheme_snapshot = models.JSONField(_("所用考核方案"), default=list)
    computed_at = models.DateTimeField(_("计算时间"))
    computed_on = models.DateField(_("数据截至"))

    class Meta:
        verbose_name = _("乡镇考核得分")
        verbose_name_plural = _("乡镇考核得分")
        ordering = ["scheme", "rank", "township__sort_order"]
        constraints = [models.UniqueConstraint(fields=["scheme", "township"], name="one_score_per_township_year")]

    def __str__(self):
        return f"{self.township} {self.scheme.year}: {self.score}"
