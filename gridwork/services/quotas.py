"""Station test quotas (速测任务数, the plan 四(四)): the city allocates, the recorded rapid tests count.

`quota_set` saves a year's quotas for every township at once, all or nothing. `quota_progress` compares
each station's samples rapid-tested (inspections.RapidTest: a sample counts once, in the month of its
first rapid test, for the township it was taken in) with a straight-line target: quota × months ended /
12, rounded half up. A station is behind when it has tested fewer samples so far than the target at the
end of the last month that has ended. Figures are never typed twice: only the quotas are entered.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.models import Grid
from inspections.models import Sample

from .. import conf
from ..models import ProductGroup, StationQuota
from .scope import require_city, townships_for

QUOTA_MAX = 100_000
ALL = ""  # the product_group of a township's total quota
FULL_WIDTH = str.maketrans("０１２３４５６７８９－．", "0123456789-.")


class QuotaError(ValidationError):
    """Quotas that cannot be saved; `errors` maps (township id, product group) to the message."""

    def __init__(self, errors: dict[tuple[int, str], str]):
        self.errors = errors
        super().__init__(_("有%(n)d个任务数填写有误，未保存任何任务数。") % {"n": len(errors)})


def product_group_of(product: str) -> str:
    """The product group of a sample's product name, by the words in GRIDWORK_PRODUCT_GROUP_WORDS."""
    for group, words in conf.get("GRIDWORK_PRODUCT_GROUP_WORDS"):
        if any(word in (product or "") for word in words):
            return group
    return ProductGroup.OTHER


def quota_parse(raw) -> int | None:
    """A quota as typed: blank → None (no quota); otherwise a whole number from 0 up, or ValueError with
    the reason in words."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(_("任务数必须是整数。"))
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).translate(FULL_WIDTH).replace(",", "").replace("，", "").strip()
        if not text:
            return None
        if re.fullmatch(r"-\s*\d+(\.\d*)?", text):
            raise ValueError(_("任务数不能是负数（您填写的是 %(raw)s）。") % {"raw": raw})
        if re.fullmatch(r"\d+\.0*", text):
            text = text.split(".")[0]
        if not re.fullmatch(r"\d+", text):
            raise ValueError(_("任务数必须是整数份数，例如 120（您填写的是 %(raw)s）。") % {"raw": raw})
        value = int(text)
    if value < 0:
        raise ValueError(_("任务数不能是负数（您填写的是 %(raw)s）。") % {"raw": raw})
    if value > QUOTA_MAX:
        raise ValueError(_("任务数不能超过%(max)d份。") % {"max": QUOTA_MAX})
    return value


@transaction.atomic
def quota_set(*, year: int, values: dict[tuple[int, str], object], user) -> dict[str, int]:
    """Save a year's quotas: `values` maps (township id, product group or "") to the number typed (blank
    removes that quota). Only the city allocates. Every value is checked first; any error saves nothing."""
    require_city(user, _("速测任务数由市级网格分配，乡镇只能查看本乡镇的进度。"))
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError(_("年度无效。"))
    townships = set(townships_for(user).values_list("pk", flat=True))  # a county allocates to its own
    groups = {ALL, *ProductGroup.values}
    errors, parsed = {}, {}
    for (township_id, group), raw in values.items():
        if township_id not in townships or group not in groups:
            errors[(township_id, group)] = _("没有这个乡镇或产品类别。")
            continue
        try:
            parsed[(township_id, group)] = quota_parse(raw)
        except ValueError as exc:
            errors[(township_id, group)] = str(exc)
    if errors:
        raise QuotaError(errors)
    existing = {(q.township_id, q.product_group): q
                for q in StationQuota.objects.select_for_update().filter(year=year)}
    counts = {"set": 0, "removed": 0}
    for key, value in parsed.items():
        quota = existing.get(key)
        if value is None:
            if quota is not None:
                quota.delete()
                counts["removed"] += 1
            continue
        if quota is not None and quota.quota == value:
            continue
        if quota is None:
            quota = StationQuota(township_id=key[0], year=year, product_group=key[1])
        quota.quota, quota.set_by = value, user
        quota.save()
        counts["set"] += 1
    return counts


# --- progress ------------------------------------------------------------------------------------------

def _target(quota: int, months: int) -> int:
    """The straight-line target after `months` months, rounded half up."""
    return (quota * months * 2 + 12) // 24


def months_ended(year: int, on: datetime.date) -> int:
    """How many months of `year` have ended on a day: 12 for a past year, 0 for a future one."""
    if year < on.year:
        return 12
    if year > on.year:
        return 0
    return on.month - 1


@dataclass
class GroupProgress:
    """One product group's quota of a station against what it has tested."""

    group: str
    quota: int
    done: int
    target: int

    @property
    def label(self) -> str:
        return str(ProductGroup(self.group).label)

    @property
    def behind(self) -> int:
        return max(self.target - self.done, 0)


@dataclass
class StationProgress:
    """A township station's year: samples tested per month, the quota and where it stands."""

    township: Grid
    year: int
    months_ended: int
    quota: int | None = None
    monthly: list[int] = field(default_factory=lambda: [0] * 12)
    groups: list[GroupProgress] = field(default_factory=list)
    group_done: dict[str, int] = field(default_factory=dict)

    @property
    def done(self) -> int:
        return sum(self.monthly)

    @property
    def cumulative(self) -> list[int]:
        total, out = 0, []
        for n in self.monthly:
            total += n
            out.append(total)
        return out

    @property
    def targets(self) -> list[int | None]:
        """The straight-line target at the end of each month (None without a quota)."""
        return [None if self.quota is None else _target(self.quota, m) for m in range(1, 13)]

    @property
    def target(self) -> int:
        """The target at the end of the last month that has ended."""
        return 0 if self.quota is None else _target(self.quota, self.months_ended)

    @property
    def percent(self) -> int | None:
        """Share of the whole year's quota done, in per cent."""
        if not self.quota:
            return None
        return min(round(self.done * 100 / self.quota), 999)

    @property
    def gap(self) -> int:
        return max(self.target - self.done, 0)

    @property
    def behind_groups(self) -> list[GroupProgress]:
        return [g for g in self.groups if g.behind]

    @property
    def is_behind(self) -> bool:
        return self.quota is not None and self.months_ended > 0 and (self.gap > 0 or bool(self.behind_groups))

    @property
    def status(self) -> str:
        if self.quota is None:
            return "none"
        if self.is_behind:
            return "behind"
        if self.done >= self.quota:
            return "done"
        return "ok"

    @property
    def words(self) -> str:
        """Where the station stands, in a sentence."""
        if self.quota is None:
            return _("市级网格尚未分配%(year)d年的速测任务数。") % {"year": self.year}
        groups = "；".join(_("%(group)s还差%(gap)d份") % {"group": g.label, "gap": g.behind}
                          for g in self.behind_groups)
        if self.months_ended == 0:
            return _("年度尚未过完一个月，暂不评估进度；全年任务%(quota)d份，已检测%(done)d份。") % {
                "quota": self.quota, "done": self.done}
        if self.months_ended == 12:
            if self.done >= self.quota and not groups:
                return _("已完成全年任务：任务%(quota)d份，检测%(done)d份。") % {"quota": self.quota, "done": self.done}
            text = _("未完成全年任务：任务%(quota)d份，检测%(done)d份，差%(gap)d份。") % {
                "quota": self.quota, "done": self.done, "gap": self.gap}
            return text + (groups and _("分类别：%(groups)s。") % {"groups": groups})
        if self.gap:
            text = _("进度落后：截至%(month)d月底应完成%(target)d份，实际已检测%(done)d份，还差%(gap)d份。") % {
                "month": self.months_ended, "target": self.target, "done": self.done, "gap": self.gap}
        elif groups:
            text = _("总数进度正常（应完成%(target)d份，已检测%(done)d份），但分类别落后。") % {
                "target": self.target, "done": self.done}
        else:
            return _("进度正常：截至%(month)d月底应完成%(target)d份，已检测%(done)d份。") % {
                "month": self.months_ended, "target": self.target, "done": self.done}
        return text + (groups and _("分类别：%(groups)s。") % {"groups": groups})


def quota_progress(*, year: int, townships=None, on: datetime.date | None = None) -> list[StationProgress]:
    """Every station's progress for a year (the given townships, all by default), in three queries:
    townships, quotas and the samples first rapid-tested that year."""
    on = on or timezone.localdate()
    townships = list((townships if townships is not None else Grid.objects.townships()).order_by("sort_order", "code"))
    ended = months_ended(year, on)
    rows = {t.pk: StationProgress(township=t, year=year, months_ended=ended) for t in townships}
    group_quotas: dict[int, list[StationQuota]] = {}
    for quota in StationQuota.objects.filter(year=year, township_id__in=rows):
        if quota.product_group == ALL:
            rows[quota.township_id].quota = quota.quota
        else:
            group_quotas.setdefault(quota.township_id, []).append(quota)
    samples = (Sample.objects.filter(township_id__in=rows).order_by()
               .annotate(first=models.Min("rapid_tests__tested_on"))
               .filter(first__gte=datetime.date(year, 1, 1), first__lte=min(datetime.date(year, 12, 31), on))
               .values_list("township_id", "product", "first"))
    group_of: dict[str, str] = {}
    for township_id, product, first in samples:
        row = rows[township_id]
        row.monthly[first.month - 1] += 1
        group = group_of.setdefault(product, product_group_of(product))
        row.group_done[group] = row.group_done.get(group, 0) + 1
    for township_id, quotas in group_quotas.items():
        row = rows[township_id]
        row.groups = [GroupProgress(group=q.product_group, quota=q.quota,
                                    done=row.group_done.get(q.product_group, 0), target=_target(q.quota, ended))
                      for q in sorted(quotas, key=lambda q: ProductGroup.values.index(q.product_group))]
    return list(rows.values())


def quota_values(*, year: int) -> dict[tuple[int, str], int]:
    """The quotas saved for a year, keyed as quota_set takes them."""
    return {(q.township_id, q.product_group): q.quota for q in StationQuota.objects.filter(year=year)}
