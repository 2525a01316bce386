from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .producers import Producer


class SignboardQuerySet(models.QuerySet):
    def latest_for(self, producer):
        """The producer's most recently registered sign, or None."""
        return self.filter(producer=producer).order_by("-serial").first()

    def of_producer(self, producer):
        """Every sign registered for a producer, newest first."""
        return self.filter(producer=producer).order_by("-serial")


class Signboard(models.Model):
    """A printed signboard (公示牌): its serial, issue date, and the facts as printed, to tell later scans
    of a replaced sign what has changed since."""

    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="signboards",
                                 verbose_name=_("生产主体"))
    serial = models.PositiveIntegerField(_("编号"), unique=True)
    issued_on = models.DateField(_("印制日期"))
    grade_shown = models.CharField(_("所印信用等级"), max_length=10)
    paper = models.CharField(_("纸张"), max_length=4, default="A3")
    printed_facts = models.JSONField(_("所印信息"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = SignboardQuerySet.as_manager()

    class Meta:
        verbose_name = _("公示牌")
        verbose_name_plural = _("公示牌")
        ordering = ["-serial"]

    def __str__(self):
        return f"No.{self.serial_display} · {self.producer}"

    @property
    def is_specimen(self) -> bool:
        """An unregistered preview (样张) of a sign with today's facts: no serial, never saved."""
        return self.pk is None and not self.serial

    @property
    def serial_display(self) -> str:
        return f"{self.serial:06d}"
