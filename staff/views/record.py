"""Recording a complaint received offline (登记): by phone, in person, by letter or from the 12345 hotline."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.views import View

from complaints.services import ComplaintPermissionDenied, complaint_record_offline
from portal.forms import form_errors_add

from ..forms import RecordForm
from .queue import RECORD_PERMISSION, StaffAccessMixin


class RecordComplaintView(StaffAccessMixin, View):
    """GET the form; POST → complaint_record_offline → the new complaint's page. Errors stand beside their
    fields and everything typed is kept."""

    permission = RECORD_PERMISSION
    template_name = "staff/triage/record.html"

    def page(self, request, form, status=200):
        return TemplateResponse(request, self.template_name, {
            "form": form, "page_title": _t("登记来电来访"), "header_title": _t("登记来电来访"),
            "header_icon": "plus",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _t("首页")},
                {"url": reverse("triage:index"), "label": _t("投诉举报办理")},
                {"url": "", "label": _t("登记来电来访")},
            ]}, status=status)

    def get(self, request):
        return self.page(request, RecordForm(user=request.user, initial={"channel": "phone"}))

    def post(self, request):
        form = RecordForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.page(request, form, status=400)
        try:
            complaint = complaint_record_offline(user=request.user, **form.service_kwargs())
        except ComplaintPermissionDenied as exc:
            form.add_error("grid" if "grid" in form.fields else None, str(exc))
            return self.page(request, form, status=403)
        except ValidationError as exc:
            form_errors_add(form, exc)
            return self.page(request, form, status=400)
        messages.success(request, _t("已登记，查询码 %(code)s。请把查询码告诉反映人，以便查询办理进度。")
                         % {"code": complaint.display_code})
        return redirect("triage:detail", pk=complaint.pk)
