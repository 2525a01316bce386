"""巡查频次达标 (issue 10, item 7): per township and for the city, for one year.

Definitions (docs/inspections.md says the same in words):
- required: the visits the rules ask of each producer (plans.base_visits: key list, kind), plus the peak
  extra visits where the township chose peak months, plus a small grower's spot visits when it is on
  the plan (spot checks are chosen, so they count as required once planned);
- planned: visits on the township's plan, by month; done: confirmed inspections, by the month inspected;
- at frequency: producers with a requirement whose confirmed inspections this year reach it;
- due: planned visits of the months already over (all twelve for a past year); a due visit without an
  inspection is overdue, and its producer an overdue producer;
- behind plan: fewer than INSPECTIONS_BEHIND_PLAN_SHARE of the due visits done;
- rapid tests: by the township where the sample was taken; open rectifications: orders from inspections
  or tests still open (overdue: past their deadline).
Everything comes from eight aggregate queries whatever the number of producers or inspections.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from casework.models import Rectification, RectificationState
from disclosure.models import Grid, GridLevel, Producer, ProducerKind, RiskLevel
from disclosure.models.producers import KEY_GRADES
from portal.auth import display_name

from .. import conf
from ..models import Inspection, InspectionPlan, LabTest, Outcome, PlannedVisit, RapidTest, Sample, Visit
from .plans import MAIN_KINDS, rules

MONTHS = range(1, 13)


class CoverageError(ValueError):
    """The year asked for cannot be shown: `value` as received and the range accepted (`first`, `last`)."""

    def __init__(self, value: str, first: int, last: int):
        super().__init__(value)
        self.value, self.first, self.last = value, first, last


FIRST_YEAR = 2000


@dataclass
class Month:
    planned: int = 0
    done: int = 0


@dataclass
class CoverageRow:
    """One township's figures for the year (township None: the city total)."""

    township: Grid | None
    has_plan: bool = False
    producers: int = 0
    producers_required: int = 0
    producers_at_frequency: int = 0
    required: int = 0
    planned: int = 0
    done: int = 0
    due: int = 0
    due_done: int = 0
    overdue_visits: int = 0
    overdue_producers: int = 0
    rapid_tests: int = 0
    rapid_positive: int = 0
    open_rectifications: int = 0
    overdue_rectifications: int = 0
    months: list[Month] = field(default_factory=lambda: [Month() for _m in MONTHS])

    @property
    def share_at_frequency(self) -> float | None:
        return self.producers_at_frequency / self.producers_required if self.producers_required else None

    @property
    def progress(self) -> float | None:
        """Due visits done / due visits; None before any month is over."""
        return self.due_done / self.due if self.due else None

    @property
    def behind(self) -> bool:
        progress = self.progress
        return progress is not None and progress < conf.get("INSPECTIONS_BEHIND_PLAN_SHARE")

    @property
    def unplanned(self) -> bool:
        """Producers need visits but the township has no plan for the year."""
        return self.required > 0 and not self.has_plan

    def add(self, other: "CoverageRow") -> None:
        for name in ("producers", "producers_required", "producers_at_frequency", "required", "planned", "done",
                     "due", "due_done", "overdue_visits", "overdue_producers", "rapid_tests", "rapid_positive",
                     "open_rectifications", "overdue_rectifications"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.has_plan = self.has_plan or other.has_plan
        for mine, theirs in zip(self.months, other.months, strict=True):
            mine.planned += theirs.planned
            mine.done += theirs.done


@dataclass
class Coverage:
    year: int
    on: datetime.date
    months_over: int  # months of the year already over on `on`
    townships: list[CoverageRow]
    city: CoverageRow

    @property
    def behind(self) -> list[CoverageRow]:
        return [row for row in self.townships if row.behind or row.unplanned]


def year_check(value, *, today: datetime.date | None = None) -> int:
    """The year as a number from 2000 to next year; CoverageError otherwise."""
    last = (today or timezone.localdate()).year + 1
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4 and FIRST_YEAR <= int(text) <= last):
        raise CoverageError(text[:20], FIRST_YEAR, last)
    return int(text)


def months_over(year: int, on: datetime.date) -> int:
    if year < on.year:
        return 12
    if year > on.year:
        return 0
    return on.month - 1


def _requirement_sql(peak_townships: list[int], township_ids: list[int] | None, group: str) -> tuple[str, list]:
    """Per producer: the visits required this year and the confirmed inspections done, summed by `group`
    (township, village or producer). Plain SQL: two grouped derived tables joined to the registry."""
    r = rules()
    producer, grid = Producer._meta.db_table, Grid._meta.db_table
    visit, plan, inspection = PlannedVisit._meta.db_table, InspectionPlan._meta.db_table, Inspection._meta.db_table
    main = ", ".join(["%s"] * len(MAIN_KINDS))
    peaks = ", ".join(["%s"] * len(peak_townships)) or "NULL"
    key_grades = ", ".join(["%s"] * len(KEY_GRADES))
    where = mine_visits = mine_done = ""
    if township_ids is not None:  # the caller adds the ids to the parameters after each list of its own
        marks = ", ".join(["%s"] * len(township_ids)) or "NULL"
        where = f"WHERE v.parent_id IN ({marks})"
        # Only these townships' producers' visits and inspections: a county's figures then read its own rows
        # (the whole region's inspections of a year, grouped, took 2 s for each county at region size).
        mine = (f"IN (SELECT q2.id FROM {producer} q2 JOIN {grid} v2 ON v2.id = q2.village_id "  # noqa: S608
                f"WHERE v2.parent_id IN ({marks}))")
        mine_visits, mine_done = f" AND pv.producer_id {mine}", f" AND i.producer_id {mine}"
    key = {"township": "township_id", "village": "village_id", "producer": "producer_id"}[group]
    sql = f"""
      SELECT {key},
             COUNT(*),
             SUM(CASE WHEN req > 0 THEN 1 ELSE 0 END),
             SUM(CASE WHEN req > 0 AND done >= req THEN 1 ELSE 0 END),
             SUM(req), SUM(done)
        FROM (SELECT p.id AS producer_id, p.village_id AS village_id, v.parent_id AS township_id,
                     COALESCE(d.n, 0) AS done,
                     base + (CASE WHEN base > 0 AND v.parent_id IN ({peaks}) THEN %s ELSE 0 END)
                          + (CASE WHEN base = 0 THEN COALESCE(s.n, 0) ELSE 0 END) AS req
                FROM (SELECT q.*,
                             CASE WHEN q.grade IN ({key_grades}) OR q.risk_level = %s THEN %s
                                  WHEN q.kind IN ({main}) THEN %s
                                  WHEN q.kind = %s THEN %s
                                  WHEN q.kind = %s THEN %s
                                  ELSE 0 END AS base
                        FROM {producer} q) p
                JOIN {grid} v ON v.id = p.village_id
                LEFT JOIN (SELECT pv.producer_id, COUNT(*) AS n FROM {visit} pv JOIN {plan} pl ON pl.id = pv.plan_id
                            WHERE pl.year = %s AND pv.reason = %s{mine_visits}
                            GROUP BY pv.producer_id) s ON s.producer_id = p.id
                LEFT JOIN (SELECT i.producer_id, COUNT(*) AS n FROM {inspection} i
                            WHERE i.confirmed = %s AND i.inspected_on >= %s AND i.inspected_on < %s{mine_done}
                            GROUP BY i.producer_id) d ON d.producer_id = p.id
                {where}) x
       GROUP BY {key}"""  # noqa: S608 (only our own table names are interpolated)
    return sql, [*peak_townships, r.peak_extra_visits, *KEY_GRADES, RiskLevel.HIGH, r.key_per_year, *MAIN_KINDS,
                 r.main_per_year, ProducerKind.LARGE_GROWER, r.scale_per_year, ProducerKind.INPUT_SHOP,
                 r.input_shop_per_year]


def requirement_rows(*, year: int, group: str = "township", township_ids: list[int] | None = None,
                     peak_townships: list[int] | None = None) -> dict:
    """{group id: (producers, producers required, at frequency, visits required, inspections done)}."""
    if peak_townships is None:
        peak_townships = [p.township_id for p in InspectionPlan.objects.filter(year=year) if p.peak_month_list]
    sql, params = _requirement_sql(peak_townships, township_ids, group)
    ids = list(township_ids or [])
    params += [year, Visit.SPOT, *ids, True, datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1), *ids, *ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: tuple(int(v or 0) for v in row[1:]) for row in cursor.fetchall()}


def inspection_source_types() -> list[int]:
    """Content types of what an inspection rectification comes from (cached by Django)."""
    return [ct.pk for ct in ContentType.objects.get_for_models(Inspection, Sample, RapidTest, LabTest).values()]


def coverage_for(*, year: int, township_ids: list[int] | None = None, on: datetime.date | None = None) -> Coverage:
    """The year's coverage per township (those in `township_ids`, or all) and their total."""
    on = on or timezone.localdate()
    over = months_over(year, on)
    townships = Grid.objects.filter(level=GridLevel.TOWNSHIP).order_by("sort_order", "code")
    if township_ids is not None:
        townships = townships.filter(pk__in=township_ids)
    rows = {t.pk: CoverageRow(township=t) for t in townships}
    ids = list(rows)
    plans = list(InspectionPlan.objects.filter(year=year, township_id__in=ids))
    for plan in plans:
        rows[plan.township_id].has_plan = True
    peaks = [p.township_id for p in plans if p.peak_month_list]

    for tid, (producers, needing, at_frequency, required, _done) in requirement_rows(
            year=year, township_ids=ids, peak_townships=peaks).items():
        row = rows[tid]
        row.producers, row.producers_required, row.producers_at_frequency, row.required = (
            producers, needing, at_frequency, required)

    visits = PlannedVisit.objects.filter(plan__year=year, plan__township_id__in=ids)
    for item in visits.values("plan__township_id", "month").annotate(n=Count("id"), done=Count("inspection")):
        row = rows[item["plan__township_id"]]
        row.months[item["month"] - 1].planned = item["n"]
        row.planned += item["n"]
        if item["month"] <= over:
            row.due += item["n"]
            row.due_done += item["done"]
    overdue = Q(month__lte=over, inspection__isnull=True)
    for item in visits.values("plan__township_id").annotate(
            visits=Count("id", filter=overdue), producers=Count("producer", filter=overdue, distinct=True)):
        row = rows[item["plan__township_id"]]
        row.overdue_visits, row.overdue_producers = item["visits"], item["producers"]

    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    done = (Inspection.objects.filter(confirmed=True, township_id__in=ids, inspected_on__gte=start,
                                      inspected_on__lt=end)
            .annotate(m=ExtractMonth("inspected_on")).values("township_id", "m").annotate(n=Count("id")))
    for item in done:
        row = rows[item["township_id"]]
        row.months[item["m"] - 1].done = item["n"]
        row.done += item["n"]

    tests = (RapidTest.objects.filter(sample__township_id__in=ids, tested_on__gte=start, tested_on__lt=end)
             .values("sample__township_id")
             .annotate(n=Count("id"), positive=Count("id", filter=Q(result__in=[Outcome.POSITIVE, Outcome.SUSPECT]))))
    for item in tests:
        row = rows[item["sample__township_id"]]
        row.rapid_tests, row.rapid_positive = item["n"], item["positive"]

    orders = (Rectification.objects.filter(state=RectificationState.OPEN, source_type_id__in=inspection_source_types(),
                                           producer__village__parent_id__in=ids)
              .values("producer__village__parent_id")
              .annotate(n=Count("id"), overdue=Count("id", filter=Q(due__lt=on))))
    for item in orders:
        row = rows[item["producer__village__parent_id"]]
        row.open_rectifications, row.overdue_rectifications = item["n"], item["overdue"]

    city = CoverageRow(township=None)
    for row in rows.values():
        city.add(row)
    return Coverage(year=year, on=on, months_over=over, townships=list(rows.values()), city=city)


@dataclass
class OverdueVisit:
    producer: Producer
    month: int
    reason: str
    assignee_name: str


def township_detail(*, township: Grid, year: int, on: datetime.date | None = None, limit: int = 500) -> dict:
    """A township's drill-down: per village (producers, required, done, at frequency) and the overdue visits
    (producer, month, who has it), at most `limit`, oldest month first. Four queries."""
    on = on or timezone.localdate()
    over = months_over(year, on)
    villages = list(township.children.order_by("sort_order", "code"))
    figures = requirement_rows(year=year, group="village", township_ids=[township.pk])
    village_rows = []
    for village in villages:
        producers, needing, at_frequency, required, done = figures.get(village.pk, (0, 0, 0, 0, 0))
        village_rows.append({"village": village, "producers": producers, "producers_required": needing,
                             "producers_at_frequency": at_frequency, "required": required, "done": done,
                             "share": at_frequency / needing if needing else None})
    overdue = (PlannedVisit.objects.filter(plan__year=year, plan__township=township, month__lte=over,
                                           inspection__isnull=True)
               .select_related("producer__village", "assignee").order_by("month", "producer__name", "id"))
    visits = [OverdueVisit(producer=v.producer, month=v.month, reason=v.get_reason_display(),
                           assignee_name=display_name(v.assignee)
                           if v.assignee else "")
              for v in overdue[:limit + 1]]
    return {"villages": village_rows, "overdue": visits[:limit], "overdue_truncated": len(visits) > limit}
