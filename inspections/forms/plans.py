"""Forms of the yearly plan screens: generate, filter the visits, move, reassign, add, remove."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from disclosure.models import Grid, Producer
from portal.auth import display_name

from ..services.plans import PlanError, parse_peak_months, rules, township_inspectors
from . import VersionedForm, choice_field, text_field


def month_choices():
    return [(str(m), _t("%(m)d月") % {"m": m}) for m in range(1, 13)]


def user_label(user) -> str:
    return display_name(user)


class PlanGenerateForm(forms.Form):
    """生成年度计划: for one of the user's townships; again on an existing plan it adds what is missing."""

    township = choice_field(_("乡镇"), [])
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100,
                              error_messages={"required": _("请填写年度。"), "invalid": _("年度应是四位数字。"),
                                              "min_value": _("年度无效。"), "max_value": _("年度无效。")})
    small_share = forms.IntegerField(label=_("散户抽查比例（%）"), min_value=0, max_value=100,
                                     help_text=_("散户中按风险选取重点抽查的比例。"),
                                     error_messages={"required": _("请填写散户抽查比例。"),
                                                     "invalid": _("散户抽查比例应是0到100之间的整数。"),
                                                     "min_value": _("散户抽查比例应在0到100之间。"),
                                                     "max_value": _("散户抽查比例应在0到100之间。")})
    peak_months = text_field(_("高峰期月份"), max_length=40,
                             help_text=_("用药高峰期、集中上市期，用逗号分隔，例如 6,7,9。不填则不加密。"))

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.townships = {str(t.pk): t for t in townships}
        self.fields["township"].choices = [(pk, t.name) for pk, t in self.townships.items()]
        self.fields["year"].initial = timezone.localdate().year
        self.fields["small_share"].initial = rules().small_share_default

    def clean_peak_months(self):
        try:
            return parse_peak_months(self.cleaned_data.get("peak_months"))
        except PlanError as exc:
            raise forms.ValidationError(exc.messages) from None

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"township": self.townships[data["township"]], "year": data["year"],
                "small_share": data["small_share"], "peak_months": data["peak_months"]}


class VisitFilterForm(forms.Form):
    """The visits list's filters (GET): month, village, assignee, done or open."""

    month = forms.ChoiceField(label=_("月份"), required=False)
    village = forms.ChoiceField(label=_("村"), required=False)
    assignee = forms.ChoiceField(label=_("负责人"), required=False)
    state = forms.ChoiceField(label=_("完成情况"), required=False)

    def __init__(self, *args, plan, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [("", _t("全部月份"))] + month_choices()
        villages = Grid.objects.filter(parent=plan.township).order_by("sort_order", "code")
        self.fields["village"].choices = [("", _t("全部村"))] + [(str(v.pk), v.name) for v in villages]
        self.fields["assignee"].choices = ([("", _t("全部人员")), ("none", _t("（未安排）"))]
                                           + [(str(u.pk), user_label(u)) for u in assignees])
        self.fields["state"].choices = [("", _t("全部")), ("open", _t("未完成")), ("done", _t("已完成"))]

    def filter(self, queryset):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("month"):
            queryset = queryset.filter(month=int(data["month"]))
        if data.get("village"):
            queryset = queryset.filter(producer__village_id=int(data["village"]))
        if data.get("assignee") == "none":
            queryset = queryset.filter(assignee__isnull=True)
        elif data.get("assignee"):
            queryset = queryset.filter(assignee_id=int(data["assignee"]))
        if data.get("state") == "open":
            queryset = queryset.filter(inspection__isnull=True)
        elif data.get("state") == "done":
            queryset = queryset.filter(inspection__isnull=False)
        return queryset


class VisitMoveForm(VersionedForm):
    label = _("调整月份")
    month = choice_field(_("调整到"), [])

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices()
        self.initial.setdefault("month", str(visit.month))
        self.initial.setdefault("expected_version", visit.version)

    def service_kwargs(self) -> dict:
        return {"month": int(self.cleaned_data["month"])}


class VisitAssignForm(VersionedForm):
    label = _("改派")
    assignee = choice_field(_("负责人"), [], required=False)

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(u.pk): u for u in township_inspectors(visit.plan.township)}
        self.fields["assignee"].choices = [("", _t("（未安排）"))] + [(pk, user_label(u))
                                                                  for pk, u in self.people.items()]
        self.initial.setdefault("assignee", str(visit.assignee_id or ""))
        self.initial.setdefault("expected_version", visit.version)
        self.fields["assignee"].help_text = _t("本乡镇在岗、有后台账号的监管员和检测员。")

    def service_kwargs(self) -> dict:
        return {"assignee": self.people.get(self.cleaned_data["assignee"])}


class VisitRemoveForm(VersionedForm):
    label = _("取消这次巡查")
    reason = text_field(_("取消原因"), max_length=300, required=True,
                        help_text=_("例如 主体已停产、已注销。会记入计划调整记录。"))

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("expected_version", visit.version)

    def service_kwargs(self) -> dict:
        return {"reason": self.cleaned_data["reason"]}


class VisitAddForm(forms.Form):
    """乡镇增加: one more visit for a producer of the township."""

    producer = choice_field(_("生产主体"), [])
    month = choice_field(_("月份"), [])
    assignee = choice_field(_("负责人"), [], required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        producers = (Producer.objects.filter(village__parent=plan.township).select_related("village")
                     .order_by("village__sort_order", "name"))
        self.producers = {str(p.pk): p for p in producers}
        groups: dict[str, list] = {}
        for p in producers:
            groups.setdefault(p.village.name, []).append((str(p.pk), p.name))
        self.fields["producer"].choices = [("", _t("—— 请选择 ——"))] + list(groups.items())
        self.fields["month"].choices = month_choices()
        self.people = {str(u.pk): u for u in township_inspectors(plan.township)}
        self.fields["assignee"].choices = [("", _t("（未安排）"))] + [(pk, user_label(u))
                                                                  for pk, u in self.people.items()]
        self.initial.setdefault("month", str(timezone.localdate().month))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"producer": self.producers[data["producer"]], "month": int(data["month"]),
                "assignee": self.people.get(data["assignee"])}
