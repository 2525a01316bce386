"""Open data of the grid work's results (成效): /api/v1/results/?year=.

Served by the portal's /api/v1/ through disclosure.api.extensions (registered from GridworkConfig.ready()),
so it shares its OpenAPI description, ETags, CORS and errors. The same figures as the public page /results/
(gridwork.services.results): counts only, no names or personal data.
"""

import datetime

from django.utils import timezone
from ninja import Field, Query, Router
from ninja.decorators import decorate_view

from disclosure.api.extensions import (
    ERROR_RESPONSES,
    YEAR_RULE,
    LangQuery,
    Out,
    PlaceRef,
    cached,
    check_parameters,
    invalid_parameter,
    place,
    with_query_schema,
)
from disclosure.models import ABOVE_COUNTY, Grid
from disclosure.sites import served_grid
from portal.qr import absolute_url

from .services.results import FIRST_YEAR, ResultRow, results_for, results_state
from .services.rollups import county_result_row, rollup_for

COUNTY_RULE = ("县（市）county 须为本平台所辖县（市）的区划代码（6 位数字），例如 652301。",
               "county must be the division code (6 digits) of a county this portal serves, e.g. 652301.")

router = Router(tags=["results"])



class ResultsQuery(LangQuery):
    year: str | None = Field(None, description="年度，默认今年，如 2026 / year, this year by default")
    county: str | None = Field(None, pattern=r"^\d{6}$",
                               description="县（市）的 6 位区划代码；默认为本站点服务的县（市）/ a county's division "
                                           "code; by default the site's own")


class ResultRowOut(Out):
    township: PlaceRef | None = Field(description="乡镇；全市合计为 null / township, null for the city total")
    inspections_planned: int = Field(description="年度计划巡查次数 / inspections planned for the year")
    inspections_done: int = Field(description="已完成（已确认）的巡查次数 / confirmed inspections in the year")
    producers_required: int = Field(description="按规则需要巡查的生产主体数 / producers the rules ask visits of")
    producers_covered: int = Field(description="其中巡查次数达到规定频次的 / of them, visited as often as required")
    rapid_tests: int = Field(description="快速检测次数 / rapid tests")
    positives: int = Field(description="阳性或可疑的快速检测次数 / positive or suspect rapid tests")
    positives_followed: int = Field(description="其中已跟进处理的（定量检测或责令整改）/ of them, followed up by a "
                                               "laboratory test or a rectification order")
    complaints_closed: int = Field(description="当年办结的投诉举报件数 / complaints finished in the year")
    complaints_on_time: int = Field(description="其中按期办结的 / of them, finished on time")
    staff: int = Field(description="当年在岗的网格人员数 / people holding a grid role in the year")
    staff_trained: int = Field(description="其中参加过当年培训的 / of them, present at a training that year")


class CountyRowOut(ResultRowOut):
    county: PlaceRef = Field(description="县（市）/ county")
    complaints_received: int = Field(description="当年收到的投诉举报件数 / complaints received in the year")
    computed_at: datetime.datetime = Field(description="统计时间 / counted at")


class ResultsOut(Out):
    year: int = Field(description="年度 / year")
    as_of: datetime.date = Field(description="统计截至日期 / figures as of")
    page_url: str = Field(description="公开页面 / the public page")
    townships: list[ResultRowOut] = Field(description="各乡镇 / per township")
    city: ResultRowOut = Field(description="全市合计（地州、自治区站点为所辖各县合计）/ city total (on a prefecture's "
                                           "or the region's site: its counties' total)")
    counties: list[CountyRowOut] = Field(
        default_factory=list, description="地州、自治区站点：所辖各县（市），按统计表 / on a prefecture's or the "
                                          "region's site: each county, from the summary table")


def _row(row: ResultRow) -> dict:
    return {"township": place(row.township) if row.township else None, "inspections_planned": row.planned,
            "inspections_done": row.done, "producers_required": row.producers_required,
            "producers_covered": row.producers_covered, "rapid_tests": row.rapid_tests, "positives": row.positives,
            "positives_followed": row.positives_followed, "complaints_closed": row.complaints_closed,
            "complaints_on_time": row.complaints_on_time, "staff": row.staff, "staff_trained": row.staff_trained}


def _year(value: str | None) -> int:
    this = timezone.localdate().year
    if value is None:
        return this
    text = value.strip()
    if text.isascii() and text.isdigit() and len(text) == 4 and FIRST_YEAR <= int(text) <= this:
        return int(text)
    raise invalid_parameter("year", text, YEAR_RULE, first=FIRST_YEAR, last=this, example=this)


def _state():
    # As the page: the place the site serves, from its summary rows when it has several counties.
    return [timezone.localdate(), sorted(results_state(served_grid()).items())]


@router.get("/results/", response={200: ResultsOut, **ERROR_RESPONSES}, summary="工作成效 / results",
            description="某一年度各乡镇和全市网格化管理的工作成效：巡查完成次数与计划、达到规定巡查频次的主体、快速检测及阳性"
                        "跟进处理、投诉举报按期办结、网格人员培训覆盖。与公开页面 /results/ 的数字相同。year 默认今年。/ "
                        "Per township and the city: inspections against plan, producers covered, rapid tests and "
                        "positives followed up, complaints finished on time, training coverage.")
@decorate_view(with_query_schema(ResultsQuery))
@cached(_state)
def results(request, filters: Query[ResultsQuery]):
    check_parameters(request, ResultsQuery)
    year = _year(filters.year)
    grid = served_grid()
    if filters.county:
        grid = Grid.objects.counties().filter(code=filters.county).first()
        if grid is None:
            raise invalid_parameter("county", filters.county, COUNTY_RULE)
    page_url = absolute_url(f"/results/?year={year}")
    if grid is not None and grid.level in ABOVE_COUNTY:
        rollup = rollup_for(grid=grid, year=year)
        counties = [{**_row(county_result_row(row)), "county": place(county),
                     "complaints_received": row.complaints_received, "computed_at": row.computed_at}
                    for _prefecture, lines in rollup["groups"] for county, row in lines if row is not None]
        return {"year": year, "as_of": timezone.localdate(), "page_url": page_url, "townships": [],
                "city": _row(rollup["total"]), "counties": counties}
    township_ids = (None if grid is None or grid.parent_id is None
                    else list(Grid.objects.within(grid).townships().values_list("pk", flat=True)))
    figures = results_for(year=year, township_ids=township_ids)
    return {"year": year, "as_of": figures.as_of, "page_url": page_url,
            "townships": [_row(r) for r in figures.townships], "city": _row(figures.city)}
