"""Services for grids and the people who hold roles on them."""

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ABOVE_COUNTY, Grid, GridLevel, Person, Producer, Role, RoleAssignment
from ..sites import served_grid

PLACES_CSV = Path(__file__).resolve().parent.parent / "data" / "changji_places.csv"


@transaction.atomic
def places_load(*, path: Path = PLACES_CSV) -> int:
    """Create or update the city, township and village grids from the place list. Returns the count."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    by_code: dict[str, Grid] = {}
    order = {"city": 0, "township": 0, "village": 0}
    for row in sorted(rows, key=lambda r: ["city", "township", "village"].index(r["level"])):
        order[row["level"]] += 1
        grid = Grid.objects.filter(code=row["code"]).first() or Grid(code=row["code"])
        grid.level = row["level"]
        grid.name = row["name"]
        grid.slug = grid.slug or row["slug"]
        grid.parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
        grid.sort_order = grid.sort_order or order[row["level"]]
        grid.save()
        by_code[row["code"]] = grid
    return len(by_code)


def served_place_name() -> str:
    """The name of the place the request's site serves (a county-level city, a prefecture or the region), in
    the visitor's language; "" before any grid is loaded."""
    grid = served_grid()
    return grid.display_name if grid else ""


@transaction.atomic
def role_assign(*, person: Person, grid: Grid, role: str, start_date: datetime.date | None = None,
                replace: bool = True, note: str = "", by=None) -> RoleAssignment:
    """Give a person a role on a grid from start_date (today by default).

    With replace=True the current holders of that role on that grid leave on the same day: the public
    sees the new holder at once and the history keeps who held the role when.
    """
    start_date = start_date or timezone.localdate()
    assignment = RoleAssignment(person=person, grid=grid, role=role, start_date=start_date, note=note,
                                created_by=by)
    assignment.full_clean()
    current = RoleAssignment.objects.select_for_update().filter(grid=grid, role=role).current(on=start_date)
    if current.filter(person=person).exists():
        raise ValidationError(_("%(name)s 已经担任该网格的%(role)s。") % {
            "name": person.name, "role": Role(role).label})
    if replace:
        for old in current:
            if old.start_date >= start_date:
                raise ValidationError(_("新任职日期必须晚于现任人员的任职日期（%(date)s）。") % {
                    "date": old.start_date.isoformat()})
        current.update(end_date=start_date)
    assignment.save()
    Grid.objects.filter(pk=grid.pk).update(updated_at=timezone.now())
    return assignment


@transaction.atomic
def role_end(*, assignment: RoleAssignment, end_date: datetime.date | None = None) -> RoleAssignment:
    """End an assignment (the person leaves the role) without naming a successor."""
    end_date = end_date or timezone.localdate()
    if end_date < assignment.start_date:
        raise ValidationError(_("离任日期不能早于任职日期。"))
    assignment.end_date = end_date
    assignment.save(update_fields=["end_date"])
    Grid.objects.filter(pk=assignment.grid_id).update(updated_at=timezone.now())
    return assignment


def grids_for_user(user):
    """The grids a staff user covers (`Grid.objects.covered_by`: their current roles; all for the city)."""
    return Grid.objects.covered_by(user)


def grid_choices_by_township(grids: dict[str, Grid], township_label: str = "") -> list:
    """Choices with each township's villages in a group under its name (village names repeat across
    townships): the city first, then per township the township grid itself and its villages.
    `township_label` words the township's own option (default "<name>（乡镇网格）")."""
    choices, groups = [], {}
    for pk, grid in grids.items():
        if grid.level not in (GridLevel.TOWNSHIP, GridLevel.VILLAGE):
            choices.append((pk, grid.name))
        elif grid.level == GridLevel.TOWNSHIP:
            label = (township_label or _("%(name)s（乡镇网格）")) % {"name": grid.name}
            groups.setdefault(grid.pk, (grid.name, []))[1].insert(0, (pk, label))
        else:
            township = grid.parent
            groups.setdefault(township.pk, (township.name, []))[1].append((pk, grid.name))
    return choices + [(name, options) for name, options in groups.values()]


# --- the grid map: the whole tree with today's people, in a fixed number of queries -------------------

# The order in which a grid's roles are shown, highest first.
ROLE_ORDER = [Role.OVERSEER, Role.CITY_FIRST, Role.SUPERVISOR, Role.TESTER, Role.COORDINATOR]


@dataclass
class GridNode:
    """One grid of the map with the people who hold its roles today and its child grids."""

    grid: Grid
    holders: dict[str, list[RoleAssignment]] = field(default_factory=dict)
    children: list["GridNode"] = field(default_factory=list)
    parent: "GridNode | None" = None
    producer_count: int = 0

    def people(self, role: str) -> list[Person]:
        return [a.person for a in self.holders.get(role, [])]

    @property
    def assignments(self) -> list[RoleAssignment]:
        """Today's assignments of this grid, highest role first, longest serving first within a role."""
        return [a for role in ROLE_ORDER for a in self.holders.get(role, [])]

    @property
    def all_producer_count(self) -> int:
        return self.producer_count + sum(child.all_producer_count for child in self.children)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class GridMap:
    """The city's grid tree as loaded by grid_map_load()."""

    root: GridNode | None
    by_pk: dict[int, GridNode]

    @property
    def townships(self) -> list[GridNode]:
        return self.root.children if self.root else []

    def township(self, slug: str) -> GridNode | None:
        """The township with a URL slug, in any letter case (QR codes carry upper-case paths)."""
        slug = (slug or "").lower()
        return next((t for t in self.townships if t.grid.slug == slug), None)

    def village(self, township_slug: str, village_slug: str) -> GridNode | None:
        township = self.township(township_slug)
        slug = (village_slug or "").lower()
        if township is None:
            return None
        return next((v for v in township.children if v.grid.slug == slug), None)

    def people(self) -> list[Person]:
        return [a.person for node in self.by_pk.values() for a in node.assignments]


def grid_map_load(*, on: datetime.date | None = None, producer_counts: bool = True) -> GridMap:
    """The grid tree of the place the site serves (its county) with the people in their roles on a day
    (today by default).

    Three queries whatever the number of grids and people: grids, current assignments with their
    people, and published producers counted per village.
    """
    top = served_grid()
    part = top is not None and top.parent_id is not None  # one county of several
    # Plain order here, the tree is built below (in_tree_order()'s expressions cost more than the query).
    grids = Grid.objects.within(top) if part else Grid.objects.all()
    if top is not None and top.level in ABOVE_COUNTY:  # a prefecture's or the region's site: down to counties
        grids = grids.exclude(level__in=[GridLevel.TOWNSHIP, GridLevel.VILLAGE])
    grids = list(grids.order_by("sort_order", "code"))
    nodes = {g.pk: GridNode(grid=g) for g in grids}
    root = None
    for grid in grids:
        node = nodes[grid.pk]
        if grid.parent_id is None or grid.parent_id not in nodes:
            root = root or node
        elif grid.parent_id in nodes:
            node.parent = nodes[grid.parent_id]
            node.parent.children.append(node)
            grid.parent = node.parent.grid  # share one object per grid
    # Only what pages, posters and the roster print: whole Person rows cost twice as much to load.
    assignments = (RoleAssignment.objects.current(on=on).select_related("person")
                   .only("grid_id", "role", "start_date", "end_date", "note", "person__name", "person__position",
                         "person__organisation", "person__phone", "person__phone_public", "person__photo_id",
                         "person__updated_at")
                   .order_by("start_date", "id"))
    if part:
        assignments = assignments.filter(grid__path__startswith=top.path)
    for assignment in assignments:
        node = nodes.get(assignment.grid_id)
        if node is not None:
            assignment.grid = node.grid
            node.holders.setdefault(assignment.role, []).append(assignment)
    if producer_counts:
        counts = ((Producer.objects.in_grid(top) if part else Producer.objects).published().order_by().values("village_id")
                  .annotate(n=models.Count("id")).values_list("village_id", "n"))
        for village_id, n in counts:
            if village_id in nodes:
                nodes[village_id].producer_count = n
    return GridMap(root=root, by_pk=nodes)


@dataclass
class CountyLine:
    """A county on a prefecture's or the region's grid page."""

    county: Grid
    townships: int = 0
    villages: int = 0
    producers: int = 0
    url: str | None = None  # its own site's grid page


def counties_overview(top: Grid) -> list[tuple[Grid | None, list[CountyLine]]]:
    """The counties under a prefecture or the region, grouped by prefecture, with their grid and published
    producer counts: three queries whatever the size (grids, producers per village, the sites)."""
    from ..sites import url_on_site_serving

    rows = list(Grid.objects.within(top).filter(level__in=[GridLevel.CITY, GridLevel.PREFECTURE, GridLevel.TOWNSHIP,
                                                           GridLevel.VILLAGE]).order_by("sort_order", "code")
                .values_list("pk", "level", "path"))
    counties = {g.path: CountyLine(county=g) for g in
                Grid.objects.within(top).counties().select_related("parent").order_by("sort_order", "code")}

    def county_of(path):
        """The county whose path is a prefix of this one: a lookup per level, not a scan of the counties."""
        end = path.find("/") + 1
        while end:
            if path[:end] in counties:
                return counties[path[:end]]
            end = path.find("/", end) + 1
        return None

    village_county = {}
    for pk, level, path in rows:
        if level in (GridLevel.TOWNSHIP, GridLevel.VILLAGE):
            line = county_of(path)
            if line is not None:
                if level == GridLevel.TOWNSHIP:
                    line.townships += 1
                else:
                    line.villages += 1
                    village_county[pk] = line
    counts = (Producer.objects.published().filter(village__path__startswith=top.path).order_by()
              .values("village_id").annotate(n=models.Count("id")).values_list("village_id", "n"))
    for village_id, n in counts:
        if village_id in village_county:
            village_county[village_id].producers += n
    groups: dict = {}
    for line in counties.values():
        line.url = url_on_site_serving(line.county, "/grid/", own=True)
        parent = line.county.parent if line.county.parent and line.county.parent.level == GridLevel.PREFECTURE else None
        groups.setdefault(parent, []).append(line)
    return list(groups.items())


def grids_state() -> dict:
    """What every grid page and poster depends on, in one query: latest change times and counts.

    Role assignments start and end on dates, so callers add today's date to anything they derive from it.
    """
    def latest(model, column="updated_at"):
        return models.Subquery(model.objects.order_by(f"-{column}").values(column)[:1])

    def count(model):
        return models.Subquery(model.objects.order_by().annotate(
            n=models.Func(models.F("id"), function="COUNT")).values("n")[:1])

    row = (Grid.objects.order_by().annotate(
        grids_at=latest(Grid), grids_n=count(Grid), people_at=latest(Person),
        assignments_at=latest(RoleAssignment, "created_at"), assignments_last=latest(RoleAssignment, "id"),
        assignments_n=count(RoleAssignment), producers_at=latest(Producer), producers_n=count(Producer))
        .values("grids_at", "grids_n", "people_at", "assignments_at", "assignments_last", "assignments_n",
                "producers_at", "producers_n")[:1])
    return dict(row[0]) if row else {}


# --- vacancies: the roles every grid must have someone in --------------------------------------------

# The plan 四(二): city and township grids name their supervisors, villages their coordinators; the roster's
# columns add the city's first responsible person and the township station's tester.
STAFFED_ROLES = {
    GridLevel.CITY: [Role.CITY_FIRST],
    GridLevel.TOWNSHIP: [Role.SUPERVISOR, Role.TESTER],
    GridLevel.VILLAGE: [Role.COORDINATOR],
}
VACANT = "空缺"  # what the roster and the posters print for a role nobody holds (and the roster import reads)


@dataclass
class Vacancy:
    """A grid with roles the plan requires that nobody holds on a day."""

    grid: Grid
    roles: list[str]

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles]


def grids_unstaffed(*, on: datetime.date | None = None, grids=None) -> list[Vacancy]:
    """Grids (all, or those of the `grids` queryset) without a current holder of a required role
    (STAFFED_ROLES), in tree order. Two queries whatever the number of grids."""
    grids = (grids if grids is not None else Grid.objects.all()).select_related("parent").in_tree_order()
    held = set(RoleAssignment.objects.current(on=on).order_by().values_list("grid_id", "role").distinct())
    vacancies = []
    for grid in grids:
        missing = [role for role in STAFFED_ROLES.get(grid.level, []) if (grid.pk, role) not in held]
        if missing:
            vacancies.append(Vacancy(grid=grid, roles=missing))
    return vacancies
