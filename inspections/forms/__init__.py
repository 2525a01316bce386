"""Back-office forms of the inspections app. They collect what the services need; the services decide
(`apply_errors` puts a service's refusal beside the field it names)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, *, required=True, help_text="", initial=None):
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text, initial=initial,
                           error_messages={"required": format_lazy(_("请选择“{label}”。"), label=label),
                                           "invalid": _("请按“年-月-日”填写日期，例如 2026-12-31。")})


def text_field(label, *, max_length, required=False, rows=0, help_text="", initial=None):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget,
                           help_text=help_text, initial=initial, strip=True,
                           error_messages={"required": format_lazy(_("请填写{label}。"), label=label),
                                           "max_length": format_lazy(_("{label}不能超过%(limit_value)d个字。"),
                                                                     label=label)})


def choice_field(label, choices, *, required=True, radio=False, initial=None):
    return forms.ChoiceField(label=label, choices=choices, required=required, initial=initial,
                             widget=forms.RadioSelect if radio else forms.Select,
                             error_messages={"required": format_lazy(_("请选择{label}。"), label=label),
                                             "invalid_choice": format_lazy(_("请选择{label}。"), label=label)})


class VersionedForm(forms.Form):
    """A form about something that others may change meanwhile: it carries the version the page showed."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's refusal beside the fields it names. Services name a field by its name or, for text
    they checked, by its label; anything else goes above the form."""
    by_label = {str(field.label): name for name, field in form.fields.items()}
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            name = key if key in form.fields else by_label.get(key)
            if name is not None and form.fields[name].widget.is_hidden:
                name = None
            form.add_error(name, errors)
    else:
        form.add_error(None, exc.messages)
