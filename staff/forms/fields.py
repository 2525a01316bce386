"""Shared form pieces of the back office: the checked text field, the date input, grid labels."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.text import clean_text

NOTE_MAX = 2000


class TextField(forms.CharField):
    """Text checked like the services check it (length, markup, null bytes), with specific messages."""

    def __init__(self, *, label, max_chars: int = NOTE_MAX, required: bool = False, multiline: bool = True,
                 rows: int = 2, **kwargs):
        widget = forms.Textarea(attrs={"rows": rows}) if multiline else forms.TextInput()
        super().__init__(label=label, required=False, widget=widget, **kwargs)
        self.validators = []  # clean_text gives the messages (Django's null-byte check would pre-empt it)
        self.max_chars, self.must, self.multiline = max_chars, required, multiline
        self.required = required  # the asterisk and aria; clean() below gives the message (forms are novalidate)
        self.widget.attrs["maxlength"] = str(max_chars)

    def clean(self, value):
        return clean_text(value, label=str(self.label), max_length=self.max_chars, required=self.must,
                          multiline=self.multiline)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date_field(label, *, required=True, help_text=""):
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text,
                           error_messages={"required": format_lazy(_("请选择“{label}”。"), label=label),
                                           "invalid": _("请按“年-月-日”填写日期，例如 2026-12-31。")})


def note_public_field():
    return TextField(label=_("公开说明（反映人可见，可不填）"))


def note_internal_field():
    return TextField(label=_("内部意见（仅工作人员可见，可不填）"))
