"""Back office: 日常巡查 — yearly plans, inspection records with their samples, tests and what follows, the
printed on-site record and sample labels — as one viewset under /admin/inspections/, with a menu group."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.viewsets.base import ViewSet

from portal.admin_menu import PermissionMenuItem

from ..views.common import ADD_INSPECTION, VIEW_INSPECTIONS, VIEW_PLANS
from ..views.detail import InspectionActionView, InspectionDetailView
from ..views.files import PhotoView, RecordPdfView, SampleLabelView
from ..views.listing import InspectionIndexView
from ..views.plans import (
    PlanDetailView,
    PlanGenerateView,
    PlanIndexView,
    VisitActionView,
    VisitAddView,
    VisitView,
)
from ..views.record import RecordInspectionView


class InspectionsViewSet(ViewSet):
    name = "inspections"
    url_prefix = "inspections"
    icon = "clipboard-list"
    menu_label = _("日常巡查")
    add_to_admin_menu = False  # the menu group below holds its entries

    def get_urlpatterns(self):
        return [
            path("", InspectionIndexView.as_view(), name="index"),
            path("results/", InspectionIndexView.as_view(results_only=True), name="index_results"),
            path("record/", RecordInspectionView.as_view(), name="record"),
            path("<int:pk>/", InspectionDetailView.as_view(), name="detail"),
            path("<int:pk>/act/<str:action>/", InspectionActionView.as_view(), name="act"),
            path("<int:pk>/record.pdf", RecordPdfView.as_view(), name="record_pdf"),
            path("photos/<int:pk>/", PhotoView.as_view(), name="photo"),
            path("photos/<int:pk>/thumbnail/", PhotoView.as_view(thumbnail=True), name="photo_thumbnail"),
            path("samples/<int:pk>/label.pdf", SampleLabelView.as_view(), name="sample_label"),
            path("plans/", PlanIndexView.as_view(), name="plans"),
            path("plans/generate/", PlanGenerateView.as_view(), name="plan_generate"),
            path("plans/<int:pk>/", PlanDetailView.as_view(), name="plan"),
            path("plans/<int:pk>/add/", VisitAddView.as_view(), name="visit_add"),
            path("plans/visits/<int:pk>/", VisitView.as_view(), name="visit"),
            path("plans/visits/<int:pk>/<str:action>/", VisitActionView.as_view(), name="visit_act"),
        ]


inspections_viewset = InspectionsViewSet()


class RulesMenuItem(PermissionMenuItem):
    def __init__(self, *args, **kwargs):
        super().__init__("inspections.change_inspectionrules", *args, **kwargs)


def inspections_menu_item() -> SubmenuMenuItem:
    """日常巡查 → 年度计划, 巡查记录, 登记巡查记录, 巡查频次规则 (each shown only with its permission)."""
    menu = Menu(items=[
        PermissionMenuItem(VIEW_PLANS, _("年度计划"), reverse("inspections:plans"), icon_name="calendar-alt",
                           name="inspection-plans", order=100),
        PermissionMenuItem(VIEW_INSPECTIONS, _("巡查记录"), reverse("inspections:index"), icon_name="clipboard-list",
                           name="inspection-records", order=200),
        PermissionMenuItem(ADD_INSPECTION, _("登记巡查记录"), reverse("inspections:record"), icon_name="plus",
                           name="inspection-record", order=300),
        RulesMenuItem(_("巡查频次规则"), reverse("wagtailsettings:edit", args=["inspections", "inspectionrules"]),
                      icon_name="cog", name="inspection-rules", order=400),
    ])
    return SubmenuMenuItem(_("日常巡查"), menu, icon_name="clipboard-list", name="inspections", order=160)
