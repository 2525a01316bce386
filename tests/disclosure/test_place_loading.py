"""A county's grid tree from the region's place list: `manage.py load_places --county CODE`."""

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from disclosure.models import Grid, GridLevel
from disclosure.services.places import REGION_CSV, place_slug

pytestmark = pytest.mark.django_db


def _listed(code: str) -> tuple[int, int]:
    with Path(REGION_CSV).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    townships = {r["code"] for r in rows if r["level"] == "township" and r["parent_code"] == code}
    villages = [r for r in rows if r["level"] == "village" and r["parent_code"] in townships]
    return len(townships), len(villages)


def test_another_county_loads_whole_and_again_without_change(client, home):
    from portal.places import place_forget

    call_command("load_places", county="652323")
    townships, villages = _listed("652323")
    assert townships >= 5 and villages >= 10
    assert Grid.objects.filter(level=GridLevel.CITY).get().name == "呼图壁县"
    assert Grid.objects.townships().count() == townships and Grid.objects.villages().count() == villages
    for grid in Grid.objects.exclude(level=GridLevel.CITY):
        assert grid.parent is not None and grid.code.startswith(grid.parent.code)
        assert grid.name_en and grid.slug
    slugs = list(Grid.objects.townships().values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs))
    before = sorted(Grid.objects.values_list("code", "slug", "parent__code"))
    call_command("load_places", county="652323")  # again: nothing new, nothing moved
    assert sorted(Grid.objects.values_list("code", "slug", "parent__code")) == before
    # The site now serves that county: its name is the header's, its townships are on the grid page.
    place_forget()
    html = client.get("/grid/").content.decode()
    assert '<span class="brand-city">呼图壁县</span>' in html
    first = Grid.objects.townships().in_order().first()
    assert client.get(first.get_absolute_url()).status_code == 200


def test_a_second_county_joins_under_their_prefecture_and_both_keep_their_grids(client, grids, home):
    city = Grid.objects.city()
    before = Grid.objects.count()
    call_command("load_places", county="652302")
    city.refresh_from_db()
    prefecture = Grid.objects.get(level=GridLevel.PREFECTURE)
    assert (prefecture.code, prefecture.name) == ("6523", "昌吉回族自治州")
    assert city.parent == prefecture and Grid.objects.get(level=GridLevel.REGION).code == "65"
    fukang = Grid.objects.get(code="652302")
    assert fukang.parent == prefecture
    assert Grid.objects.within(city).count() == before
    assert Grid.objects.within(fukang).townships().count() == _listed("652302")[0]
    assert set(Grid.objects.filter(parent__isnull=True)) == {prefecture.parent}
    # The site that served 昌吉市 alone goes on serving it (its signs and posters are printed).
    assert client.get("/grid/").context["grid"] == city
    # Again: nothing new, nothing moved.
    tree = sorted(Grid.objects.values_list("code", "parent__code", "path"))
    call_command("load_places", county="652302")
    assert sorted(Grid.objects.values_list("code", "parent__code", "path")) == tree


def test_an_unknown_code_is_refused_in_words(db):
    with pytest.raises(CommandError, match="不是地方名录中的县（市）"):
        call_command("load_places", county="999999")
    assert not Grid.objects.exists()


def test_slugs_are_pinyin_without_the_suffix():
    assert place_slug("三工镇") == "sangong"
    assert place_slug("和谐二村") == "hexieer"
    assert place_slug("阿什里哈萨克民族乡") == "ashili"
