import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .people import RoleAssignment

# Badge codes: eight upper-case characters without the look-alikes 0/O and 1/I/L, so that a code read off a
# badge is unambiguous; 31⁸ ≈ 8.5 × 10¹¹ codes, too many to guess. They fit QR alphanumeric mode.
BADGE_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BADGE_CODE_LENGTH = 8


def badge_code_new() -> str:
    return "".join(secrets.choice(BADGE_CODE_ALPHABET) for _ in range(BADGE_CODE_LENGTH))


class BadgeState(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已作废")
    ENDED = "ended", _("已离任")
    NOT_STARTED = "not_started", _("尚未任职")


class BadgeQuerySet(models.QuerySet):
    def by_code(self, code: str):
        """The badge with this code, in any letter case (codes are stored in upper case)."""
        return self.filter(code=(code or "").strip().upper())

    def valid(self, on: datetime.date | None = None):
        """Badges that vouch for their holder on a day (today by default): not revoked, and the assignment
        they were issued for is in force."""
        current = RoleAssignment.objects.current(on=on).values("pk")
        return self.filter(revoked_at__isnull=True, assignment__in=current)

    def of_assignment(self, assignment):
        """Every badge issued for an assignment, newest first."""
        return self.filter(assignment=assignment).order_by("-issued_at", "-id")


class Badge(models.Model):
    """A staff badge (统一标识, the plan 四、(五)): a printed card that a grid supervisor or coordinator wears,
    with a QR code to /b/<code>/, which says whether its holder still holds the role it names."""

    assignment = models.ForeignKey(RoleAssignment, on_delete=models.PROTECT, related_name="badges",
                                   verbose_name=_("任职记录"))
    code = models.CharField(_("工作证编号"), max_length=12, unique=True)
    issued_at = models.DateTimeField(_("发证时间"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("发证人"))
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("作废人"))
    revoke_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    objects = BadgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作证")
        verbose_name_plural = _("工作证")
        ordering = ["-issued_at", "-id"]
        permissions = [("print_badges", _("可以登记、打印和作废工作证"))]

    def __str__(self):
        return f"{self.code} · {self.assignment}"

    def get_absolute_url(self) -> str:
        return f"/b/{self.code}/"

    def state(self, on: datetime.date | None = None) -> BadgeState:
        """Whether the badge vouches for its holder on a day (today by default), and if not, why."""
        on = on or timezone.localdate()
        if self.revoked_at is not None:
            return BadgeState.REVOKED
        assignment = self.assignment
        if assignment.end_date is not None and assignment.end_date <= on:
            return BadgeState.ENDED
        if assignment.start_date > on:
            return BadgeState.NOT_STARTED
        return BadgeState.VALID

    @property
    def is_valid(self) -> bool:
        return self.state() == BadgeState.VALID
