"""Forms of the consultation-meeting screens: the meeting with its attendees and experts, the problems
discussed (each optionally naming a complaint by its tracking code, an inspection by its record number and
a producer), an action, and marking an action done."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import Complaint
from disclosure.models import Grid, Person, Producer
from inspections.models import Inspection

from ..models import MeetingStatus
from ..services.meetings import ProblemInput, grid_role_holders, meeting_grids

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EXPERT_SPLIT = re.compile(r"\s*[，,、]\s*|\s+")


def people_choices(grids, on) -> list:
    """Grouped checkbox choices: for each convening grid and the grids directly below it, the people
    holding a role there (on the day or today), as (grid name, [(person id, label), …])."""
    below = Grid.objects.filter(models.Q(pk__in=grids) | models.Q(parent__in=grids))
    groups: dict[str, dict[int, str]] = {}
    for a in (grid_role_holders(below, on).select_related("person", "grid", "grid__parent")
              .order_by("grid__level", "grid__sort_order", "grid__code", "person__name")):
        label = a.grid.full_name if a.grid.level == "village" else a.grid.name
        groups.setdefault(label, {}).setdefault(a.person_id, f"{a.person.name}（{a.get_role_display()}）")
    return [(grid, list(people.items())) for grid, people in groups.items()]


def experts_parse(text: str) -> list[tuple[str, str]]:
    """One expert a line, “姓名，单位及职务” (a comma, 、 or spaces between); blank lines are skipped."""
    experts = []
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            parts = EXPERT_SPLIT.split(line, maxsplit=1)
            experts.append((parts[0], parts[1] if len(parts) > 1 else ""))
    return experts


def experts_text(meeting) -> str:
    return "\n".join(f"{a.name}，{a.organisation}" for a in meeting.attendees.all() if a.is_expert)


class MeetingForm(forms.Form):
    grid = forms.ModelChoiceField(label=gettext_lazy("召集网格"), queryset=Grid.objects.none())
    held_on = forms.DateField(label=gettext_lazy("会商日期"), widget=DATE)
    status = forms.ChoiceField(label=gettext_lazy("状态"), choices=MeetingStatus.choices, widget=forms.RadioSelect)
    topic = forms.CharField(label=gettext_lazy("会商主题"), max_length=100)
    place = forms.CharField(label=gettext_lazy("会商地点"), max_length=100)
    chair = forms.CharField(label=gettext_lazy("主持人"), max_length=80)
    people = forms.TypedMultipleChoiceField(
        label=gettext_lazy("网格参会人员"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("召集网格和下一级网格的在岗人员。"))
    experts = forms.CharField(
        label=gettext_lazy("外部专家"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("一行一位：姓名，单位及职务。例如：李示例，市农产品质量安全检测中心高级农艺师"))
    minutes = forms.CharField(label=gettext_lazy("会议纪要"), required=False, max_length=6000,
                              widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, user, on, **kwargs):
        super().__init__(*args, **kwargs)
        grids = meeting_grids(user)
        self.fields["grid"].queryset = grids
        self.fields["people"].choices = people_choices(grids, on)

    def clean_people(self):
        ids = self.cleaned_data["people"]
        found = Person.objects.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    def clean_experts(self):
        return experts_parse(self.cleaned_data["experts"])


class ProblemForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("问题"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))
    complaint = forms.CharField(label=gettext_lazy("投诉举报编号"), required=False, max_length=30,
                                help_text=gettext_lazy("例如 ACDE-FGHJ-KMNP"))
    inspection = forms.CharField(label=gettext_lazy("巡查记录编号"), required=False, max_length=30,
                                 help_text=gettext_lazy("现场检查记录上的编号，如 20260315-128"))
    producer = forms.ModelChoiceField(label=gettext_lazy("生产主体"), required=False, queryset=Producer.objects.none())

    def __init__(self, *args, producers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if producers is not None:
            self.fields["producer"].queryset = producers
        self.fields["producer"].label_from_instance = lambda p: f"{p.name}（{p.village.full_name}）"

    def clean_complaint(self):
        value = self.cleaned_data["complaint"]
        if not value.strip():
            return None
        found = Complaint.objects.numbered(value).first()
        if found is None:
            raise ValidationError(_("没有编号为“%(code)s”的投诉举报（编号如 2026-00123）。") % {"code": value.strip()})
        return found

    def clean_inspection(self):
        value = self.cleaned_data["inspection"].strip()
        if not value:
            return None
        match = re.fullmatch(r"(?:(\d{8})\s*[-－—]\s*)?(\d+)", value)
        found = Inspection.objects.select_related("producer").filter(pk=match.group(2)).first() if match else None
        if found is None or (match.group(1) and found.inspected_on.strftime("%Y%m%d") != match.group(1)):
            raise ValidationError(_("没有编号为“%(number)s”的巡查记录；编号印在现场检查记录上，例如 20260315-128。")
                                  % {"number": value})
        return found

    def as_input(self) -> ProblemInput | None:
        """The row as a ProblemInput, None when the row was left blank."""
        data = self.cleaned_data
        if not (data.get("text", "").strip() or data.get("complaint") or data.get("inspection") or data.get("producer")):
            return None
        return ProblemInput(text=data.get("text", ""), complaint=data.get("complaint"),
                            inspection=data.get("inspection"), producer=data.get("producer"))


ProblemFormSet = forms.formset_factory(ProblemForm, extra=2, max_num=30)


def problem_formset(*, user, data=None, meeting=None):
    """The problems' rows: the recorded ones, then two blank rows."""
    grids = list(meeting_grids(user))
    producers = Producer.objects.none()
    for grid in grids:
        producers = producers | Producer.objects.in_grid(grid)
    producers = producers.select_related("village", "village__parent").order_by("village__parent__sort_order",
                                                                                 "village__sort_order", "name")
    initial = []
    if meeting is not None:
        initial = [{"text": p.text, "complaint": p.complaint.internal_number if p.complaint else "",
                    "inspection": f"{p.inspection.inspected_on:%Y%m%d}-{p.inspection.pk}" if p.inspection else "",
                    "producer": p.producer_id}
                   for p in meeting.problems.select_related("complaint", "inspection")]
    return ProblemFormSet(data, initial=initial, prefix="problems", form_kwargs={"producers": producers})


class ActionForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("议定事项"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=gettext_lazy("责任人"), queryset=Person.objects.none())
    due = forms.DateField(label=gettext_lazy("完成期限"), widget=DATE)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class DoneForm(forms.Form):
    done_on = forms.DateField(label=gettext_lazy("完成日期"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=gettext_lazy("办理结果"), max_length=500)
