"""The forms on an inspection's page: sampling, rapid and quantitative tests, rectification, follow-up,
referral, confirmation. Each has a `label` (its heading and button) and `service_kwargs()`."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from casework import conf as casework_conf
from casework.models import Rectification
from casework.services import rectification_due_default
from disclosure.models import Substance

from ..models import Method, Outcome, RapidTest, Sample
from . import choice_field, date_field, text_field


class SubstanceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name_zh} · {obj.get_category_display()} · {obj.get_status_display()}"


def substance_field():
    return SubstanceField(label=_("禁限用药物（在名录中时选择）"), required=False,
                          queryset=Substance.objects.order_by("category", "status", "sort_order", "id"),
                          empty_label=_("—— 不在名录中或不确定 ——"),
                          error_messages={"invalid_choice": _("请从名录中选择药物。")})


class ActionForm(forms.Form):
    label = ""

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspection = inspection

    def service_kwargs(self) -> dict:
        return {}


class ConfirmForm(ActionForm):
    label = _("确认隐患排查记录")


class SampleForm(ActionForm):
    label = _("抽样")
    product = text_field(_("样品名称"), max_length=50, required=True)
    place = text_field(_("抽样地点"), max_length=100, help_text=_("不填为主体地址。"))
    quantity = text_field(_("抽样数量"), max_length=30, help_text=_("例如 1kg。"))
    taken_at = forms.DateTimeField(
        label=_("抽样时间"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], help_text=_("不填为现在。"),
        error_messages={"invalid": _("请按“年-月-日 时:分”填写抽样时间。")})

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"product": data["product"], "place": data["place"], "quantity": data["quantity"],
                "taken_at": data["taken_at"], "inspection": self.inspection, "producer": self.inspection.producer}


class SampleChoiceMixin:
    def samples_choices(self):
        self.samples = {str(s.pk): s for s in Sample.objects.filter(inspection=self.inspection).order_by("id")}
        self.fields["sample"].choices = [("", _t("—— 请选择 ——"))] + [
            (pk, f"{s.number} {s.product}") for pk, s in self.samples.items()]


class RapidTestForm(SampleChoiceMixin, ActionForm):
    label = _("登记快速检测")
    sample = forms.ChoiceField(label=_("样品"), required=False)
    method = choice_field(_("检测方法"), [("", "——")] + list(Method.choices), required=False)
    target = text_field(_("检测项目"), max_length=60, required=True,
                        help_text=_("药物或类别，例如 有机磷和氨基甲酸酯类农药。"))
    substance = substance_field()
    inhibition_rate = forms.CharField(label=_("抑制率（%）"), required=False, max_length=10,
                                      help_text=_("酶抑制法必填，结果按抑制率判定。"))
    result = choice_field(_("结果"), Outcome.choices, required=False, radio=True)
    tested_on = date_field(_("检测日期"), initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.samples_choices()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"sample": self.samples.get(data["sample"]), "method": data["method"], "target": data["target"],
                "substance": data["substance"], "inhibition_rate": data["inhibition_rate"].strip() or None,
                "result": data["result"], "tested_on": data["tested_on"]}


class LabTestForm(SampleChoiceMixin, ActionForm):
    label = _("登记定量检测")
    sample = forms.ChoiceField(label=_("样品"), required=False)
    rapid_test = forms.ChoiceField(label=_("对应快速检测"), required=False)
    lab = text_field(_("检测机构"), max_length=100, required=True)
    report_number = text_field(_("检测报告编号"), max_length=50, required=True)
    target = text_field(_("检测项目"), max_length=60, required=True)
    substance = substance_field()
    value = forms.CharField(label=_("检测值"), required=False, max_length=20, help_text=_("未检出时留空。"))
    limit = forms.CharField(label=_("限量值"), required=False, max_length=20)
    unit = forms.CharField(label=_("单位"), required=False, max_length=40, help_text=_("例如 mg/kg。"))
    reported_on = date_field(_("报告日期"), initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.samples_choices()
        tests = RapidTest.objects.filter(sample__inspection=self.inspection).select_related("sample").order_by("id")
        self.rapid_tests = {str(t.pk): t for t in tests}
        self.fields["rapid_test"].choices = [("", "——")] + [
            (pk, f"{t.sample.number} · {t.target} · {t.get_result_display()}") for pk, t in self.rapid_tests.items()]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"sample": self.samples.get(data["sample"]), "rapid_test": self.rapid_tests.get(data["rapid_test"]),
                "lab": data["lab"], "report_number": data["report_number"], "target": data["target"],
                "substance": data["substance"], "value": data["value"], "limit": data["limit"],
                "unit": data["unit"], "reported_on": data["reported_on"]}


class RectificationForm(ActionForm):
    label = _("责令限期整改")
    requirements = text_field(_("整改要求"), max_length=2000, required=True, rows=3)
    due = date_field(_("整改期限"), initial=rectification_due_default,
                     help_text=_("默认为10个工作日后，可以修改。"))

    def service_kwargs(self) -> dict:
        return {"requirements": self.cleaned_data["requirements"], "due": self.cleaned_data["due"]}


OUTCOMES = [("passed", _("整改到位，结束整改")), ("again", _("未到位，限期继续整改")),
            ("escalate", _("未到位，移送执法"))]


class FollowUpForm(ActionForm):
    """This inspection is the follow-up of an open rectification order of the same producer."""

    label = _("作为整改复查")
    rectification = forms.ChoiceField(label=_("整改通知"), required=False)
    outcome = choice_field(_("复查结论"), OUTCOMES, radio=True)
    new_due = date_field(_("新的整改期限"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        orders = Rectification.objects.open().filter(producer_id=self.inspection.producer_id).order_by("due", "id")
        self.orders = {str(o.pk): o for o in orders}
        self.fields["rectification"].choices = [
            (pk, _t("%(ordered)s下达，期限%(due)s：%(text)s") % {"ordered": o.ordered_on, "due": o.due,
                                                          "text": o.requirements[:30]})
            for pk, o in self.orders.items()]

    def clean_rectification(self):
        value = self.cleaned_data.get("rectification")
        if value not in self.orders:
            raise forms.ValidationError(_t("请选择要复查的整改通知。"))
        return value

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"rectification": self.orders[data["rectification"]], "passed": data["outcome"] == "passed",
                "escalate": data["outcome"] == "escalate", "new_due": data["new_due"]}


class ReferralForm(ActionForm):
    label = _("移送执法")
    agency = text_field(_("移送机构"), max_length=100, required=True)
    summary = text_field(_("移送情况"), max_length=2000, rows=3,
                         help_text=_("移送了什么：事实、证据、检测报告等。"))
    rectification = forms.ChoiceField(label=_("相关整改通知"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("agency", casework_conf.get("CASEWORK_REFERRAL_AGENCY"))
        orders = Rectification.objects.open().filter(producer_id=self.inspection.producer_id).order_by("due", "id")
        self.orders = {str(o.pk): o for o in orders}
        self.fields["rectification"].choices = [("", "——")] + [
            (pk, _t("期限%(due)s：%(text)s") % {"due": o.due, "text": o.requirements[:30]})
            for pk, o in self.orders.items()]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"agency": data["agency"], "summary": data["summary"],
                "rectification": self.orders.get(data["rectification"]), "producer": self.inspection.producer,
                "source": self.inspection}
