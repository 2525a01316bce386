"""A rectification order (限期整改) with its follow-ups, and a referral (移送) to the county.

Both belong to a producer and name what they came from (a complaint, an inspection) through a generic
relation, because `casework` sits below the apps that use it and cannot import them.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disclosure.models import Producer


class RectificationState(models.TextChoices):
    OPEN = "open", _("整改中")
    DONE = "done", _("整改到位")
    ESCALATED = "escalated", _("整改不到位，已移送")


class RectificationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=RectificationState.OPEN)

    def overdue(self, on=None):
        return self.open().filter(due__lt=on or timezone.localdate())

    def from_source(self, source):
        return self.filter(source_type=ContentType.objects.get_for_model(source), source_id=source.pk)


class Rectification(models.Model):
    """限期整改: what the producer must put right and by when; follow-ups close or escalate it."""

    producer = models.ForeignKey(Producer, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="rectifications", verbose_name=_("生产主体"))
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    requirements = models.TextField(_("整改要求"), max_length=2000)
    ordered_on = models.DateField(_("下达日期"), default=timezone.localdate)
    due = models.DateField(_("整改期限"))
    state = models.CharField(_("状态"), max_length=12, choices=RectificationState.choices,
                             default=RectificationState.OPEN)
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("下达人"))
    ordered_by_name = models.CharField(_("下达人姓名"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改通知")
        verbose_name_plural = _("整改通知")
        ordering = ["-ordered_on", "-id"]
        indexes = [models.Index(fields=["state", "due"]), models.Index(fields=["source_type", "source_id"])]

    def __str__(self):
        return f"{self.producer or '-'} · {self.due}"

    @property
    def is_overdue(self) -> bool:
        return self.state == RectificationState.OPEN and self.due < timezone.localdate()


class FollowUp(models.Model):
    """整改复查: one follow-up of a rectification, passed or not (then a new deadline or escalation)."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="follow_ups")
    checked_on = models.DateField(_("复查日期"))
    passed = models.BooleanField(_("整改到位"))
    findings = models.TextField(_("复查情况"), max_length=2000)
    new_due = models.DateField(_("新的整改期限"), null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    checked_by_name = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("整改复查")
        verbose_name_plural = _("整改复查")
        ordering = ["checked_on", "id"]

    def __str__(self):
        return f"{self.rectification_id} · {self.checked_on}"


class Referral(models.Model):
    """移送: a suspected violation reported to the county's agriculture department / law enforcement, with
    what was sent and when."""

    producer = models.ForeignKey(Producer, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="referrals", verbose_name=_("生产主体"))
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    rectification = models.ForeignKey(Rectification, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="referrals", verbose_name=_("整改通知"))
    agency = models.CharField(_("移送机构"), max_length=100)
    sent_on = models.DateField(_("移送日期"), default=timezone.localdate)
    summary = models.TextField(_("移送情况"), max_length=2000, blank=True,
                               help_text=_("移送了什么：事实、证据、检测报告等。"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("移送人"))
    sent_by_name = models.CharField(_("移送人姓名"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("移送记录")
        verbose_name_plural = _("移送记录")
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["source_type", "source_id"])]

    def __str__(self):
        return f"{self.agency} · {self.sent_on}"
