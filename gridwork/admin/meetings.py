"""Back office: consultation meetings (问题会商) — the year's meetings with overdue actions at the top, a
meeting's page (attendees, problems with links to their records, actions tracked to done), its form, and the
printable minutes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.forms import form_errors_add
from portal.pdf import pdf_response

from ..models import MeetingStatus
from ..services.meetings import (
    action_add,
    action_done,
    actions_overdue,
    can_keep,
    meeting_grids,
    meeting_save,
    meetings_visible,
    owner_people,
)
from ..services.minutes import attendee_posts, minutes_pdf
from .base import GridworkPage, year_choices, year_from
from .meeting_forms import ActionForm, DoneForm, MeetingForm, experts_text, problem_formset

VIEW = "gridwork.view_meeting"


def _crumbs(year=None):
    url = reverse("gridwork:meetings")
    return [{"url": f"{url}?year={year}" if year else url, "label": _("问题会商")}]




class MeetingIndexView(GridworkPage):
    """问题会商: overdue actions first, then the year's meetings with their open and overdue actions."""

    template_name = "gridwork/meetings/index.html"
    title = gettext_lazy("问题会商")
    icon = "comment"
    permission = VIEW

    def get(self, request):
        year = year_from(request)
        if not meeting_grids(request.user).exists():
            raise PermissionDenied
        meetings = meetings_visible(request.user).in_year(year).annotate_actions()
        today = timezone.localdate()
        overdue = list(actions_overdue(user=request.user, on=today))
        for action in overdue:
            action.days_late = (today - action.due).days
        return self.page(request, {
            "year": year, "years": year_choices(year), "meetings": meetings, "overdue": overdue, "today": today,
            "can_add": request.user.has_perm("gridwork.add_meeting")})


class MeetingFormView(GridworkPage):
    """A new meeting, or changes to one the user keeps: facts, attendees, experts and problems."""

    template_name = "gridwork/meetings/form.html"
    icon = "edit"
    permission = "gridwork.add_meeting"

    def setup(self, request, *args, pk=None, **kwargs):
        super().setup(request, *args, **kwargs)
        self.pk = pk

    def get_meeting(self):
        if self.pk is None:
            return None
        meeting = get_object_or_404(meetings_visible(self.request.user), pk=self.pk)
        if not can_keep(self.request.user, meeting):
            raise PermissionDenied
        return meeting

    def render(self, request, form, problems, meeting, status=200):
        title = _("修改会商") if meeting else _("新增会商")
        return self.page(request, {"form": form, "problems": problems, "meeting": meeting, "page_title": title},
                         status=status, crumbs=_crumbs())

    def get(self, request, pk=None):
        meeting = self.get_meeting()
        if meeting:
            initial = {k: getattr(meeting, k) for k in ("grid", "held_on", "status", "topic", "place", "chair",
                                                          "minutes")}
            initial["people"] = [a.person_id for a in meeting.attendees.all() if a.person_id]
            initial["experts"] = experts_text(meeting)
        else:
            grids = meeting_grids(request.user)
            initial = {"held_on": timezone.localdate(), "status": MeetingStatus.PLANNED,
                       "grid": grids.first() if grids.count() == 1 else None}
        on = meeting.held_on if meeting else timezone.localdate()
        form = MeetingForm(initial=initial, user=request.user, on=on)
        return self.render(request, form, problem_formset(user=request.user, meeting=meeting), meeting)

    def post(self, request, pk=None):
        meeting = self.get_meeting()
        form = MeetingForm(request.POST, user=request.user,
                           on=meeting.held_on if meeting else timezone.localdate())
        problems = problem_formset(user=request.user, data=request.POST, meeting=meeting)
        if form.is_valid() and problems.is_valid():
            data = form.cleaned_data
            try:
                meeting = meeting_save(
                    user=request.user, meeting=meeting, grid=data["grid"], held_on=data["held_on"],
                    status=data["status"], topic=data["topic"], place=data["place"], chair=data["chair"],
                    minutes=data["minutes"], people=data["people"], experts=data["experts"],
                    problems=[p for p in (f.as_input() for f in problems) if p is not None])
            except ValidationError as exc:
                form_errors_add(form, exc)
            else:
                messages.success(request, _("会商“%(topic)s”已保存。") % {"topic": meeting.topic})
                return redirect("gridwork:meeting", pk=meeting.pk)
        return self.render(request, form, problems, meeting, status=400)


class MeetingView(GridworkPage):
    """A meeting: its facts, attendees, problems with links, and actions with the forms to add one and to
    mark one done."""

    template_name = "gridwork/meetings/meeting.html"
    icon = "comment"
    permission = VIEW

    def get_meeting(self, request, pk):
        return get_object_or_404(meetings_visible(request.user), pk=pk)

    def context(self, request, meeting, *, action_form=None, done_forms=None):
        keeper = can_keep(request.user, meeting)
        owners = owner_people(meeting.grid, meeting.held_on)
        actions = list(meeting.actions.select_related("owner"))
        for action in actions:
            action.form = (done_forms or {}).get(action.pk) or DoneForm(prefix=f"a{action.pk}")
        attendees = list(meeting.attendees.select_related("person"))
        posts = attendee_posts(meeting, [a.person for a in attendees if not a.is_expert])
        for a in attendees:
            a.post = posts.get(a.person_id) or (a.person.position if a.person_id else "")
        return {
            "meeting": meeting, "keeper": keeper, "actions": actions, "today": timezone.localdate(),
            "people": [a for a in attendees if not a.is_expert], "experts": [a for a in attendees if a.is_expert],
            "problems": meeting.problems.select_related("complaint", "inspection", "producer",
                                                        "producer__village"),
            "can_edit": keeper and request.user.has_perm("gridwork.change_meeting"),
            "can_act": keeper and request.user.has_perm("gridwork.add_meetingaction")
            and meeting.status == MeetingStatus.HELD,
            "action_form": action_form or ActionForm(owners=owners, prefix="new"),
            "page_title": meeting.topic,
        }

    def get(self, request, pk):
        meeting = self.get_meeting(request, pk)
        return self.page(request, self.context(request, meeting), crumbs=_crumbs(meeting.held_on.year))

    def post(self, request, pk):
        meeting = self.get_meeting(request, pk)
        if not (can_keep(request.user, meeting) and request.user.has_perm("gridwork.add_meetingaction")):
            raise PermissionDenied
        if "done" in request.POST:
            action = get_object_or_404(meeting.actions, pk=request.POST.get("done"))
            form = DoneForm(request.POST, prefix=f"a{action.pk}")
            if form.is_valid():
                try:
                    action_done(user=request.user, action=action, done_on=form.cleaned_data["done_on"],
                                note=form.cleaned_data["note"])
                except ValidationError as exc:
                    form_errors_add(form, exc)
                else:
                    messages.success(request, _("“%(text)s”已办结。") % {"text": action.text})
                    return redirect("gridwork:meeting", pk=meeting.pk)
            return self.page(request, self.context(request, meeting, done_forms={action.pk: form}), status=400,
                             crumbs=_crumbs(meeting.held_on.year))
        form = ActionForm(request.POST, owners=owner_people(meeting.grid, meeting.held_on), prefix="new")
        if form.is_valid():
            try:
                action = action_add(user=request.user, meeting=meeting, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_add(form, exc)
            else:
                messages.success(request, _("议定事项已记录，责任人%(owner)s，%(due)s前完成。")
                                 % {"owner": action.owner.name, "due": action.due.isoformat()})
                return redirect("gridwork:meeting", pk=meeting.pk)
        return self.page(request, self.context(request, meeting, action_form=form), status=400,
                         crumbs=_crumbs(meeting.held_on.year))


class MinutesPdfView(View):
    """会商纪要 as a PDF, for whoever may open the meeting."""

    def get(self, request, pk):
        if not request.user.is_authenticated or not request.user.has_perm(VIEW):
            raise PermissionDenied
        meeting = get_object_or_404(meetings_visible(request.user), pk=pk)
        return pdf_response(minutes_pdf(meeting), f"meeting-{meeting.held_on:%Y%m%d}-{meeting.pk}.pdf")
