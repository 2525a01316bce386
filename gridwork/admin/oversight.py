"""Back office: oversight of townships (乡镇监督检查与约谈). The city records checks, summonses and their
follow-ups; a township sees its own checks and what it must correct by when."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.services import rectification_due_default
from portal.forms import form_errors_add

from ..models import CheckOutcome, Summons, TownshipCheck
from ..services.oversight import check_record, summons_follow_up, summons_issue
from ..services.scope import is_city, townships_for
from .base import GridworkPage, year_choices, year_from

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _crumbs(year=None):
    url = reverse("gridwork:oversight")
    return [{"url": f"{url}?year={year}" if year else url, "label": _("乡镇监督检查")}]


class CheckForm(forms.Form):
    township = forms.ModelChoiceField(label=gettext_lazy("乡镇"), queryset=TownshipCheck.objects.none())
    checked_on = forms.DateField(label=gettext_lazy("检查日期"), widget=DATE, initial=timezone.localdate)
    scope = forms.CharField(label=gettext_lazy("检查内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=gettext_lazy("例如：年度巡查计划执行、巡查记录、速测和整改复查情况。"))
    outcome = forms.ChoiceField(label=gettext_lazy("检查结论"), choices=CheckOutcome.choices, widget=forms.RadioSelect)
    findings = forms.CharField(label=gettext_lazy("发现的问题"), max_length=4000, required=False,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=gettext_lazy("结论为存在问题时必填。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships_for(user)


class SummonsForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("约谈日期"), widget=DATE, initial=timezone.localdate)
    official = forms.CharField(label=gettext_lazy("被约谈人"), max_length=80,
                               help_text=gettext_lazy("乡镇监管机构主要负责人的姓名和职务。"))
    interviewer = forms.CharField(label=gettext_lazy("约谈人"), max_length=80, required=False)
    requirements = forms.CharField(label=gettext_lazy("整改要求"), max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    due = forms.DateField(label=gettext_lazy("整改期限"), widget=DATE)


class FollowUpForm(forms.Form):
    result = forms.ChoiceField(label=gettext_lazy("复查结论"), widget=forms.RadioSelect, choices=[
        ("passed", gettext_lazy("整改到位")), ("again", gettext_lazy("未到位，再次限期整改")),
        ("escalate", gettext_lazy("整改仍不到位，追究责任"))])
    findings = forms.CharField(label=gettext_lazy("复查情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    new_due = forms.DateField(label=gettext_lazy("新的整改期限"), widget=DATE, required=False)




class OversightIndexView(GridworkPage):
    """乡镇监督检查: the year's checks, with open summonses and their deadlines first."""

    template_name = "gridwork/oversight/index.html"
    title = gettext_lazy("乡镇监督检查")
    icon = "doc-full"
    permission = "gridwork.view_townshipcheck"

    def get(self, request):
        year = year_from(request)
        townships = townships_for(request.user)
        if not townships.exists():
            raise PermissionDenied
        checks = (TownshipCheck.objects.filter(township__in=townships, checked_on__year=year)
                  .select_related("township").prefetch_related("summonses__rectification"))
        open_summonses = (Summons.objects.filter(township__in=townships, rectification__state="open")
                          .select_related("township", "rectification").order_by("rectification__due"))
        return self.page(request, {"year": year, "years": year_choices(year), "checks": checks,
                                   "open_summonses": open_summonses, "today": timezone.localdate(),
                                   "can_add": is_city(request.user) and request.user.has_perm(
                                       "gridwork.add_townshipcheck")})


class CheckFormView(GridworkPage):
    template_name = "gridwork/oversight/form.html"
    title = gettext_lazy("记录监督检查")
    icon = "edit"
    permission = "gridwork.add_townshipcheck"

    def get(self, request):
        if not is_city(request.user):
            raise PermissionDenied
        return self.page(request, {"form": CheckForm(user=request.user)}, crumbs=_crumbs())

    def post(self, request):
        if not is_city(request.user):
            raise PermissionDenied
        form = CheckForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                check = check_record(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_add(form, exc)
            else:
                messages.success(request, _("已记录对%(township)s的监督检查。") % {"township": check.township.name})
                return redirect("gridwork:oversight_check", pk=check.pk)
        return self.page(request, {"form": form}, status=400, crumbs=_crumbs())


class CheckView(GridworkPage):
    """A check with its summonses; the city issues a summons and records follow-ups here."""

    template_name = "gridwork/oversight/check.html"
    icon = "doc-full"
    permission = "gridwork.view_townshipcheck"

    def get_check(self, request, pk):
        return get_object_or_404(TownshipCheck.objects.filter(township__in=townships_for(request.user))
                                 .select_related("township"), pk=pk)

    def context(self, request, check, summons_form=None, follow_forms=None):
        city = is_city(request.user) and request.user.has_perm("gridwork.add_summons")
        summonses = list(check.summonses.select_related("rectification").prefetch_related(
            "rectification__follow_ups"))
        follow_forms = follow_forms or {}
        for s in summonses:
            s.form = follow_forms.get(s.pk) or FollowUpForm(prefix=f"f{s.pk}")
        due = rectification_due_default(timezone.localdate())
        return {"check": check, "summonses": summonses, "can_act": city, "today": timezone.localdate(),
                "summons_form": summons_form or SummonsForm(initial={"due": due}),
                "page_title": _("%(township)s %(date)s 监督检查") % {
                    "township": check.township.name, "date": check.checked_on.isoformat()}}

    def get(self, request, pk):
        check = self.get_check(request, pk)
        return self.page(request, self.context(request, check), crumbs=_crumbs(check.checked_on.year))

    def post(self, request, pk):
        check = self.get_check(request, pk)
        if not (is_city(request.user) and request.user.has_perm("gridwork.add_summons")):
            raise PermissionDenied
        if "summons" in request.POST:
            form = SummonsForm(request.POST)
            if form.is_valid():
                try:
                    summons_issue(user=request.user, check=check, **form.cleaned_data)
                except ValidationError as exc:
                    form_errors_add(form, exc)
                else:
                    messages.success(request, _("约谈已记录，整改期限至%(due)s。") % {
                        "due": form.cleaned_data["due"].isoformat()})
                    return redirect("gridwork:oversight_check", pk=check.pk)
            return self.page(request, self.context(request, check, summons_form=form), status=400,
                             crumbs=_crumbs(check.checked_on.year))
        summons = get_object_or_404(check.summonses.select_related("rectification"), pk=request.POST.get("follow"))
        form = FollowUpForm(request.POST, prefix=f"f{summons.pk}")
        if form.is_valid():
            data = form.cleaned_data
            try:
                summons_follow_up(user=request.user, summons=summons, passed=data["result"] == "passed",
                                  escalate=data["result"] == "escalate", findings=data["findings"],
                                  new_due=data["new_due"], checked_on=datetime.date.today())
            except ValidationError as exc:
                form_errors_add(form, exc)
            else:
                messages.success(request, _("复查已记录：%(state)s。") % {
                    "state": summons.rectification.get_state_display()})
                return redirect("gridwork:oversight_check", pk=check.pk)
        return self.page(request, self.context(request, check, follow_forms={summons.pk: form}), status=400,
                         crumbs=_crumbs(check.checked_on.year))
