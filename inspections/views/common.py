"""What every back-office inspections view shares: the permission check, scoping answers (404 for what is
outside the user's grids, as if it did not exist), and Wagtail's page frame."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _t

from disclosure.models import Grid

from ..models import Inspection, InspectionPlan
from ..services.scope import township_ids_for

VIEW_INSPECTIONS = "inspections.view_inspection"
ADD_INSPECTION = "inspections.add_inspection"
CHANGE_INSPECTION = "inspections.change_inspection"
CONFIRM_INSPECTION = "inspections.confirm_inspection"
VIEW_PLANS = "inspections.view_inspectionplan"
MANAGE_PLAN = "inspections.manage_plan"


class AccessMixin:
    """Only users holding `permission`; nothing of this is cached by a browser or proxy."""

    permission = VIEW_INSPECTIONS

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        response = super().dispatch(request, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"
        return response


def scoped_inspection(user, pk: int) -> Inspection:
    """The inspection if its producer is in the user's grids; 404 otherwise."""
    queryset = Inspection.objects.visible_to(user).select_related(
        "producer", "producer__village", "producer__village__parent", "township", "recorded_by", "confirmed_by")
    return get_object_or_404(queryset, pk=pk)


def user_townships(user):
    """The townships whose plans the user sees (all of them for the city)."""
    ids = township_ids_for(user)
    townships = Grid.objects.townships().in_order()
    return townships if ids is None else townships.filter(pk__in=ids)


def scoped_plan(user, pk: int) -> InspectionPlan:
    plan = get_object_or_404(InspectionPlan.objects.select_related("township"), pk=pk)
    ids = township_ids_for(user)
    if ids is not None and plan.township_id not in ids:
        raise Http404
    return plan


def crumbs(*items) -> list[dict]:
    """Breadcrumbs from the admin home: (url, label) pairs, the last without a link."""
    return [{"url": reverse("wagtailadmin_home"), "label": _t("首页")}] + [
        {"url": url, "label": label} for url, label in items]


def admin_page(request, template: str, title: str, context: dict, *, icon: str = "clipboard-list",
               breadcrumbs=(), status: int = 200):
    return TemplateResponse(request, template, {"page_title": title, "header_title": title, "header_icon": icon,
                                                "breadcrumbs_items": crumbs(*breadcrumbs), **context},
                            status=status)
