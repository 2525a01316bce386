"""Roll-ups for the levels above the counties (地州、自治区): one summary row per county and year
(CountyFigures), counted by the same services as the county's own /results/ page, and kept current by a
background task queued when the county's records change. A prefecture's or the region's page adds up at
most a row per county: no request counts millions of records.

Keeping current: a change to a record that the figures count (a complaint, an inspection, a test, a
producer, a role, a training attendance…) queues one refresh of its county's current year after the
transaction commits. A refresh already queued and not yet started covers later changes, so a burst of
changes (an import) queues one task; a change made after a refresh started queues another. The daily
housekeeping refreshes every county (the catch-all for last year's rows and for bulk loads).
"""

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django_tasks import task

from complaints.models import Complaint
from complaints.selectors import complaint_counts, complaint_counts_total
from disclosure.models import Grid, GridLevel, Producer

from ..models import CountyFigures
from .results import ResultRow, results_for

logger = logging.getLogger(__name__)

QUEUED_KEY = "rollup-queued:{county}:{year}"
QUEUED_SECONDS = 15 * 60  # a queued refresh that never ran (worker down) is queued again after this


def county_figures_count(*, county: Grid, year: int, on: datetime.date | None = None) -> dict:
    """A county's figures for a year, counted from its records now."""
    township_ids = list(Grid.objects.within(county).townships().values_list("pk", flat=True))
    total = results_for(year=year, on=on, township_ids=township_ids).city
    received = Complaint.objects.in_grid(county).filter(submitted_at__year=year)
    grids = Grid.objects.within(county).aggregate(
        townships=models.Count("id", filter=models.Q(level=GridLevel.TOWNSHIP)),
        villages=models.Count("id", filter=models.Q(level=GridLevel.VILLAGE)))
    return {
        **grids,
        "producers": Producer.objects.published().filter(village__path__startswith=county.path).count(),
        "planned": total.planned, "done": total.done, "producers_required": total.producers_required,
        "producers_covered": total.producers_covered, "rapid_tests": total.rapid_tests,
        "positives": total.positives, "positives_followed": total.positives_followed,
        "complaints_received": received.count(),
        "complaints": complaint_counts_total(complaint_counts(received, on=on or timezone.localdate())),
        "complaints_closed": total.complaints_closed, "complaints_on_time": total.complaints_on_time,
        "staff": total.staff, "staff_trained": total.staff_trained,
    }


def county_figures_refresh(*, county: Grid, year: int | None = None) -> CountyFigures:
    """Count a county's year again and keep the row."""
    year = year or timezone.localdate().year
    values = county_figures_count(county=county, year=year)
    row, _created = CountyFigures.objects.update_or_create(
        county=county, year=year, defaults={**values, "computed_at": timezone.now()})
    return row


def figures_refresh_all(*, year: int | None = None) -> int:
    """Refresh every county's row for a year (this year by default); returns how many."""
    counties = list(Grid.objects.counties())
    for county in counties:
        county_figures_refresh(county=county, year=year)
    return len(counties)


@task()
def county_figures_task(county_id: int, year: int) -> None:
    cache.delete(QUEUED_KEY.format(county=county_id, year=year))  # later changes queue a new refresh
    county = Grid.objects.filter(pk=county_id, level=GridLevel.CITY).first()
    if county is not None:
        county_figures_refresh(county=county, year=year)


def county_changed(county_id: int | None, *, year: int | None = None) -> None:
    """Queue a refresh of the county's row, unless one is queued and not yet started."""
    if county_id is None:
        return
    year = year or timezone.localdate().year
    key = QUEUED_KEY.format(county=county_id, year=year)
    if not cache.add(key, 1, QUEUED_SECONDS):
        return
    try:
        county_figures_task.enqueue(county_id, year)
    except Exception:  # the records are saved; the daily refresh catches up
        cache.delete(key)
        logger.exception("could not queue the figures of county %s", county_id)


# --- which county a changed record belongs to -------------------------------------------------------------

OWN_GRID_COLUMNS = ("grid_id", "township_id", "village_id")


def _own_grid_id(instance) -> int | None:
    """The grid the record names in a column of its own, if any (no query)."""
    return next((value for value in (getattr(instance, column, None) for column in OWN_GRID_COLUMNS) if value), None)


def _grid_id_of(instance) -> int | None:
    """The id of a grid the record lies in (any level at or below its county), from its own columns or,
    for records hanging off another record, one query."""
    own = _own_grid_id(instance)
    if own:
        return own
    for parent, column in (("sample", "township_id"), ("plan", "township_id"), ("session", "grid_id"),
                           ("inspection", "township_id"), ("producer", "village_id")):
        parent_id = getattr(instance, f"{parent}_id", None)
        if parent_id:
            related = instance._meta.get_field(parent).related_model
            return related.objects.filter(pk=parent_id).values_list(column, flat=True).first()
    return None


def _county_of(model, pk, grid_id) -> int | None:
    if grid_id is None and pk is not None:
        instance = model.objects.filter(pk=pk).first()
        grid_id = _grid_id_of(instance) if instance is not None else None
    grid = Grid.objects.filter(pk=grid_id).first() if grid_id else None
    county = grid.ancestor(GridLevel.CITY) if grid is not None else None
    return county.pk if county is not None else None


def _on_change(sender, instance, **kwargs):
    """After the transaction commits (never inside it: a save costs nothing more), find the record's
    county and queue its refresh (unless settings.GRIDWORK_ROLLUPS_FOLLOW_CHANGES is off: the tests, whose
    tasks run inline, switch it on where they test it)."""
    if not getattr(settings, "GRIDWORK_ROLLUPS_FOLLOW_CHANGES", True):
        return
    grid_id = _own_grid_id(instance)
    if grid_id is None and kwargs.get("signal") is post_delete:
        grid_id = _grid_id_of(instance)  # gone after the commit: ask its parent record now
    pk = instance.pk
    transaction.on_commit(lambda: county_changed(_county_of(sender, pk, grid_id)))


def _counted_models():
    from django.apps import apps

    from casework.models import Rectification

    names = ["complaints.Complaint", "inspections.Inspection", "inspections.PlannedVisit",
             "inspections.InspectionPlan", "inspections.Sample", "inspections.RapidTest", "inspections.LabTest",
             "disclosure.Producer", "disclosure.RoleAssignment", "gridwork.TrainingSession",
             "gridwork.Attendance"]
    return [apps.get_model(name) for name in names] + [Rectification]


def rollup_signals_connect() -> None:
    for model in _counted_models():
        post_save.connect(_on_change, sender=model, dispatch_uid=f"rollup-{model._meta.label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"rollup-del-{model._meta.label}")


# --- reading the roll-up ---------------------------------------------------------------------------------

def rollup_for(*, grid: Grid, year: int) -> dict:
    """The counties under a prefecture or the region with their rows for the year, grouped by prefecture,
    and the total: {"groups": [(prefecture or None, [(county, row or None)])], "total": ResultRow,
    "received": n, "producers": n, "as_of": oldest computed_at}. Two queries."""
    counties = list(Grid.objects.within(grid).counties().select_related("parent").order_by("path"))
    rows = {r.county_id: r for r in CountyFigures.objects.filter(year=year, county__in=counties)}
    groups: dict = {}
    total = ResultRow(township=None)
    received = producers = 0
    for county in counties:
        row = rows.get(county.pk)
        prefecture = county.parent if county.parent and county.parent.level == GridLevel.PREFECTURE else None
        groups.setdefault(prefecture, []).append((county, row))
        if row is not None:
            total.add(_as_result_row(row))
            received += row.complaints_received
            producers += row.producers
    computed = [r.computed_at for r in rows.values()]
    return {"groups": list(groups.items()), "total": total, "received": received, "producers": producers,
            "as_of": min(computed) if computed else None, "counties": len(counties), "counted": len(rows)}


def _as_result_row(row: CountyFigures) -> ResultRow:
    return ResultRow(township=None, planned=row.planned, done=row.done, producers_required=row.producers_required,
                     producers_covered=row.producers_covered, rapid_tests=row.rapid_tests, positives=row.positives,
                     positives_followed=row.positives_followed, complaints_closed=row.complaints_closed,
                     complaints_on_time=row.complaints_on_time, staff=row.staff, staff_trained=row.staff_trained)


def county_result_row(row: CountyFigures | None) -> ResultRow | None:
    return _as_result_row(row) if row is not None else None
