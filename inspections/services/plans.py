"""The yearly inspection plan (年度日常巡查计划, 附件1 第五条): generated per township from the registry and
the city's rules, then adjusted by the township. Every change is kept (PlanChange).

How many visits a producer needs in a year (`required_visits`):
- key supervision list (grade B/C or high risk): InspectionRules.key_per_year (default 4);
- enterprises, co-operatives, family farms and storage operators: main_per_year (default 2);
- scale growers: scale_per_year (1); input shops: input_shop_per_year (1);
- small growers: none by rule; the township's share (plan.small_share %) is chosen for spot checks,
  highest risk first, then those longest without an inspection;
- every producer that needs visits gets peak_extra_visits more when the township chose peak months.
Visits are spread evenly over the year; peak visits fall in the peak months. Assignees are the township's
supervisors and testers with a back-office account, in turn, village by village.
"""

import datetime
import math
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.models import Grid, GridLevel, Producer, ProducerKind, RiskLevel, Role, RoleAssignment
from disclosure.models.producers import KEY_GRADES
from portal.auth import display_name

from ..models import InspectionPlan, InspectionRules, PlanChange, PlannedVisit, Visit
from .scope import InspectionPermissionDenied, township_ids_for

MAIN_KINDS = (ProducerKind.ENTERPRISE, ProducerKind.COOPERATIVE, ProducerKind.FAMILY_FARM, ProducerKind.STORAGE)
BATCH = 2000


class PlanError(ValidationError):
    """The plan cannot be changed as asked; the message says why."""


class PlanChanged(PlanError):
    """Someone changed the visit since the caller read it."""


def rules() -> InspectionRules:
    return InspectionRules.load()


def is_key(producer) -> bool:
    grade = producer["grade"] if isinstance(producer, dict) else producer.grade
    risk = producer["risk_level"] if isinstance(producer, dict) else producer.risk_level
    return grade in KEY_GRADES or risk == RiskLevel.HIGH


def base_visits(kind: str, key: bool, r: InspectionRules) -> int:
    """Visits a year by rule, before peak months and small growers' spot checks."""
    if key:
        return r.key_per_year
    if kind in MAIN_KINDS:
        return r.main_per_year
    if kind == ProducerKind.LARGE_GROWER:
        return r.scale_per_year
    if kind == ProducerKind.INPUT_SHOP:
        return r.input_shop_per_year
    return 0


def spread_months(count: int) -> list[int]:
    """`count` visits spread evenly over the year: 1 → July; 2 → April, October; 4 → Feb, May, Aug, Nov."""
    return [min(12, int((i + 0.5) * 12 / count) + 1) for i in range(count)] if count else []


def parse_peak_months(value) -> str:
    """'6, 7，9' → '6,7,9'; PlanError for anything that is not a month."""
    if isinstance(value, list | tuple):
        parts = [str(v) for v in value]
    else:
        parts = str(value or "").replace("，", ",").replace("、", ",").replace(" ", ",").split(",")
    months = set()
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 12:
            raise PlanError(_("高峰期月份“%(value)s”无效，请填写1到12之间的数字，例如 6,7,9。") % {"value": part[:10]})
        months.add(int(part))
    return ",".join(str(m) for m in sorted(months))



def _log(plan, user, description: str) -> None:
    PlanChange.objects.create(plan=plan, user=user, user_name=display_name(user), description=description[:1000])


def _check_township(user, township: Grid) -> None:
    if user is None:
        return
    allowed = township_ids_for(user)
    if allowed is not None and township.pk not in allowed:
        raise InspectionPermissionDenied(_("%(township)s不在您负责的范围内。") % {"township": township.name})
    if not user.has_perm("inspections.manage_plan"):
        raise InspectionPermissionDenied(_("您没有生成和调整巡查计划的权限。"))


def township_inspectors(township: Grid) -> list:
    """Back-office accounts of the township's supervisors and testers today, in a stable order."""
    rows = (RoleAssignment.objects.current().filter(grid=township, role__in=[Role.SUPERVISOR, Role.TESTER],
                                                    person__user__isnull=False, person__user__is_active=True)
            .select_related("person__user").order_by("role", "person__name", "id"))
    users, seen = [], set()
    for row in rows:
        if row.person.user_id not in seen:
            seen.add(row.person.user_id)
            users.append(row.person.user)
    return users


def _planned_for(producers: list[dict], plan: InspectionPlan, r: InspectionRules, last_seen: dict,
                 spot_taken: int = 0, small_planned: int = 0) -> list[tuple]:
    """(producer_id, village_id, month, reason) for every visit the plan needs. `small_planned` small growers
    are already on the plan, `spot_taken` of them chosen for spot checks; the share counts them all."""
    peaks = plan.peak_month_list
    rows = []
    small = []
    for p in producers:
        key = is_key(p)
        count = base_visits(p["kind"], key, r)
        if not count and p["kind"] == ProducerKind.SMALLHOLDER:
            small.append(p)
            continue
        reason = Visit.KEY if key else Visit.REQUIRED
        rows += [(p["id"], p["village_id"], m, reason) for m in spread_months(count)]
        if count and peaks:
            rows += [(p["id"], p["village_id"], peaks[i % len(peaks)], Visit.PEAK) for i in range(r.peak_extra_visits)]
    risk_order = {RiskLevel.HIGH: 0, RiskLevel.MEDIUM: 1, RiskLevel.UNASSESSED: 2, RiskLevel.LOW: 3}
    small.sort(key=lambda p: (risk_order.get(p["risk_level"], 2), last_seen.get(p["id"]) or datetime.date.min,
                              p["id"]))
    wanted = math.ceil((len(small) + small_planned) * plan.small_share / 100) - spot_taken
    chosen = small[:max(0, wanted)]
    months = peaks or spread_months(1)
    rows += [(p["id"], p["village_id"], months[i % len(months)], Visit.SPOT) for i, p in enumerate(chosen)]
    return rows


@transaction.atomic
def plan_generate(*, township: Grid, year: int, user=None, small_share: int | None = None,
                  peak_months=None) -> InspectionPlan:
    """Make the township's plan for `year` from the registry, or add the visits it lacks (producers new to
    the registry) to an existing plan, keeping every adjustment already made."""
    if township.level != GridLevel.TOWNSHIP:
        raise PlanError(_("巡查计划按乡镇制定，请选择一个乡镇。"))
    if not 2000 <= int(year) <= 2100:
        raise PlanError(_("年度无效。"))
    _check_township(user, township)
    r = rules()
    if small_share is not None and not 0 <= int(small_share) <= 100:
        raise PlanError(_("散户抽查比例应在0到100之间。"))
    plan, created = InspectionPlan.objects.select_for_update().get_or_create(
        township=township, year=year,
        defaults={"small_share": r.small_share_default if small_share is None else int(small_share),
                  "peak_months": parse_peak_months(peak_months)})
    if not created and (small_share is not None or peak_months is not None):
        plan.small_share = plan.small_share if small_share is None else int(small_share)
        plan.peak_months = plan.peak_months if peak_months is None else parse_peak_months(peak_months)
        plan.save(update_fields=["small_share", "peak_months", "updated_at"])
    producers = list(Producer.objects.filter(village__parent=township)
                     .values("id", "kind", "grade", "risk_level", "village_id").order_by("village_id", "id"))
    already = set(plan.visits.values_list("producer_id", flat=True).distinct()) if not created else set()
    spot_taken = plan.visits.filter(reason=Visit.SPOT).values("producer_id").distinct().count() if already else 0
    small_planned = sum(1 for p in producers if p["id"] in already and p["kind"] == ProducerKind.SMALLHOLDER)
    last_seen = dict(Producer.objects.filter(village__parent=township, inspections__confirmed=True)
                     .annotate(last=Max("inspections__inspected_on")).values_list("id", "last"))
    wanted = _planned_for([p for p in producers if p["id"] not in already], plan, r, last_seen, spot_taken,
                          small_planned)
    inspectors = township_inspectors(township)
    by_village = defaultdict(list)
    for row in wanted:
        by_village[row[1]].append(row)
    visits = []
    for turn, village_id in enumerate(sorted(by_village)):
        assignee = inspectors[turn % len(inspectors)] if inspectors else None
        visits += [PlannedVisit(plan=plan, producer_id=pid, month=month, reason=reason, assignee=assignee)
                   for pid, _v, month, reason in by_village[village_id]]
    PlannedVisit.objects.bulk_create(visits, batch_size=BATCH)
    if created:
        _log(plan, user, _("生成年度计划：%(producers)d个主体，%(visits)d次巡查。")
             % {"producers": len({v.producer_id for v in visits}), "visits": len(visits)})
    elif visits:
        _log(plan, user, _("补充新纳入名录的主体：%(visits)d次巡查。") % {"visits": len(visits)})
    return plan


def _locked_visit(visit: PlannedVisit, expected_version: int | None) -> PlannedVisit:
    current = PlannedVisit.objects.select_for_update().select_related("plan__township", "producer").get(pk=visit.pk)
    if expected_version is not None and current.version != expected_version:
        raise PlanChanged(_("这次巡查安排刚刚已被其他人调整，请刷新页面后再操作。"))
    return current


def _bump(current: PlannedVisit, fields: list[str]) -> None:
    PlannedVisit.objects.filter(pk=current.pk).update(version=F("version") + 1,
                                                      **{f: getattr(current, f) for f in fields})
    current.version += 1


@transaction.atomic
def visit_move(*, visit: PlannedVisit, month: int, user, expected_version: int | None = None) -> PlannedVisit:
    current = _locked_visit(visit, expected_version)
    _check_township(user, current.plan.township)
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise PlanError(_("月份应在1到12之间。"))
    if current.inspection_id:
        raise PlanError(_("这次巡查已经完成，不能再调整月份。"))
    old = current.month
    current.month = month
    _bump(current, ["month"])
    _log(current.plan, user, _("%(producer)s：%(old)d月调整到%(new)d月。")
         % {"producer": current.producer.name, "old": old, "new": month})
    return current


@transaction.atomic
def visit_assign(*, visit: PlannedVisit, assignee, user, expected_version: int | None = None) -> PlannedVisit:
    current = _locked_visit(visit, expected_version)
    township = current.plan.township
    _check_township(user, township)
    if assignee is not None and assignee.pk not in {u.pk for u in township_inspectors(township)}:
        raise PlanError(_("只能安排给本乡镇在岗的监管员或检测员。"))
    if current.inspection_id:
        raise PlanError(_("这次巡查已经完成，不能再改派。"))
    current.assignee = assignee
    _bump(current, ["assignee"])
    _log(current.plan, user, _("%(producer)s %(month)d月的巡查改派给%(who)s。")
         % {"producer": current.producer.name, "month": current.month,
            "who": display_name(assignee) if assignee else _("（未安排）")})
    return current


@transaction.atomic
def visit_add(*, plan: InspectionPlan, producer: Producer, month: int, user, assignee=None) -> PlannedVisit:
    _check_township(user, plan.township)
    if producer.village.parent_id != plan.township_id:
        raise PlanError(_("%(producer)s不属于%(township)s。") % {"producer": producer.name,
                                                                "township": plan.township.name})
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise PlanError(_("月份应在1到12之间。"))
    visit = PlannedVisit.objects.create(plan=plan, producer=producer, month=month, reason=Visit.EXTRA,
                                        assignee=assignee)
    _log(plan, user, _("为%(producer)s增加%(month)d月的一次巡查。") % {"producer": producer.name, "month": month})
    return visit


@transaction.atomic
def visit_remove(*, visit: PlannedVisit, user, reason: str, expected_version: int | None = None) -> None:
    current = _locked_visit(visit, expected_version)
    _check_township(user, current.plan.township)
    reason = (reason or "").replace("\x00", "").strip()[:300]
    if not reason:
        raise PlanError(_("取消一次巡查时请说明原因（例如 主体已停产）。"))
    if current.inspection_id:
        raise PlanError(_("这次巡查已经完成，不能取消。"))
    _log(current.plan, user, _("取消%(producer)s %(month)d月的巡查：%(reason)s")
         % {"producer": current.producer.name, "month": current.month, "reason": reason})
    current.delete()


def my_visits(user, *, on: datetime.date | None = None):
    """The user's planned visits of the month `on` falls in (today's by default), open ones first."""
    on = on or timezone.localdate()
    return (PlannedVisit.objects.for_month(on.year, on.month).filter(assignee=user)
            .select_related("producer__village__parent", "inspection")
            .order_by(F("inspection").asc(nulls_first=True), "producer__village__sort_order", "producer__name"))
