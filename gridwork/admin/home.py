"""The city's admin home panels: grids where a role the plan requires has nobody in it (空缺), live, and the
townships that have not sent up their monthly report (未报送)."""

from urllib.parse import urlencode

from django.urls import reverse
from wagtail.admin.ui.components import Component

from disclosure.models import GridLevel
from disclosure.services.grids import grids_unstaffed


class UnstaffedGridsPanel(Component):
    name = "unstaffed_grids"
    template_name = "gridwork/home_unstaffed.html"
    order = 60  # below the complaints summary

    def get_context_data(self, parent_context):
        vacancies = grids_unstaffed()
        assignments = reverse("grid_assignments:index")
        rows = [{
            "grid": v.grid,
            "name": v.grid.full_name,
            "level": v.grid.get_level_display(),
            "roles": v.role_labels,
            "url": f"{assignments}?{urlencode({'grid': v.grid.pk, 'status': 'all'})}",
        } for v in vacancies]
        return {
            "rows": rows,
            "township_count": sum(1 for v in vacancies if v.grid.level != GridLevel.VILLAGE),
            "village_count": sum(1 for v in vacancies if v.grid.level == GridLevel.VILLAGE),
            "add_url": reverse("grid_assignments:add"),
        }


class NotReportedPanel(Component):
    """未报送: the townships that have not sent up the latest month past its due day."""

    name = "not_reported"
    template_name = "gridwork/home_not_reported.html"
    order = 61

    def get_context_data(self, parent_context):
        from ..models import MonthlyReport, ReportStatus
        from ..services.reports import report_due_on, reports_missing

        year, month, rows = reports_missing()
        return {"year": year, "month": month, "rows": rows, "due": report_due_on(year, month),
                "waiting": MonthlyReport.objects.filter(status=ReportStatus.SUBMITTED).count(),
                "url": f"{reverse('gridwork:reports')}?{urlencode({'year': year, 'month': month})}"}
