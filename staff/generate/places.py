"""The region generator's grid tree and its people: grids from the place list (a fast path for an empty
tree), a person in each post, staff accounts for supervisors and overseers."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from disclosure.models import Grid, GridLevel, Person, Role, RoleAssignment
from disclosure.services.places import LEVELS, REGION_CSV, _rows, place_slug, places_load
from portal.text import place_pinyin

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗艾买阿吐热依"
GIVEN = ["建国", "秀英", "志强", "海燕", "文军", "玉兰", "国庆", "丽娜", "江", "古丽", "红梅", "卫东", "晓峰",
         "建华", "斌", "明", "娟", "勇", "静", "磊", "艳", "伟", "芳", "敏"]
# Posts filled on each level, with the staff group of the account made for the post (None: no account).
POSTS = {
    GridLevel.REGION: [(Role.OVERSEER, "overseer")],
    GridLevel.PREFECTURE: [(Role.OVERSEER, "overseer")],
    GridLevel.CITY: [(Role.CITY_FIRST, None), (Role.SUPERVISOR, "city_supervisor")],
    GridLevel.TOWNSHIP: [(Role.SUPERVISOR, "township_supervisor"), (Role.TESTER, None)],
    GridLevel.VILLAGE: [(Role.COORDINATOR, None)],
}
POSITIONS = {Role.OVERSEER: "督导员", Role.CITY_FIRST: "农业农村局副局长", Role.SUPERVISOR: "农业技术推广站站长",
             Role.TESTER: "乡镇监管站检测员", Role.COORDINATOR: "村委会委员"}


def person_name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n // len(SURNAMES)) % len(GIVEN)]


def account_name(role: str, grid: Grid) -> str:
    """The username of the generated account for a post: overseer-65, supervisor-652301101."""
    return f"{'overseer' if role == Role.OVERSEER else 'supervisor'}-{grid.code}"


def grids_load(*, code: str, level: str) -> tuple[int, bool]:
    """The unit and everything under it; returns (grids, whether the fast path was taken). An empty tree is
    filled with a few bulk inserts, writing what places_load() would (slugs, sort order, paths, pinyin
    names); a tree with grids goes through places_load(), one save per grid."""
    if Grid.objects.exists():
        return places_load(code=code, level=level), False
    rows = _rows(REGION_CSV)
    unit = next((r for r in rows if r["code"] == code and r["level"] == level), None)
    if unit is None:  # places_load says why, in words
        return places_load(code=code, level=level), False
    children: dict[str, list[dict]] = {}
    for row in rows:
        children.setdefault(row["parent_code"], []).append(row)
    made: dict[str, Grid] = {}
    frontier, position = [unit], 0
    while frontier:
        batch, used = [], {}
        for row in frontier:
            parent = made.get(row["parent_code"]) if row is not unit else None
            taken = used.setdefault(parent.pk if parent else None, set())
            base = slug = place_slug(row["name"])
            n = 1
            while slug in taken:
                n += 1
                slug = f"{base}-{n}"
            taken.add(slug)
            position += 1
            batch.append(Grid(level=LEVELS[row["level"]], code=row["code"], name=row["name"],
                              name_en=place_pinyin(row["name"])[:80], slug=slug, parent=parent,
                              sort_order=position, path=f"{parent.path if parent else ''}{row['code']}/"))
        for grid in Grid.objects.bulk_create(batch, batch_size=2000):
            made[grid.code] = grid
        frontier = [child for row in frontier for child in children.get(row["code"], [])]
    _forget()
    return len(made), True


def _forget() -> None:
    from disclosure.sites import forget
    from portal.places import place_forget

    forget()
    place_forget()


def people_add(*, unit: Grid, since: datetime.date) -> dict[str, int]:
    """A person in each post of the unit's grids that nobody holds (see POSTS), holding it since `since`;
    accounts (staff, no usable password: an administrator sets one) for supervisors and overseers."""
    from staff.roles import staff_roles_setup

    staff_roles_setup()
    groups = {g.name: g for g in Group.objects.all()}
    grids = list(Grid.objects.within(unit).order_by("path"))
    held = set(RoleAssignment.objects.current().filter(grid__in=Grid.objects.within(unit))
               .values_list("grid_id", "role"))
    users_model = get_user_model()
    taken = set(users_model.objects.filter(username__in=[
        account_name(role, g) for g in grids for role, group in POSTS[g.level] if group]).values_list(
        "username", flat=True))
    posts, n = [], Person.objects.count()
    for grid in grids:
        for role, group in POSTS[grid.level]:
            if (grid.pk, role) not in held:
                n += 1
                posts.append((grid, role, group, n))
    password = make_password(None)  # unusable; the same hash for all: they cannot sign in until given one
    users = [users_model(username=account_name(role, grid), password=password, is_staff=True,
                         first_name=person_name(n), date_joined=timezone.now())
             for grid, role, group, n in posts if group and account_name(role, grid) not in taken]
    users = {u.username: u for u in users_model.objects.bulk_create(users, batch_size=2000)}
    memberships = [users_model.groups.through(user_id=users[account_name(role, grid)].pk,
                                              group_id=groups[group].pk)
                   for grid, role, group, _n in posts if group and account_name(role, grid) in users]
    users_model.groups.through.objects.bulk_create(memberships, batch_size=5000)
    people = Person.objects.bulk_create([
        Person(name=person_name(n), position=POSITIONS[role], organisation=f"{grid.name}农业农村工作站",
               phone=f"139{n % 100000000:08d}",
               user=users.get(account_name(role, grid)) if group else None)
        for grid, role, group, n in posts], batch_size=2000)
    RoleAssignment.objects.bulk_create([
        RoleAssignment(person=person, grid=grid, role=role, start_date=since)
        for person, (grid, role, _group, _n) in zip(people, posts, strict=True)], batch_size=5000)
    return {"people": len(people), "accounts": len(users)}
