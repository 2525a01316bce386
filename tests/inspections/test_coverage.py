"""巡查频次达标: required visits by the rules, planned vs done by month, at frequency, overdue, tests and
rectifications per township and for the city, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.services import rectification_order
from disclosure.models import Grade, ProducerKind
from disclosure.models.producers import TRACEABILITY_KINDS
from disclosure.services.producers import rating_set
from inspections.models import Inspection, PlannedVisit, RapidTest, Sample
from inspections.services.coverage import CoverageError, coverage_for, township_detail, year_check
from inspections.services.plans import plan_generate
from tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db

YEAR = 2025
ON = datetime.date(YEAR, 7, 15)  # January to June are over


def inspect(producer, day, *, visit_month=None, confirmed=True):
    inspection = Inspection.objects.create(producer=producer, township_id=producer.village.parent_id,
                                           inspected_on=day, inspector_names="监管员", confirmed=confirmed)
    if visit_month is not None:
        visit = PlannedVisit.objects.filter(producer=producer, month=visit_month, inspection__isnull=True).first()
        visit.inspection = inspection
        visit.save()
    return inspection


@pytest.fixture
def world(township, village, other_township):
    coop = ProducerFactory(village=village, kind=ProducerKind.COOPERATIVE)
    grower = ProducerFactory(village=village, kind=ProducerKind.LARGE_GROWER)
    key = ProducerFactory(village=village, kind=ProducerKind.FAMILY_FARM)
    rating_set(producer=key, grade=Grade.B, effective_date=ON, basis="抽检不合格")
    smalls = [ProducerFactory(village=village, kind=ProducerKind.SMALLHOLDER) for _ in range(5)]
    plan_generate(township=township, year=YEAR, small_share=20, peak_months="6")
    inspect(coop, datetime.date(YEAR, 3, 2))
    first = inspect(coop, datetime.date(YEAR, 4, 10), visit_month=4)
    inspect(coop, datetime.date(YEAR, 6, 20), visit_month=6)
    inspect(key, datetime.date(YEAR, 2, 14), visit_month=2)
    inspect(grower, datetime.date(YEAR, 6, 1), confirmed=False)  # a coordinator's record, not yet confirmed
    inspect(coop, datetime.date(YEAR - 1, 6, 1))  # another year
    sample = Sample.objects.create(number="YP1", producer=coop, township=township, product="番茄", place="大棚",
                                   taken_at=datetime.datetime(YEAR, 4, 10, 10, tzinfo=datetime.UTC),
                                   taken_by_name="检测员")
    for result in ("negative", "positive"):
        RapidTest.objects.create(sample=sample, method="gold", target="克百威", result=result,
                                 tested_on=datetime.date(YEAR, 4, 10), tested_by_name="检测员")
    rectification_order(producer=coop, source=first, requirements="整改", due=datetime.date.today()
                        + datetime.timedelta(days=5))
    other_village = other_township.children.order_by("code").first()
    unplanned = ProducerFactory(village=other_village, kind=ProducerKind.COOPERATIVE)
    return {"coop": coop, "grower": grower, "key": key, "smalls": smalls, "unplanned": unplanned}


def test_a_townships_figures_follow_the_rules(world, township, other_township):
    coverage = coverage_for(year=YEAR, on=ON)
    row = next(r for r in coverage.townships if r.township == township)
    # coop 2 + peak 1, grower 1 + 1, key list 4 + 1, one small grower's spot check (20% of 5)
    assert (row.producers, row.producers_required, row.required, row.planned) == (8, 4, 11, 11)
    assert row.done == 4 and row.producers_at_frequency == 1 and row.share_at_frequency == 0.25
    # due by the end of June: coop April and June, grower June, key Feb, May and June, the spot check in June
    assert (row.due, row.due_done, row.overdue_visits, row.overdue_producers) == (7, 3, 4, 3)
    assert row.behind and not row.unplanned
    assert [m.planned for m in row.months][5] == 4 and [m.done for m in row.months][:6] == [0, 1, 1, 1, 0, 1]
    assert (row.rapid_tests, row.rapid_positive, row.open_rectifications) == (2, 1, 1)
    other = next(r for r in coverage.townships if r.township == other_township)
    assert other.unplanned and other.required == 2 and other.planned == 0
    assert coverage.city.required == sum(r.required for r in coverage.townships) == 13
    assert coverage.city.done == 4 and {r.township for r in coverage.behind} == {township, other_township}


def test_before_any_month_is_over_nobody_is_behind(world, township):
    row = coverage_for(year=YEAR, on=datetime.date(YEAR, 1, 20), township_ids=[township.pk]).townships[0]
    assert row.due == 0 and row.progress is None and not row.behind and row.overdue_producers == 0


def test_a_finished_year_counts_every_month(world, township):
    row = coverage_for(year=YEAR, on=datetime.date(YEAR + 1, 2, 1), township_ids=[township.pk]).townships[0]
    assert row.due == row.planned == 11 and row.overdue_visits == 11 - 3


def test_drill_down_per_village_and_overdue_visits(world, township, village):
    detail = township_detail(township=township, year=YEAR, on=ON)
    line = next(v for v in detail["villages"] if v["village"] == village)
    assert (line["producers"], line["required"], line["done"], line["producers_at_frequency"]) == (8, 11, 4, 1)
    assert [(v.producer, v.month) for v in detail["overdue"]][:1] == [(world["key"], 5)]
    assert len(detail["overdue"]) == 4 and not detail["overdue_truncated"]


def test_fixed_number_of_queries_whatever_the_history(world, township, village):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            coverage_for(year=YEAR, on=ON)
        return len(ctx)

    coverage_for(year=YEAR, on=ON)  # warm the content type cache
    before = queries()
    for i in range(30):
        producer = ProducerFactory(village=village, kind=ProducerKind.ENTERPRISE)
        inspect(producer, datetime.date(YEAR, 1 + i % 6, 3))
    assert queries() == before <= 9


@pytest.mark.parametrize("value", ["", "abc", "1999", "20255", str(datetime.date.today().year + 2), "２０２５"])
def test_bad_years_are_refused(value):
    with pytest.raises(CoverageError):
        year_check(value)


def test_traceability_coverage_per_township(township, village, other_township):
    from disclosure.selectors import traceability_coverage

    ProducerFactory(village=village, kind=ProducerKind.COOPERATIVE, on_traceability_platform=True,
                    traceability_code="T-1")
    ProducerFactory(village=village, kind=ProducerKind.STORAGE)
    ProducerFactory(village=village, kind=ProducerKind.SMALLHOLDER)  # not asked to be on the platform
    rows = {r.township: r for r in traceability_coverage()}
    assert (rows[township].required, rows[township].on_platform, rows[township].share) == (2, 1, 0.5)
    assert rows[other_township].required == 0 and rows[other_township].share is None
    assert ProducerKind.STORAGE in TRACEABILITY_KINDS
