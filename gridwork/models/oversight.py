"""Oversight of townships (附件1 第十条、第十一条): the city checks a township's daily-inspection work and,
where it falls short, summons (约谈) the head of the township's supervision body with a deadline to correct.

A summons's deadline and follow-ups are a casework Rectification (限期整改) with the township's summons as
its source and no producer, so the same deadline and follow-up rules apply as for a producer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models import Rectification
from disclosure.models import Grid, GridLevel


class CheckOutcome(models.TextChoices):
    SATISFACTORY = "satisfactory", _("落实到位")
    SHORTCOMINGS = "shortcomings", _("存在问题")


class TownshipCheck(models.Model):
    """监督检查: the city's check of a township's daily-inspection work, with what was found."""

    township = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="oversight_checks",
                                 limit_choices_to={"level": GridLevel.TOWNSHIP}, verbose_name=_("乡镇"))
    checked_on = models.DateField(_("检查日期"))
    scope = models.TextField(_("检查内容"), max_length=2000)
    findings = models.TextField(_("发现的问题"), max_length=4000, blank=True)
    outcome = models.CharField(_("检查结论"), max_length=14, choices=CheckOutcome.choices)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    checked_by_name = models.CharField(_("检查人"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("乡镇监督检查")
        verbose_name_plural = _("乡镇监督检查")
        ordering = ["-checked_on", "-id"]

    def __str__(self):
        return f"{self.township} {self.checked_on}"


class Summons(models.Model):
    """约谈: the head of a township's supervision body summoned after a check, with a deadline to correct."""

    check_record = models.ForeignKey(TownshipCheck, on_delete=models.PROTECT, related_name="summonses",
                                     verbose_name=_("监督检查"))
    township = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="summonses", verbose_name=_("乡镇"))
    held_on = models.DateField(_("约谈日期"))
    official = models.CharField(_("被约谈人"), max_length=80, help_text=_("乡镇监管机构主要负责人的姓名和职务。"))
    interviewer = models.CharField(_("约谈人"), max_length=80)
    rectification = models.OneToOneField(Rectification, on_delete=models.PROTECT, related_name="summons",
                                         verbose_name=_("限期整改"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("约谈")
        verbose_name_plural = _("约谈")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.township} {self.held_on}"
