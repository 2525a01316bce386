"""The form for recording an offline complaint (登记): phone, visit, letter or the 12345 hotline."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from complaints.forms import find_producer
from complaints.models import OFFLINE_CHANNELS, Category, Kind
from complaints.validation import clean_email, clean_phone
from disclosure.models import Grid
from disclosure.services.grids import grid_choices_by_township

from .fields import (
    TextField,
    note_internal_field,
)


class RecordForm(forms.Form):
    """A complaint received by phone, in person, by letter or from the 12345 hotline."""

    channel = forms.ChoiceField(label=_("来源渠道"), widget=forms.RadioSelect,
                                choices=[(c.value, c.label) for c in OFFLINE_CHANNELS],
                                error_messages={"required": _("请选择来源渠道。"),
                                                "invalid_choice": _("请选择来源渠道。")})
    received_at = forms.DateTimeField(
        label=_("收到时间"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=_("不填为现在。受理期限从收到之日起算。"),
        error_messages={"invalid": _("请按“年-月-日 时:分”填写收到时间。")})
    external_ref = TextField(label=_("外部编号（可不填）"), multiline=False, max_chars=50,
                             help_text=_("例如12345热线的工单号。"))
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("请选择“投诉”或“举报”。")})
    category = forms.ChoiceField(label=_("问题类别"), choices=[("", _("—— 请选择 ——"))] + Category.choices,
                                 error_messages={"required": _("请选择问题类别；都不符合请选“其他”。")})
    description = TextField(label=_("反映内容"), required=True, rows=5,
                            help_text=_("时间、地点、什么产品、看到了什么。最多2000字。"))
    producer = TextField(label=_("涉及的生产主体（可不填）"), multiline=False, max_chars=100,
                         help_text=_("名称或6位公示编码。名录中找不到的名称照原样保存。"))
    place_township = forms.ChoiceField(label=_("发生地乡镇"), required=False)
    place_village = forms.ChoiceField(label=_("发生地村"), required=False)
    address = TextField(label=_("详细地点（可不填）"), multiline=False, max_chars=200)
    grid = forms.ChoiceField(label=_("办理网格"), required=False,
                             help_text=_("不选时按生产主体或发生地自动分派；只能选择您负责的网格。"))
    anonymous = forms.BooleanField(label=_("匿名反映（不记录姓名和联系方式）"), required=False)
    reporter_name = TextField(label=_("反映人姓名"), multiline=False, max_chars=50)
    reporter_phone = forms.CharField(label=_("反映人电话"), required=False, max_length=30,
                                     widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    reporter_email = forms.CharField(label=_("反映人邮箱"), required=False, max_length=254,
                                     widget=forms.TextInput(attrs={"type": "email", "inputmode": "email"}))
    note_internal = note_internal_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from disclosure.services.grids import grids_for_user

        self.user = user
        self.fields["reporter_phone"].validators = []
        self.fields["reporter_email"].validators = []
        townships = list(Grid.objects.served().townships().in_order())  # the county of the site in use
        villages = list(Grid.objects.served().villages().select_related("parent").order_by("parent__sort_order", "sort_order",
                                                                                   "code"))
        self.fields["place_township"].choices = [("", _t("—— 不清楚 ——"))] + [(str(t.pk), t.name) for t in townships]
        groups: dict[str, list] = {}
        for v in villages:
            groups.setdefault(v.parent.name, []).append((str(v.pk), v.name))
        self.fields["place_village"].choices = [("", _t("—— 不清楚 ——"))] + list(groups.items())
        scoped = grids_for_user(user).select_related("parent").in_tree_order()
        self.scoped = {str(g.pk): g for g in scoped}
        self.fields["grid"].choices = [("", _t("—— 自动分派 ——"))] + grid_choices_by_township(self.scoped)
        self.places = {str(g.pk): g for g in [*townships, *villages]}

    def clean_received_at(self):
        value = self.cleaned_data.get("received_at")
        if value and value > timezone.now() + datetime.timedelta(minutes=5):
            raise ValidationError(_t("收到时间不能晚于现在。"))
        return value

    def clean_reporter_phone(self):
        return clean_phone(self.cleaned_data.get("reporter_phone"))

    def clean_reporter_email(self):
        return clean_email(self.cleaned_data.get("reporter_email"))

    def clean_producer(self):
        text = self.cleaned_data.get("producer")
        self.producer_obj, self.producer_leftover = find_producer(text)
        return text

    def clean(self):
        cleaned = super().clean()
        township = self.places.get(cleaned.get("place_township") or "")
        village = self.places.get(cleaned.get("place_village") or "")
        if village is not None and township is not None and village.parent_id != township.pk:
            self.add_error("place_village", _t("%(village)s不属于%(township)s，请重新选择乡镇或村。")
                           % {"village": village.name, "township": township.name})
        cleaned["place_township_obj"] = township
        cleaned["place_village_obj"] = village
        cleaned["grid_obj"] = self.scoped.get(cleaned.get("grid") or "")
        if cleaned.get("anonymous") and any(cleaned.get(k) for k in ("reporter_name", "reporter_phone",
                                                                        "reporter_email")):
            self.add_error("anonymous", _t("选择匿名时不保存姓名和联系方式。请清空姓名、电话和邮箱，或取消“匿名反映”。"))
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "channel": data["channel"], "kind": data["kind"], "category": data["category"],
            "description": data["description"], "received_at": data.get("received_at"),
            "grid": data["grid_obj"], "producer": self.producer_obj, "producer_text": self.producer_leftover,
            "place_township": data["place_township_obj"], "place_village": data["place_village_obj"],
            "address": data["address"], "reporter_name": data["reporter_name"],
            "reporter_phone": data["reporter_phone"], "reporter_email": data["reporter_email"],
            "anonymous": data["anonymous"], "external_ref": data["external_ref"],
            "note_internal": data["note_internal"],
        }
