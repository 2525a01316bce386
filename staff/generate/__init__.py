"""Region-size data for measuring (manage.py generate_region): the grid tree of the region (or of one
prefecture or county) from the place list, a person in every post, producers, inspections with their
yearly plans, samples and tests, and complaints over several years, written by set-based SQL (INSERT …
SELECT) on PostgreSQL or SQLite; then the counties' summary rows (CountyFigures) are counted.

The rows are valid as the models and their constraints define them, and consistent as the services keep
them (producers' public codes recorded and never reused, complaints' deadlines and current deadline,
inspections' townships, planned visits linked to the inspections that did them). What it leaves out: the
complaints' event log, inspection checklist items and photos, and search index entries for people.
"""

import datetime
import time
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from complaints.models import Complaint
from disclosure.models import CreditRating, Grid, Person, Producer, PublicCode, RiskAssessment, RoleAssignment
from inspections.models import Inspection, InspectionPlan, LabTest, PlannedVisit, RapidTest, Sample

from .complaints import complaints_add
from .inspections import inspections_add, plans_add, samples_add
from .places import grids_load, people_add
from .producers import Shape, lookups_make, producers_add, vacuum_analyse
from .sql import indexes_deferred, postgres, run, sequences_reset

GENERATED = [Grid, Person, RoleAssignment, PublicCode, Producer, CreditRating, RiskAssessment, InspectionPlan,
             PlannedVisit, Inspection, Sample, RapidTest, LabTest, Complaint]


def database_contents() -> dict[str, int]:
    """What the database holds already that the generator would add to (empty: nothing)."""
    counts = {"grids": Grid.objects.count(), "producers": Producer.objects.count(),
              "complaints": Complaint.objects.count(), "inspections": Inspection.objects.count()}
    return {k: v for k, v in counts.items() if v}


def region_generate(*, code: str = "65", level: str = "region", producers: int, complaints: int, inspections: int,
                    years: int = 5, samples_permille: int = 100, figures: bool = True,
                    report: Callable[[str], None] = print) -> dict[str, float]:
    """Fill the database; returns the seconds each phase took (also reported as they end)."""
    timings: dict[str, float] = {}
    state: dict = {}

    def phase(name: str, work: Callable[[], dict | None], *, atomic: bool = True, tables: tuple = ()) -> None:
        started = time.perf_counter()
        if atomic:
            with transaction.atomic(), indexes_deferred(*tables):
                counts = work() or {}
        else:
            counts = work() or {}
        timings[name] = time.perf_counter() - started
        shown = ", ".join(f"{k} {v:,}" for k, v in counts.items() if k != "base" and not k.endswith("_base"))
        report(f"{name}: {timings[name]:.1f} s" + (f" ({shown})" if shown else ""))
        state[name] = counts

    settings = {"work_mem": "'256MB'", "maintenance_work_mem": "'512MB'", "synchronous_commit": "off",
                "jit": "off"}  # jit: compiling the long row expressions took seconds per statement
    if postgres():  # this session only: bulk statements sort and hash in memory, and commit without waiting
        for name, value in settings.items():
            run(f"SET {name} = {value}")
    try:
        _phases(phase, state, code=code, level=level, producers=producers, complaints=complaints,
                inspections=inspections, years=years, samples_permille=samples_permille, figures=figures,
                report=report)
    finally:
        for name in ("gen_village", "gen_township", "gen_target", "gen_user"):
            run(f"DROP TABLE IF EXISTS {name}")
        if postgres():
            for name in settings:
                run(f"RESET {name}")
    return timings


def _phases(phase, state, *, code, level, producers, complaints, inspections, years, samples_permille, figures,
            report):
    def grids():
        count, fast = grids_load(code=code, level=level)
        return {"grids": count, "bulk": int(fast)}

    phase("grids", grids)
    unit = Grid.objects.get(code=code)
    today = timezone.localdate()
    shape = Shape(unit=unit, producers=producers, complaints=complaints, inspections=inspections, years=years,
                  samples_permille=samples_permille, today=today)
    phase("people", lambda: people_add(unit=unit, since=datetime.date(shape.first_year - 1, 1, 1)))
    phase("lookups", lambda: lookups_make(unit))
    sizes = state["lookups"]
    phase("producers", lambda: producers_add(shape, villages=sizes["villages"]),
          tables=(Producer, PublicCode, CreditRating, RiskAssessment))
    producer_base = state["producers"].get("base", 0)
    phase("plans", lambda: plans_add(shape, producer_base=producer_base),
          tables=(InspectionPlan, PlannedVisit))
    phase("inspections", lambda: inspections_add(shape, producer_base=producer_base,
                                                 visit_base=state["plans"].get("visit_base", 0), report=report),
          tables=(Inspection, PlannedVisit))
    phase("samples", lambda: samples_add(shape, inspection_base=state["inspections"].get("base", 0)),
          tables=(Sample, RapidTest, LabTest))
    phase("complaints", lambda: complaints_add(shape, targets=sizes["targets"], producer_base=producer_base,
                                               report=report), tables=(Complaint,))
    phase("sequences", lambda: sequences_reset(GENERATED))
    phase("analyse", lambda: vacuum_analyse(GENERATED), atomic=False)
    if figures:
        from gridwork.services.rollups import figures_refresh_all

        phase("figures", lambda: {"counties": figures_refresh_all(year=today.year)})
