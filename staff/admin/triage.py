"""Back office: the complaints screens (投诉举报) — triage queue, a complaint's page with its actions,
recording offline complaints, the dashboard — as one viewset under /admin/triage/, with a menu group."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.viewsets.base import ViewSet

from portal.admin_menu import PermissionMenuItem

from ..views.dashboard import DashboardView
from ..views.detail import ComplaintActionView, ComplaintDetailView, ReporterIdentityView
from ..views.queue import RECORD_PERMISSION, VIEW_PERMISSION, TriageIndexView
from ..views.record import RecordComplaintView


class TriageViewSet(ViewSet):
    name = "triage"
    url_prefix = "triage"
    icon = "warning"
    menu_label = _("投诉举报")
    add_to_admin_menu = False  # the menu group below holds its entries

    def get_urlpatterns(self):
        return [
            path("", TriageIndexView.as_view(), name="index"),
            path("results/", TriageIndexView.as_view(results_only=True), name="index_results"),
            path("record/", RecordComplaintView.as_view(), name="record"),
            path("dashboard/", DashboardView.as_view(), name="dashboard"),
            path("<int:pk>/", ComplaintDetailView.as_view(), name="detail"),
            path("<int:pk>/act/<str:action>/", ComplaintActionView.as_view(), name="act"),
            path("<int:pk>/identity/", ReporterIdentityView.as_view(), name="identity"),
        ]


triage_viewset = TriageViewSet()


def complaints_menu_item() -> SubmenuMenuItem:
    """投诉举报 → 办理队列, 登记来电来访, 统计 (each shown only with its permission)."""
    menu = Menu(items=[
        PermissionMenuItem(VIEW_PERMISSION, _("办理队列"), reverse("triage:index"), icon_name="list-ul",
                           name="triage-queue", order=100),
        PermissionMenuItem(RECORD_PERMISSION, _("登记来电来访"), reverse("triage:record"), icon_name="plus",
                           name="triage-record", order=200),
        PermissionMenuItem(VIEW_PERMISSION, _("统计"), reverse("triage:dashboard"), icon_name="table",
                           name="triage-dashboard", order=300),
    ])
    return SubmenuMenuItem(_("投诉举报"), menu, icon_name="warning", name="complaints", order=150)
