"""Consultation meetings (问题会商): the city or a township convenes the grid below it, with outside experts
where useful; problems discussed are linked to complaints, inspections or producers of the convener's area;
decisions become actions with an owner from the grid and a due date, tracked to done.

A township keeps (creates and changes) its own meetings and sees only those; the city sees every meeting and
keeps its own; superusers keep all. Everything is checked before anything is saved.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Complaint
from disclosure.models import Grid, GridLevel, Person, Producer, RoleAssignment
from inspections.models import Inspection

from ..models import Meeting, MeetingAction, MeetingAttendee, MeetingProblem, MeetingStatus
from .scope import GridworkPermissionDenied, counties_for, is_city, townships_for


class MeetingError(ValidationError):
    """The meeting or action cannot be saved as given; the messages say why, by field."""


@dataclass
class ProblemInput:
    """A problem as typed on the form: its text and the records it is about (each optional)."""

    text: str
    complaint: Complaint | None = None
    inspection: Inspection | None = None
    producer: Producer | None = None


def _clean(value) -> str:
    return (value or "").replace("\x00", "").strip()


def _check_text(errors, key, value, label, *, max_length, required=True) -> str:
    value = _clean(value)
    if required and not value:
        errors.setdefault(key, []).append(_("请填写%(label)s。") % {"label": label})
    elif len(value) > max_length:
        errors.setdefault(key, []).append(_("%(label)s不能超过%(max)d个字（现在%(n)d个）。")
                                          % {"label": label, "max": max_length, "n": len(value)})
    return value


# --- scope ---------------------------------------------------------------------------------------------

def meetings_visible(user):
    """The meetings a user may open: all for the city, their own townships' for township staff."""
    return Meeting.objects.visible_to(townships_for(user), counties=counties_for(user)).select_related("grid")


def meeting_grids(user):
    """The grids a user may convene a meeting for: the city grid for the city's staff, their townships for
    township staff, the city and every township for superusers."""
    if user.is_authenticated and user.is_superuser:
        return Grid.objects.exclude(level=GridLevel.VILLAGE).in_tree_order()
    if is_city(user):
        return counties_for(user).filter(level=GridLevel.CITY)
    return townships_for(user)


def can_keep(user, meeting: Meeting) -> bool:
    """True when the user may change this meeting and its actions (its grid is one they convene for)."""
    return meeting_grids(user).filter(pk=meeting.grid_id).exists()


def require_keeper(user, meeting: Meeting) -> None:
    """Raise unless the user may change this meeting."""
    if not can_keep(user, meeting):
        raise GridworkPermissionDenied(_("这次会商由%(grid)s召集，您只能查看。") % {"grid": meeting.grid.name})


def grid_role_holders(grids, on: datetime.date):
    """Role assignments on `grids` in force on the day `on` or today."""
    in_force = RoleAssignment.objects.current(on)
    return RoleAssignment.objects.filter(grid__in=grids).filter(
        models.Q(pk__in=in_force.values("pk")) | models.Q(pk__in=RoleAssignment.objects.current().values("pk")))


def attendee_people(grid: Grid, on: datetime.date | None = None):
    """The grid people who may attend: those holding a role, on the meeting day or today, on the convening
    grid or a grid directly below it."""
    grids = Grid.objects.filter(models.Q(pk=grid.pk) | models.Q(parent=grid))
    ids = grid_role_holders(grids, on or timezone.localdate()).values("person_id")
    return Person.objects.filter(pk__in=ids).order_by("name", "id")


def owner_people(grid: Grid, on: datetime.date | None = None):
    """The people an action may be given to: holders of a role, on the meeting day or today, on the
    convening grid or any grid below it."""
    ids = grid_role_holders(Grid.objects.within(grid), on or timezone.localdate()).values("person_id")
    return Person.objects.filter(pk__in=ids).order_by("name", "id")


def _in_scope(grid: Grid, problem: ProblemInput, held_on: datetime.date | None) -> list[str]:
    """What is wrong with a problem's links: records outside the convener's area, or dated after the meeting."""
    errors = []
    if held_on is not None and problem.complaint is not None and (
            timezone.localdate(problem.complaint.submitted_at) > held_on):
        errors.append(_("投诉举报 %(code)s 是会商之后才收到的。") % {"code": problem.complaint.internal_number})
    if held_on is not None and problem.inspection is not None and problem.inspection.inspected_on > held_on:
        errors.append(_("巡查记录（%(date)s）晚于会商日期。") % {"date": problem.inspection.inspected_on.isoformat()})
    if problem.complaint is not None and not Complaint.objects.in_grid(grid).filter(pk=problem.complaint.pk).exists():
        errors.append(_("投诉举报 %(code)s 不在%(grid)s的范围内。")
                      % {"code": problem.complaint.internal_number, "grid": grid.name})
    if problem.inspection is not None and not problem.inspection.township.path.startswith(grid.path):
        errors.append(_("巡查记录（%(producer)s，%(date)s）不在%(grid)s的范围内。") % {
            "producer": problem.inspection.producer.name, "date": problem.inspection.inspected_on.isoformat(),
            "grid": grid.name})
    if problem.producer is not None and not Producer.objects.in_grid(grid).filter(pk=problem.producer.pk).exists():
        errors.append(_("生产主体“%(name)s”不在%(grid)s的范围内。") % {"name": problem.producer.name, "grid": grid.name})
    return errors


# --- meetings ------------------------------------------------------------------------------------------

@transaction.atomic
def meeting_save(*, user, grid: Grid, held_on: datetime.date, place: str, topic: str, chair: str,
                 status: str = MeetingStatus.PLANNED, minutes: str = "", people=(), experts=(),
                 problems: list[ProblemInput] = (), meeting: Meeting | None = None) -> Meeting:
    """Create or change a meeting with its attendees (grid people and experts as (name, organisation)) and
    the problems discussed; attendees and problems replace what was recorded before."""
    if meeting is not None:
        require_keeper(user, meeting)
    if grid is None or not meeting_grids(user).filter(pk=grid.pk).exists():
        raise GridworkPermissionDenied(_("您不能以%(grid)s的名义召集会商。") % {"grid": getattr(grid, "name", "—")})
    errors: dict[str, list[str]] = {}
    values = {
        "topic": _check_text(errors, "topic", topic, _("会商主题"), max_length=100),
        "place": _check_text(errors, "place", place, _("会商地点"), max_length=100),
        "chair": _check_text(errors, "chair", chair, _("主持人"), max_length=80),
        "minutes": _check_text(errors, "minutes", minutes, _("会议纪要"), max_length=6000, required=False),
    }
    today = timezone.localdate()
    if status not in MeetingStatus.values:
        errors["status"] = [_("请选择会商状态：计划召开或已召开。")]
    has_actions = meeting is not None and meeting.actions.exists()
    if not isinstance(held_on, datetime.date):
        errors["held_on"] = [_("请填写会商日期。")]
    elif held_on.year < 2000 or held_on > today + datetime.timedelta(days=366):
        errors["held_on"] = [_("会商日期应在今后一年之内。")]
    elif status == MeetingStatus.HELD and held_on > today:
        errors["held_on"] = [_("已召开的会商，日期（%(date)s）不能晚于今天。") % {"date": held_on.isoformat()}]
    elif has_actions and meeting.actions.filter(due__lt=held_on).exists():
        errors["held_on"] = [_("已有议定事项的完成期限早于%(date)s，会商日期不能晚于完成期限。")
                             % {"date": held_on.isoformat()}]
    if has_actions and status == MeetingStatus.PLANNED:
        errors["status"] = [_("这次会商已有议定事项，不能改回计划召开。")]
    if has_actions and grid.pk != meeting.grid_id:
        errors["grid"] = [_("这次会商已有议定事项，不能改换召集网格。")]
    day = held_on if isinstance(held_on, datetime.date) else today
    allowed = set(attendee_people(grid, day).values_list("pk", flat=True))
    people = list(dict.fromkeys(people))
    for person in people:
        if person.pk not in allowed:
            errors.setdefault("people", []).append(
                _("%(name)s在会商时没有在%(grid)s或其下一级网格任职，不能作为网格参会人员。")
                % {"name": person.name, "grid": grid.name})
    cleaned_experts = []
    for number, (name, organisation) in enumerate(experts, start=1):
        name, organisation = _clean(name), _clean(organisation)
        if not name or not organisation:
            errors.setdefault("experts", []).append(
                _("第%(n)d位专家请同时填写姓名和单位及职务。") % {"n": number})
        elif len(name) > 50 or len(organisation) > 100:
            errors.setdefault("experts", []).append(
                _("第%(n)d位专家的姓名不能超过50个字，单位及职务不能超过100个字。") % {"n": number})
        else:
            cleaned_experts.append((name, organisation))
    cleaned_problems = []
    for number, problem in enumerate(problems, start=1):
        text = _clean(problem.text)
        if not text:
            errors.setdefault("problems", []).append(_("第%(n)d个问题请填写问题内容。") % {"n": number})
            continue
        if len(text) > 500:
            errors.setdefault("problems", []).append(
                _("第%(n)d个问题不能超过500个字（现在%(len)d个）。") % {"n": number, "len": len(text)})
        errors_here = _in_scope(grid, problem, held_on if status == MeetingStatus.HELD and not errors.get(
            "held_on") else None)
        if errors_here:
            errors.setdefault("problems", []).extend(
                _("第%(n)d个问题：%(error)s") % {"n": number, "error": e} for e in errors_here)
        producer = problem.producer or (problem.inspection.producer if problem.inspection else None)
        cleaned_problems.append(MeetingProblem(text=text, complaint=problem.complaint, inspection=problem.inspection,
                                               producer=producer))
    if errors:
        raise MeetingError(errors)
    meeting = meeting or Meeting(created_by=user)
    meeting.grid, meeting.held_on, meeting.status = grid, held_on, status
    for key, value in values.items():
        setattr(meeting, key, value)
    meeting.save()
    meeting.attendees.all().delete()
    MeetingAttendee.objects.bulk_create(
        [MeetingAttendee(meeting=meeting, person=p) for p in people]
        + [MeetingAttendee(meeting=meeting, name=n, organisation=o) for n, o in cleaned_experts])
    meeting.problems.all().delete()
    for problem in cleaned_problems:
        problem.meeting = meeting
    MeetingProblem.objects.bulk_create(cleaned_problems)
    return meeting


# --- actions -------------------------------------------------------------------------------------------

@transaction.atomic
def action_add(*, user, meeting: Meeting, text: str, owner: Person | None, due: datetime.date) -> MeetingAction:
    """议定事项: a decision or follow-up action of a held meeting, with an owner of the convening grid or a
    grid below it, and a due date not before the meeting."""
    require_keeper(user, meeting)
    errors: dict[str, list[str]] = {}
    if meeting.status != MeetingStatus.HELD:
        raise MeetingError(_("会商召开后才能记录议定事项；请先把会商状态改为已召开。"))
    text = _check_text(errors, "text", text, _("议定事项"), max_length=500)
    if owner is None:
        errors["owner"] = [_("请选择责任人。")]
    elif not owner_people(meeting.grid, meeting.held_on).filter(pk=owner.pk).exists():
        errors["owner"] = [_("%(name)s没有在%(grid)s或其下级网格任职，不能作为责任人。")
                           % {"name": owner.name, "grid": meeting.grid.name}]
    if not isinstance(due, datetime.date):
        errors["due"] = [_("请填写完成期限。")]
    elif due < meeting.held_on:
        errors["due"] = [_("完成期限（%(due)s）不能早于会商日期（%(date)s）。")
                         % {"due": due.isoformat(), "date": meeting.held_on.isoformat()}]
    if errors:
        raise MeetingError(errors)
    return MeetingAction.objects.create(meeting=meeting, text=text, owner=owner, due=due)


@transaction.atomic
def action_done(*, user, action: MeetingAction, done_on: datetime.date, note: str) -> MeetingAction:
    """Mark an action done on a day (not in the future, not before the meeting) with what was done."""
    action = MeetingAction.objects.select_for_update().select_related("meeting", "meeting__grid").get(pk=action.pk)
    require_keeper(user, action.meeting)
    if action.done:
        raise MeetingError(_("这项议定事项已于%(date)s办结。") % {"date": action.done_on.isoformat()})
    errors: dict[str, list[str]] = {}
    note = _check_text(errors, "note", note, _("办理结果"), max_length=500)
    if not isinstance(done_on, datetime.date):
        errors["done_on"] = [_("请填写完成日期。")]
    elif done_on > timezone.localdate():
        errors["done_on"] = [_("完成日期不能晚于今天。")]
    elif done_on < action.meeting.held_on:
        errors["done_on"] = [_("完成日期不能早于会商日期（%(date)s）。") % {"date": action.meeting.held_on.isoformat()}]
    if errors:
        raise MeetingError(errors)
    action.done, action.done_on, action.done_note, action.done_by = True, done_on, note, user
    action.save(update_fields=["done", "done_on", "done_note", "done_by"])
    return action


def actions_overdue(*, user, on: datetime.date | None = None):
    """Open actions past their due date in the meetings a user sees, the longest overdue first."""
    return (MeetingAction.objects.overdue(on).filter(meeting__in=meetings_visible(user))
            .select_related("meeting", "meeting__grid", "owner").order_by("due", "id"))
