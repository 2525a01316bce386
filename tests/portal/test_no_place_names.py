"""The portal serves whichever place its grid tree is loaded for: no template, stylesheet, script or code
names a place (the demo data and the facts files do). Names come from the tree (portal.places)."""

import csv
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("portal", "disclosure", "complaints", "casework", "inspections", "gridwork", "staff")
# Demo data is data: it loads 昌吉市's demo on purpose.
DATA = re.compile(r"(^|/)(demo[^/]*\.py|load_demo[^/]*\.py|migrations/|data/)")
SUFFIXES = ("哈萨克民族乡", "民族乡", "镇", "乡", "村", "市", "县", "区", "州", "地区", "自治州")


def _place_names() -> set[str]:
    """The served county's names, its prefecture's and the region's, each with and without its suffix
    (昌吉市 and 昌吉, 三工镇 and 三工): what a template might write."""
    names = set()
    with (ROOT / "disclosure" / "data" / "changji_places.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(line for line in handle if not line.startswith("#")):
            if row["level"] in ("city", "township"):
                names.add(row["name"])
    names |= {"昌吉回族自治州", "新疆维吾尔自治区", "Changji"}
    for name in list(names):
        for suffix in SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                names.add(name[: -len(suffix)])
    return names


def _sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if not DATA.search(relative):
                yield relative, path
    for folder in ("templates", "static"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".html", ".txt", ".css", ".js", ".svg"):
                yield path.relative_to(ROOT).as_posix(), path


def test_no_place_is_named_in_templates_or_code():
    names = _place_names()
    pattern = re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))
    found = []
    for relative, path in _sources():
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="ignore").splitlines(), start=1):
            for match in pattern.finditer(line):
                found.append(f"{relative}:{number}: {match.group(0)}")
    assert not found, f"{len(found)} place names in templates or code, e.g. {found[:12]}"


@pytest.mark.django_db
def test_the_place_comes_from_the_grid_tree(client, grids, home):
    from disclosure.models import Grid, GridLevel
    from portal.places import place_forget

    html = client.get("/").content.decode()
    assert '<span class="brand-city">昌吉市</span>' in html and "· 昌吉市农产品质量安全网格化管理</title>" in html
    english = client.get("/", headers={"Cookie": "lang=en"}).content.decode()
    assert '<span class="brand-city">Changji City</span>' in english
    city = Grid.objects.get(level=GridLevel.CITY)
    city.name, city.name_en = "阜康市", ""
    city.save()
    place_forget()
    html = client.get("/grid/").content.decode()
    assert '<span class="brand-city">阜康市</span>' in html and "昌吉" not in html
