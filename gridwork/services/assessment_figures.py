"""The catalogue of assessment indicators (考核指标) and how each is counted from the records, per township.

Every indicator is a share: a numerator over a denominator, both counts of records a user can open and
check (`Indicator.source_url` names the page that lists them). The counting is the other screens' own:
inspections.services.coverage (frequency), gridwork.services.quotas (rapid tests), complaints.selectors
(acceptance, finishing on time, ratings), gridwork.services.training (coverage),
disclosure.services.grids.grids_unstaffed (staffing), Producer.stale (registry) and
disclosure.selectors.traceability_coverage. `assessment_figures` takes a fixed number of queries whatever
the number of townships or records.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from complaints.selectors import complaint_year_figures
from disclosure.models import Grid, Producer
from disclosure.models.producers import STALE_AFTER_DAYS
from disclosure.selectors import traceability_coverage
from disclosure.services.grids import grids_unstaffed
from inspections.services.coverage import coverage_for

from .quotas import quota_progress
from .training import training_coverage


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Promise
    numerator: Promise  # what the numerator counts, in words
    denominator: Promise
    source: Promise  # the page that lists the records

    def source_url(self, *, year: int, township_id: int) -> str:
        return SOURCES[self.code](year, township_id)


CATALOGUE = {i.code: i for i in (
    Indicator("inspection_frequency", _("日常巡查达到规定频次"), _("巡查次数达到规定频次的主体"),
              _("按规则应巡查的主体"), _("巡查频次达标")),
    Indicator("rapid_test_quota", _("速测完成任务数"), _("已速测样品（份）"), _("全年速测任务数（份）"),
              _("速测任务完成进度")),
    Indicator("complaints_accepted_on_time", _("投诉举报按期受理"), _("在受理期限内受理的投诉举报"),
              _("当年收到的投诉举报"), _("投诉举报办理队列")),
    Indicator("complaints_on_time", _("投诉举报按期办结"), _("按期办结的投诉举报"), _("当年办结的投诉举报"),
              _("投诉举报办理队列")),
    Indicator("satisfaction", _("群众满意度"), _("评价为基本满意及以上"), _("当年收到的满意度评价"),
              _("投诉举报办理队列")),
    Indicator("training_coverage", _("年度培训覆盖"), _("当年参加过培训的岗位人员"), _("当年在岗的网格人员"),
              _("培训覆盖情况")),
    Indicator("grids_staffed", _("网格人员配备齐全"), _("监管员、检测员、协管员均已明确的网格"),
              _("本乡镇及所辖村的网格"), _("任职记录")),
    Indicator("registry_updated", _("名录一年内更新"), _("一年内核实过信息的生产主体"), _("名录中的生产主体"),
              _("生产主体名录")),
    Indicator("traceability", _("追溯覆盖"), _("已上追溯平台的主体"), _("应追溯的主体"), _("巡查频次达标")),
)}


def _url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


SOURCES = {
    "inspection_frequency": lambda y, t: _url("inspection_coverage:index", year=y, township=t),
    "rapid_test_quota": lambda y, t: _url("gridwork:quotas", year=y, township=t),
    "complaints_accepted_on_time": lambda y, t: _url("triage:index", state="all", township=t),
    "complaints_on_time": lambda y, t: _url("triage:index", state="closed", township=t),
    "satisfaction": lambda y, t: _url("triage:index", state="closed", township=t),
    "training_coverage": lambda y, t: _url("gridwork:training_coverage", year=y) + f"#g{t}",
    "grids_staffed": lambda y, t: _url("grid_assignments:index", grid=t, status="all"),
    "registry_updated": lambda y, t: _url("wagtailsnippets_disclosure_producer:list", township=t, list="stale"),
    "traceability": lambda y, t: _url("inspection_coverage:index", year=y, township=t),
}


def as_of(year: int, on: datetime.date | None = None) -> datetime.date:
    """The day a year's figures are counted to: today for this year, 31 December for a past one."""
    on = on or timezone.localdate()
    return min(on, datetime.date(year, 12, 31))


def _figure(numerator: int, denominator: int, detail=()) -> dict:
    return {"numerator": int(numerator), "denominator": int(denominator), "detail": list(detail)}


def assessment_figures(*, year: int, townships: list[Grid], codes=None, on: datetime.date | None = None
                       ) -> dict[int, dict[str, dict]]:
    """{township id: {indicator code: {numerator, denominator, detail}}} for the codes asked (all by default),
    counted from the records up to `as_of(year, on)`."""
    codes = set(codes or CATALOGUE)
    day = as_of(year, on)
    ids = [t.pk for t in townships]
    out: dict[int, dict[str, dict]] = {pk: {} for pk in ids}
    if not ids:
        return out
    if "inspection_frequency" in codes:
        for row in coverage_for(year=year, township_ids=ids, on=day).townships:
            out[row.township.pk]["inspection_frequency"] = _figure(row.producers_at_frequency,
                                                                   row.producers_required)
    if "rapid_test_quota" in codes:
        for row in quota_progress(year=year, townships=Grid.objects.filter(pk__in=ids), on=day):
            out[row.township.pk]["rapid_test_quota"] = _figure(min(row.done, row.quota or 0), row.quota or 0)
    if codes & {"complaints_accepted_on_time", "complaints_on_time", "satisfaction"}:
        for pk, c in complaint_year_figures(year=year, township_ids=ids).items():
            out[pk]["complaints_accepted_on_time"] = _figure(c["accepted_on_time"], c["received"])
            out[pk]["complaints_on_time"] = _figure(c["closed_on_time"], c["closed_counted"])
            out[pk]["satisfaction"] = _figure(c["satisfied"], c["rated"])
    if "training_coverage" in codes:
        for pk in ids:
            out[pk]["training_coverage"] = _figure(0, 0)
        for row in training_coverage(year=year, townships=townships):
            if row.grid.pk in out:
                out[row.grid.pk]["training_coverage"] = _figure(len(row.trained), row.total,
                                                                [p.name for p in row.untrained])
    if "grids_staffed" in codes:
        _staffed(out, ids, day)
    if "registry_updated" in codes:
        fresh = Q(facts_confirmed_on__gte=day - datetime.timedelta(days=STALE_AFTER_DAYS))
        counts = dict.fromkeys(ids, (0, 0))
        for item in (Producer.objects.filter(village__parent_id__in=ids).order_by().values("village__parent_id")
                     .annotate(n=Count("id"), fresh=Count("id", filter=fresh))):
            counts[item["village__parent_id"]] = (item["fresh"], item["n"])
        for pk, (fresh_n, n) in counts.items():
            out[pk]["registry_updated"] = _figure(fresh_n, n)
    if "traceability" in codes:
        for row in traceability_coverage(township_ids=ids):
            out[row.township.pk]["traceability"] = _figure(row.on_platform, row.required)
    for figures in out.values():
        for code in list(figures):
            if code not in codes:
                del figures[code]
    return out


def _staffed(out: dict, ids: list[int], day: datetime.date) -> None:
    grids = Grid.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids))
    total = dict.fromkeys(ids, 0)
    for pk, parent_id in grids.values_list("pk", "parent_id"):
        total[pk if pk in total else parent_id] += 1
    vacant: dict[int, list[str]] = {pk: [] for pk in ids}
    for vacancy in grids_unstaffed(on=day, grids=grids):
        grid = vacancy.grid
        home = grid.pk if grid.pk in vacant else grid.parent_id
        vacant[home].append(f"{grid.name}（{'、'.join(vacancy.role_labels)}）")
    for pk in ids:
        out[pk]["grids_staffed"] = _figure(total[pk] - len(vacant[pk]), total[pk], vacant[pk])
