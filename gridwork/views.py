"""The public results page (成效, the plan 五(四)): /results/?year= — a year's figures per township in words
and small server-drawn charts. Cached like the other public pages (ETag from the records' state and the
date, HTML kept in the shared cache); a year that is not a plausible one shows this year with a notice."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from disclosure.models import ABOVE_COUNTY, Grid
from disclosure.sites import served_grid, url_on_site_serving
from portal.http import cached_html, fingerprint, public_cache

from .charts import share_bars_svg
from .services.results import FIRST_YEAR, ResultRow, results_for, results_state, results_years
from .services.rollups import county_result_row, rollup_for

PAGE_VERSION = "2"

# (key, title, part, whole): the measures drawn, each a share of ResultRow counts.
MEASURES = [
    ("inspections", "done", "planned"),
    ("covered", "producers_covered", "producers_required"),
    ("followed", "positives_followed", "positives"),
    ("complaints", "complaints_on_time", "complaints_closed"),
    ("training", "staff_trained", "staff"),
]


def _titles() -> dict[str, str]:
    return {"inspections": _("日常巡查完成情况（完成次数 / 计划次数）"),
            "covered": _("达到规定巡查频次的生产主体"),
            "followed": _("速测阳性或可疑样品的跟进处理"),
            "complaints": _("投诉举报按期办结"),
            "training": _("网格人员年度培训覆盖")}


def parse_year(raw, *, today=None) -> tuple[int, str]:
    """(year, notice): the year asked for, or this year with a notice saying why the value was not used."""
    this = (today or timezone.localdate()).year
    if raw in (None, ""):
        return this, ""
    text = str(raw).strip()
    if text.isascii() and text.isdigit() and len(text) == 4 and FIRST_YEAR <= int(text) <= this:
        return int(text), ""
    return this, _("“%(value)s”不是可以查看的年份（%(first)d年到%(last)d年），下面是%(year)d年的情况。") % {
        "value": text[:20], "first": FIRST_YEAR, "last": this, "year": this}


def words(row: ResultRow) -> list[str]:
    """The row's figures as short plain sentences."""
    out = [_("计划巡查%(planned)d次，已完成%(done)d次。") % {"planned": row.planned, "done": row.done}
           if row.planned else _("没有巡查计划；已完成巡查%(done)d次。") % {"done": row.done}]
    if row.producers_required:
        out.append(_("按规定需要巡查的生产主体%(n)d家，其中%(m)d家达到了规定的巡查次数。")
                   % {"n": row.producers_required, "m": row.producers_covered})
    text = _("快速检测%(n)d次") % {"n": row.rapid_tests}
    if row.positives:
        text += _("，发现阳性或可疑%(p)d次，已跟进处理%(f)d次。") % {"p": row.positives, "f": row.positives_followed}
    else:
        text += _("，未发现阳性或可疑结果。")
    out.append(text)
    out.append(_("办结投诉举报%(n)d件，其中按期办结%(m)d件。") % {"n": row.complaints_closed, "m": row.complaints_on_time}
               if row.complaints_closed else _("当年没有办结的投诉举报。"))
    if row.staff:
        out.append(_("网格人员%(n)d人，已参加培训%(m)d人。") % {"n": row.staff, "m": row.staff_trained})
    return out


def _state(request) -> dict:
    if not hasattr(request, "_results_state"):
        request._results_state = results_state(served_grid())
    return request._results_state


def _etag(request, *args, **kwargs):
    return fingerprint(PAGE_VERSION, sorted(_state(request).items()), timezone.localdate(),
                       sorted(request.GET.lists()))


def _page(request):
    year, notice = parse_year(request.GET.get("year"))
    served = served_grid()
    if served is not None and served.level in ABOVE_COUNTY:
        return _rollup_page(request, served, year, notice)
    township_ids = (None if served is None or served.parent_id is None
                    else list(Grid.objects.within(served).townships().values_list("pk", flat=True)))
    figures = results_for(year=year, township_ids=township_ids)
    titles = _titles()
    charts = []
    for key, part, whole in MEASURES:
        rows = [(r.township.name, getattr(r, part), getattr(r, whole)) for r in figures.townships]
        summary = "；".join(f"{name} {p}/{w}" for name, p, w in rows)
        city = (getattr(figures.city, part), getattr(figures.city, whole))
        charts.append({"key": key, "title": titles[key], "city": city, "share": ResultRow.share(*city),
                       "svg": share_bars_svg(rows, title=titles[key], summary=summary, chart_id=f"c-{key}")})
    return render(request, "gridwork/results.html", {
        "year": year, "notice": notice, "results": figures, "charts": charts, "years": results_years(),
        "city_words": words(figures.city),
        "townships": [{"row": r, "words": words(r)} for r in figures.townships],
    }, status=200)


def _rollup_page(request, grid, year: int, notice: str):
    """A prefecture's or the region's site: its counties' figures from their summary rows, with the total."""
    rollup = rollup_for(grid=grid, year=year)
    groups = []
    for prefecture, counties in rollup["groups"]:
        rows = []
        for county, row in counties:
            result = county_result_row(row)
            rows.append({"county": county, "row": row, "result": result,
                         "words": words(result) if result else [], "url": url_on_site_serving(county, "/results/", own=True)})
        groups.append({"prefecture": prefecture, "rows": rows})
    return render(request, "gridwork/results_counties.html", {
        "year": year, "notice": notice, "years": results_years(), "groups": groups, "rollup": rollup,
        "total_words": words(rollup["total"]), "grid": grid}, status=200)


@require_safe
@public_cache(etag=_etag)
def results(request):
    """成效: the year's figures per township and for the city."""
    return cached_html(request, _etag(request), lambda: _page(request))
