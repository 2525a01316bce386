"""Loading a county's grid tree from the region's place list (disclosure/data/xinjiang_places.csv: the NBS
codes and names of the region's prefectures, counties, townships and villages).

A portal serves one county today: its county-level grid (市级网格) with the townships and villages under it.
Loading another county into a portal that already serves one is refused rather than mixed in.
"""

import csv
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.text import PLACE_SUFFIXES, place_pinyin

from ..models import Grid, GridLevel

REGION_CSV = Path(__file__).resolve().parent.parent / "data" / "xinjiang_places.csv"
LEVELS = {"county": GridLevel.CITY, "township": GridLevel.TOWNSHIP, "village": GridLevel.VILLAGE}


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
def county_load(*, code: str, path: Path = REGION_CSV) -> int:
    """Create or update the county with this NBS code and its townships and villages; returns how many grids
    the county has. Idempotent: grids are found by their codes, and names follow the list."""
    rows = _rows(path)
    county = next((r for r in rows if r["level"] == "county" and r["code"] == code), None)
    if county is None:
        raise ValidationError(_("区划代码“%(code)s”不是地方名录中的县（市）。") % {"code": code})
    other = Grid.objects.filter(level=GridLevel.CITY).exclude(code=code).first()
    if other is not None:
        raise ValidationError(_("本平台已在服务%(name)s（%(code)s），一个平台目前只服务一个县（市）。") % {
            "name": other.name, "code": other.code})
    townships = [r for r in rows if r["level"] == "township" and r["parent_code"] == code]
    township_codes = {r["code"] for r in townships}
    villages = [r for r in rows if r["level"] == "village" and r["parent_code"] in township_codes]
    by_code: dict[str, Grid] = {}
    for order, row in enumerate([county] + townships + villages, start=1):
        grid = Grid.objects.filter(code=row["code"]).first() or Grid(code=row["code"])
        grid.level = LEVELS[row["level"]]
        grid.name = row["name"]
        grid.parent = by_code.get(row["parent_code"])
        if not grid.slug:
            grid.slug = _free_slug(row["name"], grid.parent, taken=by_code.values())
        grid.sort_order = grid.sort_order or order
        grid.save()
        by_code[row["code"]] = grid
    return len(by_code)


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
