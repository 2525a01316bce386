"""Back office: 登录锁定 — accounts locked after wrong passwords (django-axes), and unlocking them early."""

from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _t
from django.views import View

PERMISSION = "axes.delete_accessattempt"


class LockoutsView(View):
    """The locked account-and-address pairs, newest first, each with an unlock button (POST)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        attempts = AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT).order_by("-attempt_time")[:200]
        response = TemplateResponse(request, "staff/lockouts.html", {
            "attempts": attempts, "page_title": _t("登录锁定"), "header_title": _t("登录锁定"),
            "header_icon": "lock"})
        response["Cache-Control"] = "no-store, private"
        return response

    def post(self, request):
        attempt = get_object_or_404(AccessAttempt, pk=request.POST.get("attempt"))
        attempt.delete()
        return redirect("lockouts:index")
