"""The complaints dashboard (统计): counts by state and township, on-time rate, weekly trend as SVG."""

from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.views import View

from complaints.models import OPEN_STATES, State

from ..charts import rate_bar, weekly_chart_svg
from ..selectors import complaint_dashboard
from .coverage import PERMISSION as COVERAGE_PERMISSION
from .coverage import inspection_summary
from .queue import StaffAccessMixin


def holiday_gaps(today) -> list[int]:
    """This year (and from October on the next) if the working-day calendar has no holidays entered for it:
    deadlines counted across it would ignore its public holidays."""
    from portal.models import Holiday

    years = {today.year} | ({today.year + 1} if today.month >= 10 else set())
    entered = {d.year for d in Holiday.objects.filter(date__year__in=years).dates("date", "year")}
    return sorted(years - entered)


class DashboardView(StaffAccessMixin, View):
    template_name = "staff/triage/dashboard.html"

    def get(self, request):
        data = complaint_dashboard(user=request.user)
        queue = reverse("triage:index")
        states = [{"state": s.value, "label": s.label, "count": data.counts_by_state[s.value],
                   "open": s.value in OPEN_STATES, "url": f"{queue}?state={s.value}"} for s in State]
        rows = [{"row": row, "rate": rate_bar(row.on_time_rate),
                 "url": f"{queue}?township={row.township.pk}" if row.township else ""} for row in data.townships]
        return TemplateResponse(request, self.template_name, {
            "data": data, "states": states, "rows": rows, "chart": weekly_chart_svg(data.weeks),
            "overall_rate": rate_bar(data.on_time_rate), "holiday_gaps": holiday_gaps(data.on),
            "holidays_url": reverse("wagtailsnippets_portal_holiday:list")
            if request.user.has_perm("portal.add_holiday") else "",
            "inspections": inspection_summary(request.user)
            if request.user.has_perm(COVERAGE_PERMISSION) else None,
            "page_title": _t("投诉举报统计"), "header_title": _t("投诉举报统计"), "header_icon": "table",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _t("首页")},
                {"url": queue, "label": _t("投诉举报办理")},
                {"url": "", "label": _t("统计")},
            ]})
