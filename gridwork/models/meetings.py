"""Consultation meetings (问题会商, the plan 四(四)): the city or a township grid convenes the grid below it,
with outside experts where useful, to discuss problems (linked to complaints, inspections or producers) and
decide follow-up actions, each with an owner and a due date, tracked to done."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disclosure.models import Grid, Person


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("计划召开")
    HELD = "held", _("已召开")


class MeetingQuerySet(models.QuerySet):
    def in_year(self, year: int):
        """Meetings dated in a calendar year."""
        return self.filter(held_on__year=year)

    def visible_to(self, townships, *, counties):
        """What a user sees: their townships' meetings, and the meetings of the county grids they are staff of
        (`counties`: none for township staff)."""
        return self.filter(models.Q(grid__in=townships) | models.Q(grid__in=counties))

    def annotate_actions(self, on: datetime.date | None = None):
        """With action_count, open_count and overdue_count (open and due before `on`, today by default)."""
        on = on or timezone.localdate()
        return self.annotate(
            action_count=models.Count("actions", distinct=True),
            open_count=models.Count("actions", filter=models.Q(actions__done=False), distinct=True),
            overdue_count=models.Count("actions", filter=models.Q(actions__done=False, actions__due__lt=on),
                                       distinct=True),
            problem_count=models.Count("problems", distinct=True))


class Meeting(models.Model):
    """问题会商: a meeting convened by the city or a township grid."""

    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("召集网格"))
    held_on = models.DateField(_("会商日期"))
    place = models.CharField(_("会商地点"), max_length=100)
    topic = models.CharField(_("会商主题"), max_length=100)
    chair = models.CharField(_("主持人"), max_length=80)
    minutes = models.TextField(_("会议纪要"), max_length=6000, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题会商")
        verbose_name_plural = _("问题会商")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self):
        return f"{self.held_on} {self.topic}"


class MeetingAttendee(models.Model):
    """One attendee: a person of the grid (from the registry of grid people) or an outside expert typed as
    a name with an organisation and title."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("网格人员"))
    name = models.CharField(_("专家姓名"), max_length=50, blank=True)
    organisation = models.CharField(_("单位及职务"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], condition=models.Q(person__isnull=False),
                                    name="meeting_attendee_once"),
            models.CheckConstraint(condition=models.Q(person__isnull=False) | ~models.Q(name=""),
                                   name="meeting_attendee_person_or_expert"),
        ]

    @property
    def is_expert(self) -> bool:
        return self.person_id is None

    def __str__(self):
        return self.person.name if self.person_id else self.name


class MeetingProblem(models.Model):
    """A problem discussed, optionally linked to a complaint, an inspection and a producer."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="problems")
    text = models.CharField(_("问题"), max_length=500)
    complaint = models.ForeignKey("complaints.Complaint", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("相关投诉举报"))
    inspection = models.ForeignKey("inspections.Inspection", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("相关巡查记录"))
    producer = models.ForeignKey("disclosure.Producer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("相关生产主体"))

    class Meta:
        verbose_name = _("会商问题")
        verbose_name_plural = _("会商问题")
        ordering = ["id"]

    def __str__(self):
        return self.text


class MeetingActionQuerySet(models.QuerySet):
    def open(self):
        """Actions not yet done."""
        return self.filter(done=False)

    def overdue(self, on: datetime.date | None = None):
        """Open actions whose due date is before `on` (today by default)."""
        return self.open().filter(due__lt=on or timezone.localdate())


class MeetingAction(models.Model):
    """议定事项: a decision or follow-up action with its owner (a person of the grid) and a due date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("议定事项"), max_length=500)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="meeting_actions",
                              verbose_name=_("责任人"))
    due = models.DateField(_("完成期限"))
    done = models.BooleanField(_("已完成"), default=False)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_note = models.CharField(_("办理结果"), max_length=500, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["done", "due"])]

    def __str__(self):
        return self.text

    @property
    def is_overdue(self) -> bool:
        return not self.done and self.due < timezone.localdate()
