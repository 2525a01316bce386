"""manage.py generate_region at a tiny size (one prefecture): the tree it loads, producers with unique public
codes, complaints routed inside their counties, the QR page's constant cost, and the counties' figures."""

import io
import re
from collections import Counter

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.models import Complaint
from disclosure.models import Grid, GridLevel, Producer, PublicCode
from disclosure.models.producers import CODE_ALPHABET, CODE_LENGTH
from disclosure.services.places import REGION_CSV, _rows, places_load
from disclosure.services.sites import grid_site_add
from gridwork.models import CountyFigures
from inspections.models import Inspection, PlannedVisit
from staff.generate.places import grids_load

pytestmark = pytest.mark.django_db

PREFECTURE = "6505"  # 哈密市: three counties, two of them with villages in the place list


def _generate(**sizes) -> str:
    out = io.StringIO()
    options = {"prefecture": PREFECTURE, "producers": 300, "complaints": 2000, "inspections": 3000, "years": 2}
    call_command("generate_region", **{**options, **sizes}, stdout=out)
    return out.getvalue()


def _place_list_counts(code: str) -> Counter:
    rows = _rows(REGION_CSV)
    parents = {r["code"]: r["parent_code"] for r in rows}

    def inside(c):
        while c:
            if c == code:
                return True
            c = parents.get(c)
        return False

    return Counter(r["level"] for r in rows if inside(r["code"]))


def test_a_prefecture_is_generated_with_every_record_in_its_place():
    printed = _generate()
    assert "producers:" in printed and "complaints:" in printed and "figures:" in printed
    expected = _place_list_counts(PREFECTURE)
    levels = Counter(Grid.objects.values_list("level", flat=True))
    assert levels == {GridLevel.PREFECTURE: 1, GridLevel.CITY: expected["county"],
                      GridLevel.TOWNSHIP: expected["township"], GridLevel.VILLAGE: expected["village"]}

    codes = list(Producer.objects.values_list("code", flat=True))
    assert len(codes) == 300 == len(set(codes))
    assert all(re.fullmatch(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}", code) for code in codes)
    assert set(codes) <= set(PublicCode.objects.values_list("code", flat=True))  # never issued again

    counties = list(Grid.objects.counties())
    assert Complaint.objects.count() == 2000
    for complaint in Complaint.objects.select_related("grid", "township", "producer"):
        county = next(c for c in counties if complaint.grid.path.startswith(c.path))
        assert complaint.county_id == county.pk  # kept as complaint_submit keeps it
        if complaint.township is not None:
            assert complaint.township.path.startswith(county.path)
            assert complaint.township.pk in (complaint.grid.pk, complaint.grid.parent_id)
        else:
            assert complaint.grid == county
        if complaint.producer is not None:
            assert complaint.producer.village_id == complaint.grid_id
        assert complaint.due_on == complaint.compute_due_on()
        assert complaint.submitted_at <= timezone.now()
    assert len(set(Complaint.objects.values_list("tracking_code", flat=True))) == 2000
    assert Inspection.objects.count() == 3000
    assert not Inspection.objects.exclude(township=F("producer__village__parent")).exists()
    assert PlannedVisit.objects.filter(inspection__isnull=False).exists()

    year = timezone.localdate().year
    rows = {row.county_id: row for row in CountyFigures.objects.filter(year=year)}
    assert set(rows) == {c.pk for c in counties}
    for county in counties:
        row = rows[county.pk]
        inside = {"grid__path__startswith": county.path}
        assert row.complaints_received == Complaint.objects.filter(submitted_at__year=year, **inside).count()
        assert row.producers == Producer.objects.filter(published=True, village__path__startswith=county.path).count()
        assert row.done == Inspection.objects.filter(confirmed=True, inspected_on__year=year,
                                                     township__path__startswith=county.path).count()
        assert row.villages == Grid.objects.within(county).villages().count()
    assert sum(r.producers for r in rows.values()) > 0 and sum(r.complaints_received for r in rows.values()) > 0


def test_a_producer_page_costs_the_same_queries_in_two_counties(client):
    _generate(complaints=300, inspections=600)
    pages = {}
    for code, host in (("650502", "yizhou.example.cn"), ("650522", "yiwu.example.cn")):
        county = Grid.objects.get(code=code)
        grid_site_add(grid=county, hostname=host)
        producer = Producer.objects.filter(published=True, village__path__startswith=county.path).first()
        pages[host] = producer
    for host, producer in pages.items():  # the first request of a process loads content types once
        assert client.get(f"/p/{producer.code}/", HTTP_HOST=host).status_code == 200
    counted = {}
    for host, producer in pages.items():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/p/{producer.code}/", HTTP_HOST=host)
        assert response.status_code == 200 and producer.name in response.content.decode()
        counted[host] = len(queries.captured_queries)
    assert counted["yizhou.example.cn"] == counted["yiwu.example.cn"], counted


def test_it_refuses_a_database_that_holds_data_unless_forced():
    _generate(producers=20, complaints=20, inspections=20)
    with pytest.raises(CommandError) as refused:
        _generate(producers=20, complaints=20, inspections=20)
    assert "数据库不是空的" in str(refused.value) and "not empty" in str(refused.value)
    _generate(producers=20, complaints=20, inspections=20, force=True)
    assert Producer.objects.count() == 40
    assert len(set(Producer.objects.values_list("code", flat=True))) == 40
    assert Complaint.objects.count() == 40 and Inspection.objects.count() == 40


def test_the_fast_tree_load_writes_what_places_load_writes():
    def snapshot():
        return sorted(Grid.objects.values_list("code", "level", "name", "name_en", "slug", "sort_order", "path",
                                               "parent__code"))

    loaded, fast_path = grids_load(code="650522", level="county")
    assert fast_path and loaded == Grid.objects.count() > 10
    fast = snapshot()
    for level in (GridLevel.VILLAGE, GridLevel.TOWNSHIP, GridLevel.CITY):
        Grid.objects.filter(level=level).delete()
    places_load(code="650522", level="county")
    assert snapshot() == fast
