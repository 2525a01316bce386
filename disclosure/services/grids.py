"""Services for grids and the people who hold roles on them."""

import csv
import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Grid, GridLevel, Person, Role, RoleAssignment

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
    """The grids a staff user covers, from the roles their linked person holds today.

    Superusers and holders of a city-grid role cover everything; a township role covers the township
    and its villages; a coordinator covers their village. Users with no linked person cover nothing.
    """
    if not user or not user.is_authenticated:
        return Grid.objects.none()
    if user.is_superuser:
        return Grid.objects.all()
    person = getattr(user, "grid_person", None)
    if person is None:
        return Grid.objects.none()
    grids = [a.grid for a in person.assignments.current().select_related("grid")]
    if any(g.level == GridLevel.CITY for g in grids):
        return Grid.objects.all()
    ids = {g.pk for g in grids}
    township_ids = [g.pk for g in grids if g.level == GridLevel.TOWNSHIP]
    if township_ids:
        ids.update(Grid.objects.filter(parent_id__in=township_ids).values_list("pk", flat=True))
    return Grid.objects.filter(pk__in=ids)
