"""Training (培训, the plan 三、工作目标: 网格监管员年度培训全覆盖): sessions, their materials and who attended."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from disclosure.models import Grid, Person


class TrainingSessionQuerySet(models.QuerySet):
    def in_year(self, year: int):
        """Sessions held in a calendar year."""
        return self.filter(held_on__year=year)

    def visible_to(self, townships, *, counties):
        """What a user sees: their townships' sessions, the sessions of the county grids they are staff of
        (`counties`), and for township staff their county's own sessions (which they attend)."""
        return self.filter(models.Q(grid__in=townships) | models.Q(grid__in=counties)
                           | models.Q(grid__level="city", grid__children__in=townships)).distinct()

    def annotate_counts(self):
        """With present_count and attendance_count (every mark) per session."""
        return self.annotate(
            present_count=models.Count("attendances", filter=models.Q(attendances__status="present"), distinct=True),
            attendance_count=models.Count("attendances", distinct=True))


class TrainingSession(models.Model):
    """培训: a training session held by the city or a township grid."""

    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="training_sessions",
                             verbose_name=_("主办网格"))
    held_on = models.DateField(_("培训日期"))
    topic = models.CharField(_("培训主题"), max_length=100)
    trainer = models.CharField(_("授课人"), max_length=100)
    place = models.CharField(_("培训地点"), max_length=100)
    note = models.TextField(_("备注"), max_length=1000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self):
        return f"{self.held_on} {self.topic}"


class TrainingMaterial(models.Model):
    """A file handed out or shown at a session (课件、讲义), kept as a Wagtail document."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="materials")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("培训资料"))

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return str(self.document)


class Presence(models.TextChoices):
    PRESENT = "present", _("出席")
    ABSENT = "absent", _("缺席")
    EXCUSED = "excused", _("请假")


class Attendance(models.Model):
    """One person's attendance at a session. `without_role` flags someone who held no grid role in the
    session's year (allowed: a newcomer may be trained before taking a post)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances",
                               verbose_name=_("人员"))
    status = models.CharField(_("出勤"), max_length=8, choices=Presence.choices)
    without_role = models.BooleanField(_("当年无网格岗位"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("培训出勤")
        verbose_name_plural = _("培训出勤")
        ordering = ["person__name", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="one_attendance_per_person")]

    def __str__(self):
        return f"{self.session} · {self.person.name} · {self.get_status_display()}"
