"""The morning reminder of deadlines (期限提醒), sent by `manage.py daily_jobs` on working days.

One e-mail per staff member, listing the complaints whose deadline (acceptance while waiting, finishing
while in hand) is today or the next working day, or has passed: the ones assigned to them, and for those
who triage a township's (or the city's) queue, the ones nobody has been assigned yet. Like every staff
e-mail it carries internal numbers and links, never a reporter's identity.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from disclosure.models import Grid
from portal.workdays import add_working_days, is_working_day

from . import conf
from .models import Complaint, State
from .selectors import role_holders_with

logger = logging.getLogger(__name__)


@dataclass
class Reminder:
    user: object
    overdue: list
    due_soon: list


def deadline_reminders(*, on: datetime.date | None = None) -> list[Reminder]:
    """Who gets reminded of what on `on` (today by default): nothing on a rest day."""
    on = on or timezone.localdate()
    if not is_working_day(on):
        return []
    horizon = add_working_days(on, 1)
    pressing = (Complaint.objects.open().filter(due_on__lte=horizon)
                .select_related("grid", "grid__parent", "township", "assignee").order_by("due_on", "id"))
    complaints = list(pressing)
    unassigned = [c for c in complaints if c.assignee_id is None or c.state == State.SUBMITTED]
    county_of = Grid.objects.county_ids({c.grid for c in unassigned})
    triagers = role_holders_with({*(c.township_id for c in unassigned if c.township_id), *county_of.values()},
                                 "complaints.triage_complaint")
    lists: dict[int, Reminder] = {}

    def add(user, complaint):
        if not user.email:
            return
        reminder = lists.setdefault(user.pk, Reminder(user, [], []))
        target = reminder.overdue if complaint.due_on < on else reminder.due_soon
        if complaint not in target:
            target.append(complaint)

    for complaint in complaints:
        if complaint.assignee_id and complaint.state != State.SUBMITTED:
            if complaint.assignee.is_active:
                add(complaint.assignee, complaint)
        else:
            for user in triagers.get(complaint.township_id, []) or triagers.get(county_of.get(complaint.grid_id), []):
                add(user, complaint)
    return sorted(lists.values(), key=lambda r: r.user.pk)


def _line(complaint, on: datetime.date) -> str:
    stage = _("受理期限") if complaint.state == State.SUBMITTED else _("办结期限")
    url = settings.PORTAL_BASE_URL + conf.get("COMPLAINTS_ADMIN_URL").format(id=complaint.pk)
    return _("· %(number)s %(category)s（%(grid)s）%(stage)s %(due)s  %(url)s") % {
        "number": complaint.internal_number, "category": complaint.get_category_display(),
        "grid": complaint.grid.full_name, "stage": stage, "due": complaint.due_on.isoformat(), "url": url}


def deadline_reminders_send(*, on: datetime.date | None = None) -> int:
    """Send the morning's reminders; returns how many e-mails went out. A failing mail server is logged,
    never raised (the other daily jobs still run)."""
    on = on or timezone.localdate()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for reminder in deadline_reminders(on=on):
            user = reminder.user
            lines = [_("%(name)s：") % {"name": user.get_full_name() or user.get_username()}, ""]
            if reminder.overdue:
                lines += [_("已超过期限（%(n)d 件）：") % {"n": len(reminder.overdue)}]
                lines += [_line(c, on) for c in reminder.overdue] + [""]
            if reminder.due_soon:
                lines += [_("今天或下一个工作日到期（%(n)d 件）：") % {"n": len(reminder.due_soon)}]
                lines += [_line(c, on) for c in reminder.due_soon] + [""]
            lines += [_("反映人身份信息依法保密，请勿在邮件中转发。")]
            subject = _("【期限提醒】%(overdue)d 件已超期，%(soon)d 件即将到期") % {
                "overdue": len(reminder.overdue), "soon": len(reminder.due_soon)}
            try:
                send_mail(subject, "\n".join(lines), None, [user.email], fail_silently=False)
                sent += 1
            except Exception:
                logger.exception("deadline reminder to user %s failed", user.pk)
    return sent
