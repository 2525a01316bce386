"""Demo data for running the grid (gridwork): quotas with rapid tests, training, oversight of townships —
for the current and the previous year, with some townships behind. Each part is idempotent."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from disclosure.models import Grid, Producer

# How each township keeps up with its quota, in township order: some are behind.
PACE = [1.15, 1.0, 0.55, 1.05, 0.9, 0.7, 1.2, 1.0, 0.45, 0.95]
SAMPLE_PRODUCTS = ["黄瓜", "番茄", "辣椒", "芹菜", "韭菜", "葡萄", "西瓜", "哈密瓜", "羊肉", "鸡蛋", "牛奶", "小麦"]


def _boss():
    return get_user_model().objects.filter(username="city_admin").first()


def load_gridwork(today: datetime.date) -> dict[str, int]:
    """All of gridwork's demo data; returns counts of what was added."""
    from gridwork.services.scope import gridwork_permissions_grant

    gridwork_permissions_grant()
    boss = _boss()
    if boss is None:
        return {}
    return {"quotas": load_quotas(today, boss), "vacancies": load_vacancies(today)}


@transaction.atomic
def load_quotas(today: datetime.date, boss) -> int:
    """Each station's quota for this year and last, and samples rapid-tested at each township's own pace."""
    from gridwork.models import StationQuota
    from gridwork.services.quotas import quota_set
    from inspections.services.records import rapid_test_record, sample_take

    rng = random.Random(2024)
    townships = list(Grid.objects.townships().in_order())
    added = 0
    for year in (today.year - 1, today.year):
        if StationQuota.objects.filter(year=year).exists():
            continue
        values = {}
        for index, township in enumerate(townships):
            values[(township.pk, "")] = 60 + 12 * (index % 4)
            if index % 3 == 0:
                values[(township.pk, "vegetable")] = 24
        quota_set(year=year, values=values, user=boss)
        last = datetime.date(year, 12, 31) if year < today.year else today
        for index, township in enumerate(townships):
            producers = list(Producer.objects.filter(village__parent=township)[:20])
            if not producers:
                continue
            days = (last - datetime.date(year, 1, 1)).days + 1
            count = round(values[(township.pk, "")] * days / 365 * PACE[index % len(PACE)])
            for _n in range(count):
                day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(days))
                taken_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + rng.randrange(8))))
                sample = sample_take(producer=rng.choice(producers), user=boss, product=rng.choice(SAMPLE_PRODUCTS),
                                     taken_at=taken_at).obj
                rapid_test_record(sample=sample, user=boss, method="gold", target="克百威",
                                  result="positive" if rng.random() < 0.02 else "negative", tested_on=day)
                added += 1
    return added


@transaction.atomic
def load_vacancies(today: datetime.date) -> int:
    """A station tester and two village coordinators who left recently without a successor, so the city's
    home panel, the roster and the posters show 空缺 (once: nothing is ended when a vacancy exists)."""
    from disclosure.models import Role, RoleAssignment
    from disclosure.services.grids import grids_unstaffed, role_end

    if grids_unstaffed():
        return 0
    ended = 0
    townships = list(Grid.objects.townships().in_order())
    picks = [(townships[5], Role.TESTER)] + [(t.children.order_by("code").last(), Role.COORDINATOR)
                                             for t in (townships[2], townships[8])]
    for grid, role in picks:
        assignment = RoleAssignment.objects.current().filter(grid=grid, role=role).first()
        if assignment is not None and assignment.start_date < today - datetime.timedelta(days=12):
            role_end(assignment=assignment, end_date=today - datetime.timedelta(days=12))
            ended += 1
    return ended
