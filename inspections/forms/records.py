"""The desktop form for an inspection record (巡查记录): the producer, the date, who was there, the seven
items of 第六条 each with a result and a note, other findings, photos."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from disclosure.models import Producer
from portal.auth import display_name

from ..models import Item, Kind, Result
from ..services.scope import TOWNSHIP
from . import choice_field, date_field, text_field


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input; each is checked by the service (type, size, pixels)."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/heic"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [f for f in files if f]


def producer_label(producer) -> str:
    return f"{producer.name} · {producer.code}" if producer.code else producer.name


class InspectionForm(forms.Form):
    """One inspection. `scope` is TOWNSHIP for supervisors and testers (日常巡查 or 整改复查) and coordinator
    for village coordinators (their record is a hazard check the township confirms)."""

    producer = choice_field(_("生产主体"), [])
    visit = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The same form sent twice (a double click, a resend after a timeout) is stored once.
    client_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    kind = choice_field(_("类型"), [], radio=True, initial=Kind.ROUTINE)
    inspected_on = date_field(_("巡查日期"), initial=timezone.localdate)
    inspector_names = text_field(_("巡查人员"), max_length=200, required=True,
                                 help_text=_("到场的全部巡查人员姓名，用顿号分隔。"))
    representative = text_field(_("生产主体在场人员"), max_length=50)
    other_findings = text_field(_("其他发现"), max_length=2000, rows=3)
    photos = PhotosField(label=_("照片"), required=False,
                         help_text=_("可选多张，每张不超过10MB；保存时去除位置等信息，仅工作人员可见。"))

    def __init__(self, *args, user, producers, scope=TOWNSHIP, visit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.visit_obj = user, visit
        self.producers = {str(p.pk): p for p in producers}
        groups: dict[str, list] = {}
        for p in producers:
            groups.setdefault(p.village.full_name, []).append((str(p.pk), producer_label(p)))
        self.fields["producer"].choices = [("", _t("—— 请选择 ——"))] + list(groups.items())
        if scope == TOWNSHIP:
            self.fields["kind"].choices = [(Kind.ROUTINE.value, Kind.ROUTINE.label),
                                           (Kind.FOLLOW_UP.value, Kind.FOLLOW_UP.label)]
        else:
            del self.fields["kind"]
        self.initial.setdefault("inspector_names", display_name(user))
        self.initial.setdefault("client_key", uuid.uuid4())
        if visit is not None:
            self.initial.update({"producer": str(visit.producer_id), "visit": visit.pk})
        for item in Item:
            self.fields[f"item_{item.value}"] = forms.ChoiceField(
                label=item.label, choices=Result.choices, required=False, widget=forms.RadioSelect)
            self.fields[f"note_{item.value}"] = forms.CharField(
                label=_t("说明"), required=False, max_length=500, widget=forms.TextInput(
                    attrs={"placeholder": _t("不符合时写明发现的问题")}),
                error_messages={"max_length": _t("说明不能超过500个字。")})

    def item_rows(self):
        """(item number, result field, note field) for the template's table of the seven items."""
        return [(item.value, self[f"item_{item.value}"], self[f"note_{item.value}"]) for item in Item]

    def clean(self):
        data = super().clean()
        # A note that is too long belongs to its item's row: the service keys item errors as item_N.
        for item in Item:
            if f"note_{item.value}" in self.errors:
                self.add_error(f"item_{item.value}", self.errors.pop(f"note_{item.value}"))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        results = {item.value: (data.get(f"item_{item.value}") or "", data.get(f"note_{item.value}") or "")
                   for item in Item}
        kwargs = {"producer": self.producers[data["producer"]], "inspected_on": data["inspected_on"],
                  "results": results, "inspector_names": data["inspector_names"],
                  "representative": data["representative"], "other_findings": data["other_findings"],
                  "photos": data["photos"], "client_key": data.get("client_key")}
        if data.get("kind"):
            kwargs["kind"] = data["kind"]
        return kwargs


def visible_producers(user):
    return (Producer.objects.visible_to(user).select_related("village", "village__parent")
            .order_by("village__parent__sort_order", "village__sort_order", "name"))
