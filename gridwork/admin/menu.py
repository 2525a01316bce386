"""The gridwork screens as one viewset under /admin/gridwork/, and the 网格运行 menu group."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.viewsets.base import ViewSet

from portal.admin_menu import PermissionMenuItem

from .assessment import AssessmentIndexView, CardView, SchemeEditView, compute_view, finalise_view, report_pdf
from .meetings import MeetingFormView, MeetingIndexView, MeetingView, MinutesPdfView
from .oversight import CheckFormView, CheckView, OversightIndexView
from .quotas import QuotaEditView, QuotaProgressView
from .reports import (
    MonthXlsxView,
    ReportDraftView,
    ReportPdfView,
    ReportsIndexView,
    ReportView,
    ReportXlsxView,
)
from .training import CoverageView, SessionFormView, SessionView, TrainingIndexView


class GridworkViewSet(ViewSet):
    name = "gridwork"
    url_prefix = "gridwork"
    icon = "table"
    menu_label = _("网格运行")
    add_to_admin_menu = False

    def get_urlpatterns(self):
        return [
            path("quotas/", QuotaProgressView.as_view(), name="quotas"),
            path("quotas/edit/", QuotaEditView.as_view(), name="quota_edit"),
            path("training/", TrainingIndexView.as_view(), name="training"),
            path("training/new/", SessionFormView.as_view(), name="training_new"),
            path("training/coverage/", CoverageView.as_view(), name="training_coverage"),
            path("training/<int:pk>/", SessionView.as_view(), name="training_session"),
            path("training/<int:pk>/edit/", SessionFormView.as_view(), name="training_edit"),
            path("oversight/", OversightIndexView.as_view(), name="oversight"),
            path("oversight/new/", CheckFormView.as_view(), name="oversight_new"),
            path("oversight/<int:pk>/", CheckView.as_view(), name="oversight_check"),
            path("meetings/", MeetingIndexView.as_view(), name="meetings"),
            path("meetings/new/", MeetingFormView.as_view(), name="meeting_new"),
            path("meetings/<int:pk>/", MeetingView.as_view(), name="meeting"),
            path("meetings/<int:pk>/edit/", MeetingFormView.as_view(), name="meeting_edit"),
            path("meetings/<int:pk>/minutes.pdf", MinutesPdfView.as_view(), name="meeting_minutes"),
            path("reports/", ReportsIndexView.as_view(), name="reports"),
            path("reports/draft/", ReportDraftView.as_view(), name="report_draft"),
            path("reports/month.xlsx", MonthXlsxView.as_view(), name="reports_month_xlsx"),
            path("reports/<int:pk>/", ReportView.as_view(), name="report"),
            path("reports/<int:pk>/pdf/", ReportPdfView.as_view(), name="report_pdf"),
            path("reports/<int:pk>/xlsx/", ReportXlsxView.as_view(), name="report_xlsx"),
            path("assessment/", AssessmentIndexView.as_view(), name="assessment"),
            path("assessment/scheme/", SchemeEditView.as_view(), name="assessment_scheme"),
            path("assessment/compute/", compute_view, name="assessment_compute"),
            path("assessment/finalise/", finalise_view, name="assessment_finalise"),
            path("assessment/report.pdf", report_pdf, name="assessment_report"),
            path("assessment/<int:year>/<int:township>/", CardView.as_view(), name="assessment_card"),
        ]


gridwork_viewset = GridworkViewSet()


def gridwork_menu_item() -> SubmenuMenuItem:
    """网格运行 → 速测任务, 培训, 乡镇监督检查, 问题会商, 月报, 乡镇考核 (each entry shown only with its permission)."""
    menu = Menu(items=[
        PermissionMenuItem("gridwork.view_stationquota", _("速测任务"), reverse("gridwork:quotas"),
                           icon_name="table", name="gridwork-quotas", order=100),
        PermissionMenuItem("gridwork.view_trainingsession", _("培训"), reverse("gridwork:training"),
                           icon_name="group", name="gridwork-training", order=200),
        PermissionMenuItem("gridwork.view_townshipcheck", _("乡镇监督检查"), reverse("gridwork:oversight"),
                           icon_name="doc-full", name="gridwork-oversight", order=300),
        PermissionMenuItem("gridwork.view_meeting", _("问题会商"), reverse("gridwork:meetings"),
                           icon_name="comment", name="gridwork-meetings", order=400),
        PermissionMenuItem("gridwork.view_monthlyreport", _("月报"), reverse("gridwork:reports"),
                           icon_name="doc-full-inverse", name="gridwork-reports", order=500),
        PermissionMenuItem("gridwork.view_assessmentscheme", _("乡镇考核"), reverse("gridwork:assessment"),
                           icon_name="pick", name="gridwork-assessment", order=600),
    ])
    return SubmenuMenuItem(_("网格运行"), menu, icon_name="group", name="gridwork", order=160)
