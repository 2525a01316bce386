"""The complaints dashboard (统计): counts by state and township, on-time rate, weekly trend as SVG."""

from django import forms
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views import View

from complaints.models import OPEN_STATES, State

from ..charts import rate_bar, weekly_chart_svg
from ..selectors import complaint_dashboard, counties_dashboard
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


DATE_ERRORS = {"invalid": _("请按“年-月-日”填写日期。")}


class PeriodForm(forms.Form):
    """统计期间: complaints received from start to end (either may be left empty)."""

    start = forms.DateField(label=_("从"), required=False, error_messages=DATE_ERRORS,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("至"), required=False, error_messages=DATE_ERRORS,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("开始日期不能晚于结束日期。"))
        return data


def _period_links(today) -> list[dict]:
    month = today.replace(day=1)
    year = today.replace(month=1, day=1)
    return [{"label": _t("本月"), "query": f"start={month}&end={today}"},
            {"label": _t("本年"), "query": f"start={year}&end={today}"},
            {"label": _t("全部"), "query": ""}]


class DashboardView(StaffAccessMixin, View):
    template_name = "staff/triage/dashboard.html"

    def get(self, request):
        from gridwork.admin.base import year_choices, year_from

        year = year_from(request)
        data = counties_dashboard(user=request.user, year=year)
        if data is not None:  # several counties: a line per county for a year, from their summary rows
            period, export_query = None, f"year={year}"
        else:
            period = PeriodForm(request.GET)
            dates = period.cleaned_data if period.is_valid() else {}
            data = complaint_dashboard(user=request.user, start=dates.get("start"), end=dates.get("end"))
            export_query = "&".join(f"{k}={v.isoformat()}" for k, v in dates.items() if v)
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return self.export(data, export)
        queue = reverse("triage:index")
        states = [{"state": s.value, "label": s.label, "count": data.counts_by_state[s.value],
                   "open": s.value in OPEN_STATES, "url": f"{queue}?state={s.value}"} for s in State]
        rows = [{"row": row, "rate": rate_bar(row.on_time_rate),
                 "url": f"{queue}?township={row.township.pk}" if row.township and not data.by_county else ""}
                for row in data.townships]
        return TemplateResponse(request, self.template_name, {
            "data": data, "states": states, "rows": rows,
            "chart": weekly_chart_svg(data.weeks) if not data.by_county else "",
            "period": period, "period_links": _period_links(timezone.localdate()),
            "year": year, "years": year_choices(year),
            "total_rate": rate_bar(data.total_row.on_time_rate),
            "export_query": export_query,
            "overall_rate": rate_bar(data.on_time_rate), "holiday_gaps": holiday_gaps(data.on),
            "holidays_url": reverse("wagtailsnippets_portal_holiday:list")
            if request.user.has_perm("portal.add_holiday") else "",
            "inspections": inspection_summary(request.user)
            if request.user.has_perm(COVERAGE_PERMISSION) and not data.by_county else None,
            "page_title": _t("投诉举报统计"), "header_title": _t("投诉举报统计"), "header_icon": "table",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _t("首页")},
                {"url": queue, "label": _t("投诉举报办理")},
                {"url": "", "label": _t("统计")},
            ]})

    def export(self, data, fmt: str) -> HttpResponse:
        from .dashboard_export import dashboard_csv, dashboard_xlsx

        name = "complaints-dashboard" + "".join(f"-{d.isoformat()}" for d in (data.start, data.end) if d)
        if fmt == "csv":
            response = HttpResponse(dashboard_csv(data), content_type="text/csv; charset=utf-8")
        else:
            from .coverage import XLSX_TYPE

            response = HttpResponse(dashboard_xlsx(data), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response
