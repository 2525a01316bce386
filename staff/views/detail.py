"""A complaint's page in the back office (/admin/triage/<id>/): facts, photos, the log, deadlines, and a
small form for each action this user may take now. Actions post to …/act/<action>/; a refused action
shows the page again with its message and everything typed; the reporter's identity is shown on request
(POST …/identity/), each time logged by complaint_reporter_identity.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views import View

from complaints.models import Action, Complaint
from complaints.services import (
    ComplaintChanged,
    ComplaintPermissionDenied,
    allowed_actions,
    can_view_identity,
    complaint_act,
    complaint_reporter_identity,
)
from complaints.services.transitions import WAITING_FOR
from portal.text import clean_text

from ..forms import ACTION_FORMS, ACTION_ORDER, SECONDARY_ACTIONS
from ..selectors import complaint_timeline
from .queue import StaffAccessMixin, deadline_html


def _waiting_label(complaint: Complaint, waiting, open_action) -> str:
    """When the complaint waits for a step this user cannot take: whose turn it is, in a sentence."""
    if open_action is not None or not waiting:
        return ""
    step = waiting[-1]
    if step == Action.APPROVE_REPLY:
        return _t("答复已拟定，正在等待另一位有审核权限的工作人员审核（拟定和审核不能是同一人）。")
    return _t("这件正在等待“%(step)s”，由有相应权限的工作人员办理。") % {"step": Action(step).label}


def _complaint(user, pk: int) -> Complaint:
    """The complaint if it is in the user's grids; 404 otherwise (as if it did not exist)."""
    queryset = Complaint.objects.visible_to(user).select_related(
        "grid", "grid__parent", "township", "assignee", "producer", "producer__village", "place_village",
        "place_village__parent", "place_township", "recorded_by", "reply_approved_by", "duplicate_of")
    return get_object_or_404(queryset, pk=pk)


class ComplaintPageMixin(StaffAccessMixin):
    template_name = "staff/triage/detail.html"

    def page(self, request, complaint: Complaint, *, failed=None, error: str = "", changed: bool = False,
             identity=None, status: int = 200):
        user = request.user
        today = timezone.localdate()
        allowed = allowed_actions(complaint, user)
        waiting = WAITING_FOR.get(complaint.state, ())
        if complaint.is_paused:
            waiting = (Action.LAB_RESUME,)
        # The step the complaint is waiting for comes first and open; the other actions are folded below.
        open_action = next((a for a in waiting if a in allowed), None)
        ordered = sorted((a for a in ACTION_ORDER if a in allowed), key=lambda a: a != open_action)
        forms = []
        for action in ordered:
            if failed is not None and failed.action == action:
                form = failed
            else:
                form = ACTION_FORMS[action](complaint=complaint, user=user)
            forms.append({"form": form, "action": action, "label": form.label,
                          "secondary": action in SECONDARY_ACTIONS,
                          "open": form is failed or (failed is None and action == open_action),
                          "url": reverse("triage:act", args=[complaint.pk, action])})
        if failed is not None and failed.action not in allowed:
            # The action is no longer possible (someone acted meanwhile): keep what was typed visible.
            forms.insert(0, {"form": failed, "action": failed.action, "label": failed.label, "secondary": False,
                             "open": True, "stale": True, "url": reverse("triage:act", args=[complaint.pk,
                                                                                           failed.action])})
        log, identity_log = complaint_timeline(complaint)
        context = {
            "complaint": complaint, "photos": list(complaint.photos.all()), "timeline": log,
            "identity_log": identity_log, "action_forms": forms, "error": error, "changed": changed,
            "can_view_identity": can_view_identity(user, complaint) and complaint.has_identity,
            "identity": identity, "today": today, "waiting_label": _waiting_label(complaint, waiting, open_action), "deadline": deadline_html(complaint, today),
            "is_overdue": complaint.is_overdue(today),
            "rectification_overdue": bool(complaint.state == "rectifying" and complaint.rectification_due
                                          and complaint.rectification_due < today),
            "duplicates": list(complaint.duplicates.only("id", "submitted_at", "state")),
            "page_title": _t("投诉举报 %(code)s") % {"code": complaint.internal_number},
            "header_title": _t("投诉举报 %(code)s") % {"code": complaint.internal_number},
            "header_icon": "warning",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _t("首页")},
                {"url": reverse("triage:index"), "label": _t("投诉举报办理")},
                {"url": "", "label": complaint.internal_number},
            ],
        }
        return TemplateResponse(request, self.template_name, context, status=status)


class ComplaintDetailView(ComplaintPageMixin, View):
    """GET: the complaint's page."""

    def get(self, request, pk: int):
        return self.page(request, _complaint(request.user, pk))


class ComplaintActionView(ComplaintPageMixin, View):
    """POST: one lifecycle action through its service; on success back to the page, else the page with the
    message (400 bad input or not allowed now, 409 changed meanwhile, 403 no permission)."""

    http_method_names = ["post"]

    def post(self, request, pk: int, action: str):
        complaint = _complaint(request.user, pk)
        form_class = ACTION_FORMS.get(action)
        if form_class is None:
            raise Http404
        form = form_class(request.POST, request.FILES, complaint=complaint, user=request.user)
        if not form.is_valid():
            return self.page(request, complaint, failed=form, status=400)
        before = complaint.get_state_display()
        try:
            complaint_act(action=action, complaint=complaint, user=request.user, photos=form.photos,
                          expected_version=form.cleaned_data["expected_version"], **form.service_kwargs())
        except ComplaintChanged as exc:
            form.add_error(None, exc.messages[0])
            return self.page(request, _complaint(request.user, pk), failed=form, changed=True, status=409)
        except ComplaintPermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.page(request, _complaint(request.user, pk), failed=form, status=403)
        except ValidationError as exc:  # TransitionNotAllowed, ComplaintError, or a text the service refused
            for message in exc.messages:
                form.add_error(None, message)
            return self.page(request, _complaint(request.user, pk), failed=form, status=400)
        after = complaint.get_state_display()
        if before != after:
            messages.success(request, _t("已执行“%(action)s”：%(before)s → %(after)s。") % {
                "action": form.label, "before": before, "after": after})
        else:
            messages.success(request, _t("已执行“%(action)s”。") % {"action": form.label})
        if not Complaint.objects.visible_to(request.user).filter(pk=complaint.pk).exists():
            # Sent to a grid outside the user's own (改派 to another township): back to their queue.
            messages.info(request, _t("%(number)s 已改派到%(grid)s，不在您负责的网格内，已从您的队列中移出。") % {
                "number": complaint.internal_number, "grid": complaint.grid.full_name})
            return redirect("triage:index")
        return redirect("triage:detail", pk=complaint.pk)


class ReporterIdentityView(ComplaintPageMixin, View):
    """POST: show the reporter's name, phone and e-mail on the page, once; every view is logged."""

    http_method_names = ["post"]
    purpose_label = _("查看用途")

    def post(self, request, pk: int):
        complaint = _complaint(request.user, pk)
        try:
            purpose = clean_text(request.POST.get("purpose", ""), label=str(self.purpose_label), max_length=200)
        except ValidationError as exc:
            return self.page(request, complaint, error=exc.messages[0], status=400)
        try:
            identity = complaint_reporter_identity(complaint=complaint, user=request.user, purpose=purpose)
        except ComplaintPermissionDenied as exc:
            return self.page(request, complaint, error=str(exc), status=403)
        return self.page(request, complaint, identity=identity)
