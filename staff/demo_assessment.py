"""Demo data for the townships' assessment (考核) and the public results: last year's inspection plans with the
inspections done and some finished complaints (the other demo modules fill this year only); last year's
scheme (one weight moved from the default), scores computed and finalised; this year's default scheme with
scores computed so far. The figures themselves come from the records."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone


@transaction.atomic
def load_assessment(out=None) -> dict[str, int]:
    """Runs once: does nothing when last year's scheme exists. Returns counts of what was added."""
    from gridwork.models import AssessmentScheme, TownshipScore
    from gridwork.services.assessment import scheme_finalise, scheme_open, scheme_set, scores_compute

    today = timezone.localdate()
    boss = get_user_model().objects.filter(username="city_admin").first()
    if boss is None or AssessmentScheme.objects.filter(year=today.year - 1).exists():
        return {}
    counts = {"last_year_inspections": _last_year_fieldwork(today.year - 1, boss),
              "last_year_complaints": _last_year_complaints(today.year - 1),
              "follow_ups": _follow_ups(today, boss)}
    last = scheme_open(year=today.year - 1, user=boss)
    rows = [(i.code, i.weight, i.target) for i in last.indicators.all()]
    # Last year the city weighed inspections more and satisfaction less than the plan's default.
    rows = [(c, w + 5 if c == "inspection_frequency" else w - 5 if c == "satisfaction" else w, t) for c, w, t in rows]
    last = scheme_set(scheme=last, user=boss, rows=rows)
    scores_compute(scheme=last, user=boss, on=datetime.date(today.year - 1, 12, 31))
    scheme_finalise(scheme=last, user=boss)
    this = scheme_open(year=today.year, user=boss)
    scores_compute(scheme=this, user=boss, on=today)
    counts.update({"assessment_schemes": 2, "assessment_scores": TownshipScore.objects.count()})
    if out is not None:
        out.write(f"assessment: {counts}\n")
    return counts


# How much of its plan each township got done last year, in township order: some fell short.
PACE = [0.95, 1.0, 0.6, 0.9, 0.8, 0.5, 1.0, 0.85, 0.4, 0.75]


def _last_year_fieldwork(year: int, boss) -> int:
    """Each township's plan for last year (generated from the registry) and the inspections done on it."""
    from disclosure.models import Grid
    from inspections.models import Inspection, InspectionPlan, PlannedVisit
    from inspections.services.plans import plan_generate

    rng = random.Random(year)
    made = 0
    for i, township in enumerate(Grid.objects.townships().in_order()):
        if InspectionPlan.objects.filter(township=township, year=year).exists():
            continue
        plan = plan_generate(township=township, year=year, user=boss)
        visits = list(plan.visits.order_by("month", "id"))
        done = [v for v in visits if rng.random() < PACE[i % len(PACE)]]
        created = Inspection.objects.bulk_create([Inspection(
            producer_id=v.producer_id, township=township, inspected_on=datetime.date(year, v.month, rng.randint(3, 26)),
            inspector_names=township.name + "监管站", confirmed=True, recorded_by=boss) for v in done])
        for visit, inspection in zip(done, created, strict=True):
            visit.inspection = inspection
        PlannedVisit.objects.bulk_update(done, ["inspection"])
        made += len(created)
    return made


def _last_year_complaints(year: int) -> int:
    """A few complaints per township received and finished last year, most on time, most rated."""
    from complaints.models import Category, Complaint, Kind, State
    from complaints.services.submit import tracking_code_new
    from disclosure.models import Grid

    rng = random.Random(year + 1)
    tz = timezone.get_current_timezone()
    made = []
    for i, township in enumerate(Grid.objects.townships().in_order()):
        for n in range(2 + i % 4):
            received = datetime.datetime(year, 1 + (i * 3 + n * 2) % 11, 5 + n, 10, tzinfo=tz)
            on_time = (i + n) % 5 != 3
            closed = received + datetime.timedelta(days=rng.randint(10, 50) if on_time else 75)
            made.append(Complaint(
                tracking_code=tracking_code_new(), kind=Kind.COMPLAINT, category=rng.choice(Category.values),
                description="（演示）上年度投诉举报，已办结。", grid=township, township=township, place_township=township,
                state=State.CLOSED, submitted_at=received,
                accepted_at=received + datetime.timedelta(days=7 if (i + n) % 6 == 4 else 1),
                accept_due=(received + datetime.timedelta(days=5)).date(),
                clock_started_on=received.date(), finish_due=(received + datetime.timedelta(days=60)).date(),
                closed_at=closed, closed_on_time=on_time, reply_text="已核实处理。",
                rating=rng.choice([5, 5, 4, 4, 3, 2]) if n % 3 != 2 else None,
                rated_at=closed + datetime.timedelta(days=2) if n % 3 != 2 else None))
    Complaint.objects.bulk_create(made)
    Complaint.objects.counties_fill()
    return len(made)


def _follow_ups(today: datetime.date, boss) -> int:
    """Most positive or suspect rapid tests of this year and last, older than two weeks, get a rectification
    order (the public results count them as followed up); every fourth is left without, as happens."""
    from casework.services import rectification_order
    from inspections.models import Outcome, RapidTest

    tests = (RapidTest.objects.filter(result__in=[Outcome.POSITIVE, Outcome.SUSPECT],
                                      tested_on__year__gte=today.year - 1,
                                      tested_on__lte=today - datetime.timedelta(days=14))
             .select_related("sample__producer").order_by("tested_on", "id"))
    made = 0
    for n, test in enumerate(tests):
        if n % 4 == 3:
            continue
        rectification_order(producer=test.sample.producer, source=test, user=boss, ordered_on=test.tested_on,
                            requirements="快检结果阳性：暂停销售该批产品，查明用药情况，按规定整改。",
                            due=test.tested_on + datetime.timedelta(days=15))
        made += 1
    return made
