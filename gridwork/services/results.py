"""Public results of the grid work (成效, the plan 五(四)): a year's figures per township and for the city,
counted by the same services as the staff screens (inspections.services.coverage, complaints.selectors,
gridwork.services.training), so the public and the back office never disagree. Counts only: no names,
no producers, no personal data. A fixed number of queries whatever the data size.
"""

import datetime
from dataclasses import dataclass, field, fields

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from casework.models import Rectification
from complaints.models import Complaint
from complaints.selectors import complaint_year_figures
from disclosure.models import ABOVE_COUNTY, Grid, GridLevel, Producer, RoleAssignment
from inspections.models import Inspection, InspectionPlan, LabTest, Outcome, PlannedVisit, RapidTest, Sample
from inspections.services.coverage import coverage_for

from ..models import Attendance, CountyFigures
from .training import training_coverage

FIRST_YEAR = 2000


@dataclass
class ResultRow:
    """A township's year (township None: the city), in counts."""

    township: Grid | None
    planned: int = 0  # inspections on the township's plan for the year
    done: int = 0  # confirmed inspections in the year
    producers_required: int = 0  # producers the rules ask to be visited
    producers_covered: int = 0  # of them, visited as often as required
    rapid_tests: int = 0
    positives: int = 0  # positive or suspect rapid tests
    positives_followed: int = 0  # of them, confirmed by a laboratory or sent for rectification
    complaints_closed: int = 0  # finished (办结) in the year
    complaints_on_time: int = 0
    staff: int = 0  # people holding a grid role in the year
    staff_trained: int = 0
    extra: dict = field(default_factory=dict)

    def add(self, other: "ResultRow") -> None:
        for f in fields(self):
            if f.name not in ("township", "extra"):
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @staticmethod
    def share(part: int, whole: int) -> int | None:
        return round(part * 100 / whole) if whole else None

    @property
    def done_share(self):
        return self.share(self.done, self.planned)

    @property
    def covered_share(self):
        return self.share(self.producers_covered, self.producers_required)

    @property
    def followed_share(self):
        return self.share(self.positives_followed, self.positives)

    @property
    def on_time_share(self):
        return self.share(self.complaints_on_time, self.complaints_closed)

    @property
    def trained_share(self):
        return self.share(self.staff_trained, self.staff)


@dataclass
class Results:
    year: int
    as_of: datetime.date
    townships: list[ResultRow]
    city: ResultRow


def results_years(on: datetime.date | None = None) -> list[int]:
    """The years offered: this year and the four before it, newest first."""
    this = (on or timezone.localdate()).year
    return list(range(this, this - 5, -1))


def _followed(year: int, ids: list[int]) -> dict[int, tuple[int, int]]:
    """{township id: (positive or suspect rapid tests, of them followed up)} in one query. Followed up: a
    laboratory test of the sample, or a rectification ordered from the test or the sample."""
    types = ContentType.objects.get_for_models(RapidTest, Sample)
    rectified = Rectification.objects.filter(
        models.Q(source_type=types[RapidTest], source_id=models.OuterRef("pk"))
        | models.Q(source_type=types[Sample], source_id=models.OuterRef("sample_id")))
    lab = LabTest.objects.filter(sample_id=models.OuterRef("sample_id"))
    rows = (RapidTest.objects.filter(sample__township_id__in=ids, tested_on__year=year,
                                     result__in=[Outcome.POSITIVE, Outcome.SUSPECT])
            .annotate(followed=models.Exists(lab) | models.Exists(rectified)).order_by()
            .values("sample__township_id")
            .annotate(n=models.Count("id"), f=models.Count("id", filter=models.Q(followed=True))))
    return {r["sample__township_id"]: (r["n"], r["f"]) for r in rows}


def results_for(*, year: int, on: datetime.date | None = None, township_ids: list[int] | None = None) -> Results:
    """Every township's (those in `township_ids`, or all) and their total's figures for `year`, counted up
    to `on` (today by default)."""
    on = on or timezone.localdate()
    day = min(on, datetime.date(year, 12, 31))
    coverage = coverage_for(year=year, on=day, township_ids=township_ids)
    rows = {r.township.pk: ResultRow(township=r.township, planned=r.planned, done=r.done,
                                     producers_required=r.producers_required,
                                     producers_covered=r.producers_at_frequency, rapid_tests=r.rapid_tests)
            for r in coverage.townships}
    ids = list(rows)
    for pk, (n, followed) in _followed(year, ids).items():
        rows[pk].positives, rows[pk].positives_followed = n, followed
    for pk, c in complaint_year_figures(year=year, township_ids=ids).items():
        rows[pk].complaints_closed, rows[pk].complaints_on_time = c["closed_counted"], c["closed_on_time"]
    for row in training_coverage(year=year, townships=[r.township for r in rows.values()]):
        if row.grid.pk in rows:
            rows[row.grid.pk].staff, rows[row.grid.pk].staff_trained = row.total, len(row.trained)
    city = ResultRow(township=None)
    for row in rows.values():
        city.add(row)
    return Results(year=year, as_of=day, townships=list(rows.values()), city=city)


def results_state(grid: Grid | None = None) -> dict:
    """What the figures of the place a site serves depend on, in one query (counts and latest changes);
    callers add the date. Counting every record of the region took seconds on every request at region size
    (docs/benchmarks.md), so where summary rows stand for the records their state is used instead: a
    prefecture's or the region's page reads only the counties' rows; a county's own page, in a tree of
    several counties, follows its row, which a background refresh recounts after every change to the
    county's records (gridwork.services.rollups: queued once the change is committed, and daily)."""
    def latest(model, column):
        rows = model if isinstance(model, models.QuerySet) else model.objects.all()
        # Non-null values only: PostgreSQL sorts NULLs first when descending (one unconfirmed inspection hid
        # every later confirmation).
        return models.Subquery(rows.filter(**{f"{column}__isnull": False}).order_by(f"-{column}").values(column)[:1])

    def count(model):
        rows = model if isinstance(model, models.QuerySet) else model.objects.all()
        return models.Subquery(rows.order_by().annotate(
            n=models.Func(models.F("id"), function="COUNT")).values("n")[:1])

    if grid is not None and grid.level in ABOVE_COUNTY:
        columns = {"grids_n": count(Grid), "rollup_n": count(CountyFigures),
                   "rollup_at": latest(CountyFigures, "computed_at")}
    elif grid is not None and grid.level == GridLevel.CITY and grid.parent_id is not None:
        own = CountyFigures.objects.filter(county=grid)
        columns = {"grids_n": count(Grid), "grids_at": latest(Grid, "updated_at"), "county_n": count(own),
                   "county_at": latest(own, "computed_at")}
    else:
        columns = {"grids_n": count(Grid), "producers_at": latest(Producer, "updated_at"),
                   "roles_n": count(RoleAssignment), "roles_last": latest(RoleAssignment, "id"),
                   "plans_at": latest(InspectionPlan, "updated_at"), "visits_n": count(PlannedVisit),
                   "visits_last": latest(PlannedVisit, "id"), "inspections_n": count(Inspection),
                   "confirmed_at": latest(Inspection, "confirmed_at"), "rapid_n": count(RapidTest),
                   "rapid_last": latest(RapidTest, "id"), "lab_n": count(LabTest), "rect_n": count(Rectification),
                   "complaints_at": latest(Complaint, "updated_at"), "attendance_at": latest(Attendance, "recorded_at"),
                   "attendance_n": count(Attendance), "rollup_at": latest(CountyFigures, "computed_at")}
    row = Grid.objects.order_by().annotate(**columns).values(*columns)[:1]
    return dict(row[0]) if row else {}
