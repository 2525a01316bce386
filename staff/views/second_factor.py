"""Back office screens of the second factor (双重验证): status in 账号设置, enrolment of an authenticator
app, the code asked at sign-in, new recovery codes, and the city's reset of a lost device."""

import base64
from binascii import unhexlify

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.qr import qr_svg

from ..passkeys import passkey_remove, passkeys_of
from ..second_factor import (
    recovery_codes_issue,
    recovery_codes_left,
    second_factor_required,
    second_factor_reset,
    totp_device_confirm,
    totp_device_start,
)

PENDING = "second_factor_pending_device"


class TokenForm(forms.Form):
    token = forms.CharField(label=_("验证码"), max_length=16, widget=forms.TextInput(attrs={
        "autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}))

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split()).lower()
        if not token.isalnum():
            raise forms.ValidationError(_("验证码只包含数字（恢复码是字母和数字）。"))
        return token


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/admin/"


def _int(value) -> int:
    return int(value) if str(value).isdigit() else 0


def _page(request, template, title, **context):
    response = TemplateResponse(request, template, {"page_title": title, "header_title": title,
                                                    "header_icon": "key", "next": _next(request), **context})
    response["Cache-Control"] = "no-store, private"
    return response


class SecondFactorIndexView(View):
    """账号设置 → 双重验证: whether it is on, required, and how many recovery codes are left."""

    def get(self, request, **context):
        totp = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
        passkeys = list(passkeys_of(request.user))
        return _page(request, "staff/second_factor/index.html", _t("双重验证"), device=totp,
                     passkeys=passkeys, enabled=bool(totp or passkeys),
                     required=second_factor_required(request.user),
                     codes_left=recovery_codes_left(request.user), **context)

    def post(self, request):
        """New recovery codes (shown once), or one of the user's passkeys removed."""
        if not request.user.is_verified():
            raise PermissionDenied
        if "remove_passkey" in request.POST:
            removed = passkey_remove(user=request.user, pk=_int(request.POST["remove_passkey"]))
            return self.get(request, passkey_removed=removed)
        return _page(request, "staff/second_factor/codes.html", _t("恢复码"),
                     codes=recovery_codes_issue(user=request.user))


class SetupView(View):
    """Enrol an authenticator app: scan the code (or type the key), then confirm with a code it shows."""

    def _device(self, request, *, fresh=False):
        device = None
        if not fresh and (pk := request.session.get(PENDING)):
            device = TOTPDevice.objects.filter(pk=pk, user=request.user, confirmed=False).first()
        if device is None:
            device = totp_device_start(user=request.user)
            request.session[PENDING] = device.pk
        return device

    def _render(self, request, device, form):
        secret = base64.b32encode(unhexlify(device.key)).decode().rstrip("=")
        return _page(request, "staff/second_factor/setup.html", _t("设置双重验证"), form=form,
                     qr=mark_safe(qr_svg(device.config_url)),  # noqa: S308 — our own SVG
                     secret=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
                     required=second_factor_required(request.user))

    def get(self, request):
        if user_has_device(request.user) and not request.user.is_verified():
            return redirect("second_factor:verify")  # replacing a device needs the current one first
        return self._render(request, self._device(request), TokenForm())

    def post(self, request):
        if user_has_device(request.user) and not request.user.is_verified():
            return redirect("second_factor:verify")
        device = self._device(request)
        form = TokenForm(request.POST)
        if form.is_valid():
            codes = totp_device_confirm(device=device, token=form.cleaned_data["token"])
            if codes is not None:
                request.session.pop(PENDING, None)
                otp_login(request, device)
                return _page(request, "staff/second_factor/codes.html", _t("恢复码"), codes=codes, enrolled=True)
            form.add_error("token", _t("验证码不对。请确认手机时间准确，输入验证器中当前显示的 6 位数字。"))
        return self._render(request, device, form)


class VerifyView(View):
    """The code asked after the password: from the authenticator app, or one recovery code."""

    def get(self, request):
        return _page(request, "staff/second_factor/verify.html", _t("双重验证"), form=TokenForm(),
                     has_passkey=passkeys_of(request.user).exists())

    def post(self, request):
        form = TokenForm(request.POST)
        if form.is_valid():
            device = match_token(request.user, form.cleaned_data["token"])
            if device is not None:
                otp_login(request, device)
                return redirect(_next(request))
            form.add_error("token", _t("验证码不对或已用过。连续输错后需要等待更久才能再试。"))
        return _page(request, "staff/second_factor/verify.html", _t("双重验证"), form=form,
                     has_passkey=passkeys_of(request.user).exists())


class ResetView(View):
    """The city removes a user's authenticators and recovery codes (a lost or replaced phone)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("auth.change_user"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        target = get_object_or_404(get_user_model(), pk=pk)
        return _page(request, "staff/second_factor/reset.html", _t("重置双重验证"), target=target,
                     devices=list(devices_for_user(target)))

    def post(self, request, pk):
        target = get_object_or_404(get_user_model(), pk=pk)
        removed = second_factor_reset(user=target)
        return _page(request, "staff/second_factor/reset.html", _t("重置双重验证"), target=target,
                     devices=[], removed=removed)
