"""The public complaint form and the tracking forms. Rendered by crispy-forms (Bootstrap 5 classes)."""

import re
import time
import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from disclosure.models import Grid, GridLevel, Producer
from disclosure.models.producers import CODE_LENGTH
from portal.text import clean_text

from . import conf
from .models import Category, Kind, Rating, StagedUpload
from .services.photos import ACCEPT_ATTRIBUTE
from .validation import clean_email, clean_phone, validate_tracking_code

FORM_SALT = "complaints.form"
PHOTOS_SALT = "complaints.photos"
CODE_IN_TEXT = re.compile(r"[（(]\s*([0-9A-Za-z]{" + str(CODE_LENGTH) + r"})\s*[)）]\s*$")

CONSENT_TEXT = _(
    "我确认所反映的情况是我了解到的真实情况。我知道：提交的内容和照片仅用于办理本次投诉举报；"
    "我的姓名、电话和邮箱依法保密，只有经授权的工作人员可以查看，不会公开，也不会告诉被反映的生产主体；"
    "故意捏造事实诬告他人的，要承担法律责任。"
)


class PlainCharField(forms.CharField):
    """A CharField whose checks (null bytes, length, markup) give our own specific Chinese messages."""

    def __init__(self, *args, max_chars: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        if max_chars:
            self.widget.attrs["maxlength"] = str(max_chars)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [f for f in files if f]


def form_token_new() -> str:
    return signing.dumps({"id": uuid.uuid4().hex, "t": int(time.time())}, salt=FORM_SALT, compress=True)


def form_token_read(value: str) -> dict | None:
    try:
        data = signing.loads(value or "", salt=FORM_SALT, max_age=7 * 24 * 3600)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or "id" not in data or "t" not in data:
        return None
    return data


def photos_token(form_id: str, ids: list[str]) -> str:
    return signing.dumps({"f": form_id, "ids": ids}, salt=PHOTOS_SALT, compress=True)


def photos_token_read(value: str, form_id: str) -> list[str]:
    if not value:
        return []
    try:
        data = signing.loads(value, salt=PHOTOS_SALT, max_age=conf.get("COMPLAINTS_STAGED_PHOTO_HOURS") * 3600)
    except signing.BadSignature:
        return []
    if not isinstance(data, dict) or data.get("f") != form_id:
        return []
    return [str(i) for i in data.get("ids", [])][: conf.get("COMPLAINTS_MAX_PHOTOS")]


def staged_photo_token(staged_id: str) -> str:
    return signing.dumps(str(staged_id), salt="complaints.staged-thumb")


def staged_photo_read(token: str) -> str | None:
    try:
        return signing.loads(token, salt="complaints.staged-thumb",
                             max_age=conf.get("COMPLAINTS_STAGED_PHOTO_HOURS") * 3600)
    except signing.BadSignature:
        return None


def find_producer(text: str) -> tuple[Producer | None, str]:
    """(producer, leftover text) for what someone typed: a public code, "名称（CODE）", or a name.

    A code that matches no published producer raises ValidationError; an unknown name is kept as text
    for staff to resolve."""
    text = (text or "").strip()
    if not text:
        return None, ""
    code = None
    match = CODE_IN_TEXT.search(text)
    if match:
        code = match.group(1).upper()
    elif len(text) == CODE_LENGTH and text.isascii() and text.isalnum():
        code = text.upper()
    if code:
        producer = Producer.objects.published().filter(code=code).select_related("village", "village__parent").first()
        if producer is None:
            raise ValidationError(
                _t("没有找到公示编码为“%(code)s”的生产主体。请核对公示牌上的%(n)d位编码，或直接填写生产主体的名称。")
                % {"code": code, "n": CODE_LENGTH}, code="unknown_producer")
        return producer, ""
    matches = list(Producer.objects.served().published().filter(name=text).select_related("village", "village__parent")[:2])
    if len(matches) == 1:
        return matches[0], ""
    return None, text


def _village_choices():
    groups: dict[str, list] = {}
    for village in Grid.objects.served().villages().select_related("parent").order_by("parent__sort_order", "sort_order"):
        groups.setdefault(village.parent.name, []).append((str(village.pk), village.name))
    return [("", _t("请选择村（不清楚可不选）"))] + list(groups.items())


class ComplaintForm(forms.Form):
    """投诉举报 form. Validation here gives every message beside its field; complaint_submit() checks again."""

    kind = forms.ChoiceField(label=_("您要"), choices=Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("请选择“投诉”或“举报”。"),
                                             "invalid_choice": _("请选择“投诉”或“举报”。")})
    category = forms.ChoiceField(label=_("问题类别"), choices=Category.choices, widget=forms.RadioSelect,
                                 error_messages={"required": _("请选择问题类别；都不符合请选“其他”。"),
                                                 "invalid_choice": _("请从列出的类别中选择。")})
    producer = PlainCharField(label=_("涉及的生产主体（可不填）"), required=False, max_chars=100,
                              help_text=_("填写名称或公示牌上的6位公示编码。不知道可以不填。"))
    place_township = forms.ModelChoiceField(
        label=_("乡镇"), required=False, queryset=Grid.objects.none(), empty_label=_("请选择乡镇（不清楚可不选）"),
        error_messages={"invalid_choice": _("请从列表中选择乡镇。")})
    place_village = forms.ChoiceField(label=_("村"), required=False,
                                      error_messages={"invalid_choice": _("请从列表中选择村。")})
    address = PlainCharField(label=_("具体地点（可不填）"), required=False, max_chars=200,
                             help_text=_("例如：某某村3组东头的蔬菜大棚、某某市场门口。"))
    description = PlainCharField(label=_("发生了什么"), widget=forms.Textarea(attrs={"rows": 6}), max_chars=2000,
                                 help_text=_("请写明时间、地点、什么产品、看到了什么。最多2000字。"),
                                 error_messages={"required": _("请填写“发生了什么”。")})
    photos = MultipleFileField(label=_("照片（可不传，最多5张）"), required=False,
                               widget=MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
    remove_photos = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    anonymous = forms.BooleanField(label=_("匿名反映（不留姓名和联系方式，我们无法回复您，但可以用查询码查看进度）"),
                                   required=False)
    reporter_name = PlainCharField(label=_("姓名"), required=False, max_chars=50)
    reporter_phone = PlainCharField(label=_("手机号码"), required=False, max_chars=30,
                                    widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel",
                                                                  "inputmode": "tel"}),
                                    help_text=_("需要我们回复您时请填写。"))
    reporter_email = PlainCharField(label=_("电子邮箱"), required=False, max_chars=254,
                                    widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email",
                                                                  "inputmode": "email"}),
                                    help_text=_("填写后，每次办理有新进展都会发邮件告诉您。"))
    consent = forms.BooleanField(label=CONSENT_TEXT, required=True,
                                 error_messages={"required": _("请阅读上面的说明并勾选同意后再提交。")})
    # Abuse guards: a signed "form shown at" token and a field people never see.
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    photos_token = forms.CharField(widget=forms.HiddenInput, required=False)
    website = forms.CharField(label=_("网址（请勿填写）"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args, **kwargs):
        self.prefill_producer: Producer | None = kwargs.pop("producer", None)
        super().__init__(*args, **kwargs)
        self.fields["place_township"].queryset = Grid.objects.served().townships().order_by("sort_order", "code")
        self.fields["place_village"].choices = _village_choices()
        self.fields["producer"].widget.attrs.update({"list": "producer-options", "autocomplete": "off"})
        self.producer_obj: Producer | None = None
        self.producer_leftover = ""
        self.form_data = form_token_read(self.data.get("form_token", "")) if self.is_bound else None
        self.kept: list[StagedUpload] = []
        if self.is_bound and self.form_data:
            ids = photos_token_read(self.data.get("photos_token", ""), self.form_data["id"])
            if ids:
                found = {str(s.pk): s for s in StagedUpload.objects.filter(pk__in=ids)}
                self.kept = [found[i] for i in ids if i in found]
        self.fields["remove_photos"].choices = [(str(s.pk), s.original_name) for s in self.kept]
        self.honeypot_tripped = False

    @property
    def helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            Fieldset(_t("1. 反映什么"), Field("kind"), HTML('{% include "complaints/_kind_help.html" %}'),
                     Field("category")),
            Fieldset(_t("2. 涉及谁、在哪里"), Field("producer"),
                     HTML('{% include "complaints/_producer_hint.html" %}'),
                     Div(Field("place_township"), Field("place_village"), css_class="place-row"),
                     Field("address")),
            Fieldset(_t("3. 情况说明"), Field("description"), HTML('{% include "complaints/_kept_photos.html" %}'),
                     Field("photos")),
            Fieldset(_t("4. 您的联系方式（可不填）"), HTML('{% include "complaints/_identity_note.html" %}'),
                     Field("anonymous"), Field("reporter_name"), Field("reporter_phone"), Field("reporter_email")),
            Div(Field("website"), css_class="hp-field" + (" hp-visible" if self.honeypot_tripped else "")),
            Field("consent"),
            Field("form_token"), Field("photos_token"),
        )
        return helper

    # --- fields -----------------------------------------------------------------------------------------
    def clean_producer(self):
        text = clean_text(self.cleaned_data.get("producer"), label=_t("生产主体"), max_length=100)
        self.producer_obj, self.producer_leftover = find_producer(text)
        return text

    def clean_place_village(self):
        value = self.cleaned_data.get("place_village")
        if not value:
            return None
        village = Grid.objects.served().filter(pk=value, level=GridLevel.VILLAGE).select_related("parent").first()
        if village is None:
            raise ValidationError(_t("请从列表中选择村。"))
        return village

    def clean_address(self):
        return clean_text(self.cleaned_data.get("address"), label=_t("具体地点"), max_length=200)

    def clean_description(self):
        return clean_text(self.cleaned_data.get("description"), label=_t("发生了什么"), max_length=2000,
                          required=True, multiline=True)

    def clean_reporter_name(self):
        return clean_text(self.cleaned_data.get("reporter_name"), label=_t("姓名"), max_length=50)

    def clean_reporter_phone(self):
        return clean_phone(self.cleaned_data.get("reporter_phone"))

    def clean_reporter_email(self):
        return clean_email(self.cleaned_data.get("reporter_email"))

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        limit = conf.get("COMPLAINTS_MAX_PHOTOS")
        kept = len(self.kept) - len(self.data.getlist("remove_photos")) if self.is_bound else 0
        if kept + len(files) > limit:
            if kept > 0:
                raise ValidationError(_t("最多%(max)d张照片：已保存%(kept)d张，这次又选择了%(new)d张。请最多再选%(left)d张。")
                                      % {"max": limit, "kept": kept, "new": len(files), "left": max(0, limit - kept)},
                                      code="too_many")
            raise ValidationError(_t("最多上传%(max)d张照片，您选择了%(n)d张。请去掉%(extra)d张后重新选择。")
                                  % {"max": limit, "n": len(files), "extra": len(files) - limit}, code="too_many")
        return files

    def clean(self):
        data = super().clean()
        if self.data.get("website"):
            self.honeypot_tripped = True
            self.add_error("website", _t("这一栏是为识别自动程序而设的，请清空后再提交。"))
        if self.form_data is None:
            self.add_error(None, _t("表单已过期或不完整（可能打开太久了）。您填写的内容都还在，请检查后再提交一次。"))
        elif time.time() - self.form_data["t"] < conf.get("COMPLAINTS_MIN_FILL_SECONDS"):
            self.add_error(None, _t("提交得太快了，系统担心这是自动程序。您填写的内容都还在，请检查一遍后再点一次“提交”。"))
        township, village = data.get("place_township"), data.get("place_village")
        if village and township and village.parent_id != township.pk:
            self.add_error("place_village", _t("%(village)s不属于%(township)s，请重新选择乡镇或村。")
                           % {"village": village.name, "township": township.name})
        if data.get("anonymous") and any(data.get(f) for f in ("reporter_name", "reporter_phone", "reporter_email")):
            self.add_error("anonymous", _t("选择匿名时不保存姓名和联系方式。请清空姓名、电话和邮箱，或取消“匿名反映”。"))
        return data

    # --- photos -----------------------------------------------------------------------------------------
    @property
    def form_id(self) -> str | None:
        return self.form_data["id"] if self.form_data else None

    def kept_after_removal(self) -> list[StagedUpload]:
        remove = set(self.data.getlist("remove_photos")) if self.is_bound else set()
        return [s for s in self.kept if str(s.pk) not in remove]


class TrackForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false", "placeholder": "ACDE-FGHJ-KMNP",
                                                         "class": "code-input"}),
                           help_text=_("回执上的12位查询码，字母大小写和短横线都可以不管。"),
                           error_messages={"required": _("请输入查询码。"),
                                           "max_length": _("查询码应为12位，您输入的太长了。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].validators = []

    def clean_code(self):
        return validate_tracking_code(self.cleaned_data.get("code"))


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("您对办理结果满意吗？"), coerce=int, choices=Rating.choices,
                                    widget=forms.RadioSelect,
                                    error_messages={"required": _("请选择满意程度。"),
                                                    "invalid_choice": _("请选择满意程度。")})
    comment = PlainCharField(label=_("意见或建议（可不填）"), required=False, max_chars=500,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def clean_comment(self):
        return clean_text(self.cleaned_data.get("comment"), label=_t("意见或建议"), max_length=500, multiline=True)


class ReopenForm(forms.Form):
    reason = PlainCharField(label=_("哪里不满意？"), max_chars=1000, widget=forms.Textarea(attrs={"rows": 4}),
                            error_messages={"required": _("请写明不满意的原因，便于重新办理。")})

    def clean_reason(self):
        return clean_text(self.cleaned_data.get("reason"), label=_t("不满意的原因"), max_length=1000,
                          required=True, multiline=True)

