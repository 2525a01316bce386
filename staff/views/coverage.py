"""巡查频次达标 at /admin/inspection-coverage/: per township with the city total, month columns, a township's
drill-down, the traceability-platform coverage (附件1 第四条), and the same figures as XLSX.

Scoped: township staff see their own townships, the city (and superusers) all of them. The figures come
from inspections.services.coverage and disclosure.selectors, in a fixed number of aggregate queries.
"""

import io

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views import View

from disclosure.models import Grid, GridLevel
from disclosure.selectors import traceability_coverage, traceability_total
from inspections.models import InspectionPlan
from inspections.services.coverage import CoverageError, coverage_for, township_detail, year_check
from inspections.services.scope import township_ids_for
from portal.spreadsheets import XLSX_TYPE

from ..charts import rate_bar

PERMISSION = "inspections.view_inspectionplan"


def coverage_scope(user) -> list[int] | None:
    """Township ids the user may see (None: all)."""
    return township_ids_for(user)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def status_words(row) -> str:
    """Behind plan said in words, so that it does not rest on colour."""
    if row.unplanned:
        return _t("未制定年度计划")
    if row.behind:
        return _t("落后于计划：已过月份完成%(share)s") % {"share": _percent(row.progress)}
    if row.progress is None:
        return _t("尚无到期的计划巡查")
    return _t("按计划进行：已过月份完成%(share)s") % {"share": _percent(row.progress)}


def inspection_summary(user) -> dict | None:
    """This year's coverage of the user's townships for the dashboard; None when they have none."""
    scope = coverage_scope(user)
    if scope == []:
        return None
    figures = coverage_for(year=timezone.localdate().year, township_ids=scope)
    label = (figures.townships[0].township.name if len(figures.townships) == 1
             else _t("全市") if scope is None else _t("合计"))
    return {"figures": figures, "status": status_words(figures.city), "label": label,
            "behind": [r for r in figures.townships if r.behind or r.unplanned],
            "url": reverse("inspection_coverage:index")}


class CoverageView(View):
    template_name = "staff/coverage/index.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        response = super().dispatch(request, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"
        return response

    def get(self, request):
        today = timezone.localdate()
        notices = []
        raw_year = request.GET.get("year")
        year = today.year
        if raw_year not in (None, ""):
            try:
                year = year_check(raw_year, today=today)
            except CoverageError as exc:
                notices.append(_t("年度“%(value)s”无效，应为%(first)d到%(last)d之间的年份；已显示%(year)d年。")
                               % {"value": exc.value, "first": exc.first, "last": exc.last, "year": year})
        scope = coverage_scope(request.user)
        counties, county = _county_choice(request, scope)
        if county is not None:  # a user above the counties reads one county at a time
            inside = list(Grid.objects.within(county).townships().values_list("pk", flat=True))
            scope = inside if scope is None else [pk for pk in scope if pk in set(inside)]
        township = None
        if request.GET.get("township"):
            township = Grid.objects.filter(level=GridLevel.TOWNSHIP, pk=_int(request.GET["township"])).first()
            if township is None:
                raise Http404(_t("没有这个乡镇。"))
            if scope is not None and township.pk not in scope:
                raise PermissionDenied
        ids = [township.pk] if township else scope
        figures = coverage_for(year=year, township_ids=ids, on=today)
        trace = traceability_coverage(township_ids=ids)
        detail = township_detail(township=township, year=year, on=today) if township else None
        if request.GET.get("export") == "xlsx":
            return self.export(figures, trace, detail, township)
        years = sorted({today.year, year, *InspectionPlan.objects.filter(
            **({"township_id__in": scope} if scope is not None else {})).values_list("year", flat=True)},
            reverse=True)
        base = reverse("inspection_coverage:index")
        along = f"&county={county.pk}" if county else ""
        rows = [{"row": r, "status": status_words(r), "share": rate_bar(r.share_at_frequency),
                 "url": f"{base}?year={year}{along}&township={r.township.pk}"} for r in figures.townships]
        title = (_t("%(township)s巡查频次达标") % {"township": township.name}) if township else _t("巡查频次达标")
        params = request.GET.copy()
        params["export"] = "xlsx"
        return TemplateResponse(request, self.template_name, {
            "figures": figures, "rows": rows, "city_status": status_words(figures.city),
            "city_share": rate_bar(figures.city.share_at_frequency), "year": year, "years": years,
            "township": township, "detail": detail, "notices": notices, "no_scope": scope == [],
            "counties": counties, "county": county,
            "total_label": _t("%(name)s合计") % {"name": county.name} if county else _t("全市合计"),
            "months": range(1, 13), "trace": trace, "trace_total": traceability_total(trace),
            "export_url": f"{base}?{params.urlencode()}", "back_url": f"{base}?year={year}{along}",
            "page_title": title, "header_title": title, "header_icon": "table",
            "breadcrumbs_items": [{"url": reverse("wagtailadmin_home"), "label": _t("首页")},
                                  {"url": base if township else "", "label": _t("巡查频次达标")}]
            + ([{"url": "", "label": township.name}] if township else []),
        })

    def export(self, figures, trace, detail, township) -> HttpResponse:
        from .coverage_xlsx import coverage_xlsx

        content = coverage_xlsx(figures=figures, trace=trace, detail=detail, status_words=status_words)
        name = f"inspection-coverage-{figures.year}" + (f"-{township.code}" if township else "")
        response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


def _county_choice(request, scope):
    """(the counties to choose from, the chosen one) for a user whose scope spans several counties — the
    prefecture's or the region's staff read a county at a time, never every township of the region at
    once; ([], None) for everyone else."""
    from gridwork.services.scope import county_choice

    if scope is not None and len(scope) < 2:  # a township's staff
        return [], None
    asked = request.GET.get("county")
    if not asked and request.GET.get("township"):  # a township's page: its own county
        asked = Grid.objects.filter(pk=_int(request.GET["township"])).values_list("parent_id", flat=True).first()
    counties, county = county_choice(request.user, asked)
    return (counties, county) if len(counties) > 1 else ([], None)


def _int(value) -> int:
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else 0


def xlsx_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
