"""An inspection's page (/admin/inspections/<id>/): the seven items with results and notes, photos (served
by a view that checks the user), samples with their rapid and quantitative tests, rectification orders
and referrals, and a form for each next step: confirm, sample, test, order rectification, follow up,
refer. Each step posts to …/act/<action>/ and calls its service; a refusal shows the page again with the
message beside the field (400) and nothing saved."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_noop
from django.views import View

from casework.models import Rectification, Referral

from ..forms import apply_errors
from ..forms.actions import (
    ConfirmForm,
    FollowUpForm,
    LabTestForm,
    RapidTestForm,
    RectificationForm,
    ReferralForm,
    SampleForm,
)
from ..models import Inspection, PlannedVisit, Sample
from ..services.records import (
    follow_up_inspection,
    inspection_confirm,
    lab_test_record,
    rapid_test_record,
    rectification_from_inspection,
    refer,
    sample_take,
)
from ..services.scope import TOWNSHIP, InspectionPermissionDenied, scope_for
from .common import CHANGE_INSPECTION, AccessMixin, admin_page, scoped_inspection

# action → (form, service, permission, how the service is called)
ACTIONS = {
    "confirm": (ConfirmForm, "inspections.confirm_inspection",
                lambda i, user, kw: inspection_confirm(inspection=i, user=user)),
    "sample": (SampleForm, "inspections.add_sample", lambda i, user, kw: sample_take(user=user, **kw)),
    "rapid_test": (RapidTestForm, "inspections.add_rapidtest", lambda i, user, kw: rapid_test_record(user=user, **kw)),
    "lab_test": (LabTestForm, "inspections.add_labtest", lambda i, user, kw: lab_test_record(user=user, **kw)),
    "rectify": (RectificationForm, CHANGE_INSPECTION,
                lambda i, user, kw: rectification_from_inspection(inspection=i, user=user, **kw)),
    "follow_up": (FollowUpForm, CHANGE_INSPECTION,
                  lambda i, user, kw: follow_up_inspection(inspection=i, user=user, **kw)),
    "refer": (ReferralForm, CHANGE_INSPECTION, lambda i, user, kw: refer(user=user, **kw)),
}
DONE_MESSAGES = {
    "confirm": gettext_noop("已确认这份隐患排查记录。"), "sample": gettext_noop("已登记抽样，样品编号 %(number)s。"),
    "rapid_test": gettext_noop("已登记快速检测结果。"), "lab_test": gettext_noop("已登记定量检测结果。"),
    "rectify": gettext_noop("已下达整改通知。"), "follow_up": gettext_noop("已登记整改复查。"),
    "refer": gettext_noop("已登记移送。"),
}


def allowed_actions(inspection: Inspection, user, samples: list, open_orders: list) -> list[str]:
    """The steps this user may take on this record now (the services check again)."""
    if scope_for(user, inspection.producer) != TOWNSHIP:
        return []
    allowed = []
    for action, (_form, perm, _call) in ACTIONS.items():
        if not user.has_perm(perm):
            continue
        if action == "confirm" and inspection.confirmed:
            continue
        if action in ("rapid_test", "lab_test") and not samples:
            continue
        if action == "follow_up" and not open_orders:
            continue
        allowed.append(action)
    return allowed


class InspectionPageMixin(AccessMixin):
    def page(self, request, inspection, failed=None, status=200):
        user = request.user
        kind = ContentType.objects.get_for_model(Inspection)
        samples = list(Sample.objects.filter(inspection=inspection).prefetch_related(
            "rapid_tests__substance", "lab_tests__substance").order_by("id"))
        orders = list(Rectification.objects.filter(source_type=kind, source_id=inspection.pk)
                      .prefetch_related("follow_ups", "referrals"))
        referrals = list(Referral.objects.filter(source_type=kind, source_id=inspection.pk))
        open_orders = [o for o in Rectification.objects.open().filter(producer_id=inspection.producer_id)
                       if o.pk not in {x.pk for x in orders}]
        allowed = allowed_actions(inspection, user, samples, open_orders)
        opened = failed.action if failed is not None else next(
            (a for a in ("confirm", "rectify") if a in allowed and (a == "confirm" or (inspection.failed_items and not orders))),
            None)
        if failed is not None and failed.action not in allowed:
            allowed.insert(0, failed.action)  # no longer possible: keep what was typed and say why
        forms = []
        for action in allowed:
            form = failed if failed is not None and failed.action == action else ACTIONS[action][0](
                inspection=inspection)
            form.action = action
            forms.append({"form": form, "action": action, "open": action == opened,
                          "url": reverse("inspections:act", args=[inspection.pk, action])})
        visit = PlannedVisit.objects.filter(inspection=inspection).select_related("plan").first()
        title = _t("巡查记录：%(producer)s %(date)s") % {"producer": inspection.producer.name,
                                                     "date": inspection.inspected_on.isoformat()}
        return admin_page(request, "inspections/admin/detail.html", title, {
            "inspection": inspection, "items": list(inspection.items.all()), "photos": list(inspection.photos.all()),
            "samples": samples, "orders": orders, "referrals": referrals, "open_orders": open_orders,
            "action_forms": forms, "visit": visit, "inspectors": list(inspection.inspectors.all()),
            "can_print": user.has_perm("inspections.view_inspection"),
        }, breadcrumbs=[(reverse("inspections:index"), _t("巡查记录")), ("", inspection.producer.name)],
            status=status)


class InspectionDetailView(InspectionPageMixin, View):
    def get(self, request, pk):
        return self.page(request, scoped_inspection(request.user, pk))


class InspectionActionView(InspectionPageMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, action):
        inspection = scoped_inspection(request.user, pk)
        if action not in ACTIONS:
            raise Http404
        form_class, perm, call = ACTIONS[action]
        if not request.user.has_perm(perm):
            form = form_class(inspection=inspection)
            form.action = action
            form.add_error(None, _t("您没有办理这项工作的权限。"))
            return self.page(request, inspection, failed=form, status=403)
        form = form_class(request.POST, inspection=inspection)
        form.action = action
        if not form.is_valid():
            return self.page(request, inspection, failed=form, status=400)
        try:
            result = call(inspection, request.user, form.service_kwargs())
        except InspectionPermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.page(request, inspection, failed=form, status=403)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.page(request, inspection, failed=form, status=400)
        text = _t(DONE_MESSAGES[action])
        if action == "sample":
            text = text % {"number": result.obj.number}
        messages.success(request, text)
        return redirect(reverse("inspections:detail", args=[inspection.pk]) + f"#{action}")

