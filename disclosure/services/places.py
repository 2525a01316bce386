"""Loading grids from the region's place list (disclosure/data/xinjiang_places.csv: the NBS codes and names
of the region, its prefectures, counties, townships and villages).

One county loads alone (its county-level grid heads the tree, as in a portal serving one county). Loading a
prefecture, the region, or a second county adds the levels above, so that the tree keeps one top: the
counties already there move under their prefectures.
"""

import csv
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from portal.text import PLACE_SUFFIXES, place_pinyin

from ..models import Grid, GridLevel

REGION_CSV = Path(__file__).resolve().parent.parent / "data" / "xinjiang_places.csv"
LEVELS = {"region": GridLevel.REGION, "prefecture": GridLevel.PREFECTURE, "county": GridLevel.CITY,
          "township": GridLevel.TOWNSHIP, "village": GridLevel.VILLAGE}
UNIT_NAMES = {"region": _lazy("自治区"), "prefecture": _lazy("地州"), "county": _lazy("县（市）")}


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def place_slug(name: str) -> str:
    """The address name of a township or village: its pinyin without the suffix, lower case (东风镇 → dongfeng)."""
    core = name
    for chinese, _english in PLACE_SUFFIXES:
        if core.endswith(chinese) and len(core) > len(chinese):
            core = core[: -len(chinese)]
            break
    return re.sub(r"[^a-z0-9]+", "", place_pinyin(core).lower())[:36] or "grid"


@transaction.atomic
def places_load(*, code: str, level: str = "county", path: Path = REGION_CSV) -> int:
    """Create or update the unit (region, prefecture or county) with this NBS code and everything under it;
    returns how many grids it has. Idempotent: grids are found by their codes, and names follow the list."""
    rows = _rows(path)
    by_code = {r["code"]: r for r in rows}
    unit = by_code.get(code)
    if unit is None or unit["level"] != level:
        raise ValidationError(_("区划代码“%(code)s”不是地方名录中的%(unit)s。") % {
            "code": code, "unit": UNIT_NAMES.get(level, level)})
    children: dict[str, list[dict]] = {}
    for row in rows:
        children.setdefault(row["parent_code"], []).append(row)
    subtree, frontier = [unit], [unit]
    while frontier:
        frontier = [child for row in frontier for child in children.get(row["code"], [])]
        subtree += frontier
    # The levels above: needed when the tree already has a top that is not this unit or inside it.
    tops = list(Grid.objects.filter(parent__isnull=True))
    above = []
    if level != "region" and any(not _inside(top.code, code, by_code) for top in tops):
        for top in tops:
            above += [by_code[c] for c in _chain(top.code, by_code) if c != top.code]
        above += [by_code[c] for c in _chain(code, by_code) if c != code]
    loaded: dict[str, Grid] = {}
    order = sorted({r["code"]: r for r in above}.values(), key=lambda r: list(LEVELS).index(r["level"]))
    for row in order + subtree:
        loaded[row["code"]] = _put(row, loaded)
    for top in tops:  # the former top moves under its own prefecture (or the region)
        parent_code = by_code.get(top.code, {}).get("parent_code")
        if top.parent_id is None and parent_code in loaded:
            _site_keeps_serving(top)
            top.parent = loaded[parent_code]
            top.save()
    return len(subtree)


def _site_keeps_serving(grid: Grid) -> None:
    """The default site goes on serving the grid it served as the top of the tree (its signs and posters
    are printed), unless staff chose its grid already."""
    from ..models import ServedGrid
    from .sites import default_site_serve

    if not ServedGrid.objects.filter(site__is_default_site=True, grid__isnull=False).exists():
        default_site_serve(grid)


def county_load(*, code: str, path: Path = REGION_CSV) -> int:
    """A county with its townships and villages (see places_load)."""
    return places_load(code=code, level="county", path=path)


def _chain(code: str, by_code: dict) -> list[str]:
    """The codes from the top of the list down to this one."""
    chain = []
    while code in by_code:
        chain.insert(0, code)
        code = by_code[code]["parent_code"]
    return chain


def _inside(code: str, unit: str, by_code: dict) -> bool:
    return unit in _chain(code, by_code)


def _put(row: dict, loaded: dict[str, Grid]) -> Grid:
    grid = Grid.objects.filter(code=row["code"]).first() or Grid(code=row["code"])
    parent = loaded.get(row["parent_code"]) or (grid.parent if grid.pk else None)
    changed = (grid.pk is None or grid.name != row["name"] or grid.level != LEVELS[row["level"]]
               or grid.parent_id != (parent.pk if parent else None))
    if not changed:
        return grid
    grid.level = LEVELS[row["level"]]
    grid.name = row["name"]
    grid.parent = parent
    if not grid.slug:
        grid.slug = _free_slug(row["name"], grid.parent, taken=loaded.values())
    grid.sort_order = grid.sort_order or (len(loaded) + 1)
    grid.save()
    return grid


def _free_slug(name: str, parent: Grid | None, *, taken) -> str:
    """A slug no sibling has yet: the pinyin, then with -2, -3… (two villages may share a name)."""
    base = place_slug(name)
    used = {g.slug for g in taken if g.parent_id == (parent.pk if parent else None)}
    used |= set(Grid.objects.filter(parent=parent).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    return slug
