"""Demo data for daily inspections (issue 10): registry facts, township staff accounts, risk levels and a
yearly plan for every township. The field work itself (inspections, samples, tests, rectifications and a
referral) is in staff/demo_fieldwork.py.

Everything goes through the real services (disclosure.services.producers.risk_set,
inspections.services.plans), as the township's own staff, with dates in the past. Each step is skipped when
its records exist, so running load_demo twice adds nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from disclosure.models import Grade, Grid, GridLevel, Producer, ProducerKind, RiskLevel, Role, RoleAssignment
from disclosure.models.producers import KEY_GRADES, STANDARD_COMMITMENT, TRACEABILITY_KINDS
from disclosure.services.producers import rating_set, risk_set

if TYPE_CHECKING:
    from .demo import Demo

# --- registry facts: storage operators, traceability coverage that differs by township ------------------
STORAGE = [("昌吉市{word}果蔬储藏保鲜示例有限公司", "果蔬储藏、保鲜", True),
           ("昌吉市{base}{word}葡萄冷藏保鲜示例专业合作社", "葡萄冷藏、保鲜", False)]
# Share of a township's enterprises, co-operatives, family farms, large growers and storage operators on
# the traceability platform (附件1 第四条 asks for 100%), by the township's place in the list.
TRACEABILITY_SHARE = [1.0, 0.92, 0.85, 0.55, 0.95, 0.8, 0.7, 0.5, 0.9, 0.65]


def _storage_producers(demo: Demo, today: datetime.date) -> int:
    villages = list(Grid.objects.villages().in_order().select_related("parent"))
    made = 0
    for n, (pattern, product, on_platform) in enumerate(STORAGE):
        village = villages[(n * 23 + 9) % len(villages)]
        name = pattern.format(word=demo.rng.choice(["天润", "冰川", "鲜达", "庭州"]),
                              base=village.name.removesuffix("村"))
        producer = Producer(
            name=name, kind=ProducerKind.STORAGE, credit_code=demo.credit_code(90001 + n),
            legal_representative=demo.name(), phone=demo.phone(),
            address=f"{village.parent.name}{village.name}{demo.rng.randint(1, 12)}组", village=village,
            products=product, on_traceability_platform=on_platform,
            traceability_code=f"65230190{n + 1:06d}" if on_platform else "",
            issues_certificates=True, self_commitment=True, commitment_text=STANDARD_COMMITMENT,
            commitment_signed_on=today - datetime.timedelta(days=90 + 40 * n),
            inspector_name=demo.name(), inspector_phone=demo.phone(),
            facts_confirmed_on=today - datetime.timedelta(days=30 + 20 * n), published=True)
        producer.save()
        if n == 0:
            rating_set(producer=producer, grade=Grade.A, effective_date=today - datetime.timedelta(days=150),
                       basis="年度日常巡查2次，未发现问题；冷库温度和出入库记录规范。")
        made += 1
    return made


def _traceability_varied(rng: random.Random) -> int:
    changed = []
    for i, township in enumerate(Grid.objects.townships().in_order()):
        share = TRACEABILITY_SHARE[i % len(TRACEABILITY_SHARE)]
        for producer in Producer.objects.filter(village__parent=township, kind__in=TRACEABILITY_KINDS) \
                .exclude(kind=ProducerKind.STORAGE).order_by("id"):
            on_platform = share >= 1 or rng.random() < share
            producer.on_traceability_platform = on_platform
            producer.traceability_code = (producer.traceability_code or f"652301{producer.pk:08d}") \
                if on_platform else ""
            changed.append(producer)
    Producer.objects.bulk_update(changed, ["on_traceability_platform", "traceability_code"], batch_size=500)
    return len(changed)


@transaction.atomic
def load_registry_facts(demo: Demo, today: datetime.date) -> int:
    """Two storage and preservation operators (初级产品储藏、保鲜) and traceability-platform flags that give
    each township a different coverage. Runs before the signboards are printed, which show both."""
    if not Producer.objects.exists() or Producer.objects.filter(kind=ProducerKind.STORAGE).exists():
        return 0
    return _storage_producers(demo, today) + _traceability_varied(random.Random(2031))


# --- township staff accounts ------------------------------------------------------------------------------
@dataclass
class Township:
    """A township with the accounts of its staff: who plans, inspects, samples and tests there."""

    grid: Grid
    supervisor: object = None
    tester: object = None
    names: list[str] = field(default_factory=list)

    @property
    def inspector_names(self) -> str:
        return "、".join(self.names)

    @property
    def station(self):
        """Who runs the rapid tests at the township's station: the tester, else the supervisor."""
        return self.tester or self.supervisor


def field_accounts() -> int:
    """A back-office account for every township supervisor and station tester who has none, so that each
    township's records are made by its own staff. They have no password (nobody logs in with them; the
    accounts to log in with are the demo accounts in var/demo_accounts.txt)."""
    group = Group.objects.get(name="township_supervisor")
    user_model = get_user_model()
    made = 0
    rows = (RoleAssignment.objects.current()
            .filter(grid__level=GridLevel.TOWNSHIP, role__in=[Role.SUPERVISOR, Role.TESTER], person__user__isnull=True)
            .select_related("person", "grid").order_by("grid__code", "role", "id"))
    for row in rows:
        username = f"{'tester' if row.role == Role.TESTER else 'township'}_{row.grid.code}"
        if user_model.objects.filter(username=username).exists():
            continue
        user = user_model(username=username, first_name=row.person.name, is_staff=True,
                          email=f"{username}@example.invalid")
        user.set_unusable_password()
        user.save()
        user.groups.add(group)
        row.person.user = user
        row.person.save(update_fields=["user"])
        made += 1
    return made


def townships() -> dict[int, Township]:
    """Every township with its supervisor's and tester's accounts (the same user objects all along, so
    that the scope checks read each user's roles once)."""
    result = {t.pk: Township(grid=t) for t in Grid.objects.townships().in_order()}
    rows = (RoleAssignment.objects.current()
            .filter(grid__level=GridLevel.TOWNSHIP, role__in=[Role.SUPERVISOR, Role.TESTER])
            .select_related("person__user").order_by("role", "start_date", "id"))
    for row in rows:
        township = result[row.grid_id]
        township.names.append(row.person.name)
        user = row.person.user if row.person.user_id and row.person.user.is_active else None
        if row.role == Role.SUPERVISOR and township.supervisor is None:
            township.supervisor = user
        elif row.role == Role.TESTER and township.tester is None:
            township.tester = user
    return result


# --- risk levels (附件1 第四条): a realistic share assessed, a few high with reasons -----------------------
RISK_REASONS = {
    RiskLevel.HIGH: ["上年度速测发现有机磷类农药阳性，定量检测超标，已整改。", "设施蔬菜种植面积大、用药频繁，且靠近饮用水源地。",
                     "群众多次举报用药不规范，经核查属实。", "曾被查出销售国家禁用农药，已移送处理。"],
    RiskLevel.MEDIUM: ["种植品种多、用药品种复杂，生产记录不够规范。", "集中上市期短，存在安全间隔期未满即采收的风险。",
                       "兽药使用记录不全，休药期执行情况需重点关注。"],
    RiskLevel.LOW: ["生产记录规范，近三年巡查和抽检均未发现问题。", "规模小、品种单一，按规定开具合格证。"],
}


def load_risk_levels(today: datetime.date, staff: dict[int, Township]) -> int:
    """Risk levels for about four in ten producers, set by their township's supervisor: a few high (which
    puts them on the key supervision list beside the B and C grades), some medium, most low."""
    from disclosure.models import RiskAssessment

    if RiskAssessment.objects.exists():
        return 0
    rng = random.Random(2027)
    producers = list(Producer.objects.select_related("village").order_by("id"))
    rng.shuffle(producers)
    # High risk mostly for producers not already on the list by their grade, so that both kinds show.
    high = [p for p in producers if p.grade not in KEY_GRADES and p.kind != ProducerKind.STORAGE]
    high = high[:max(2, len(producers) // 35)] + [p for p in producers if p.grade == Grade.C][:1]
    rest = [p for p in producers if p not in high]
    medium, low = rest[:len(producers) // 8], rest[len(producers) // 8:len(producers) * 4 // 10]
    made = 0
    for level, group in ((RiskLevel.HIGH, high), (RiskLevel.MEDIUM, medium), (RiskLevel.LOW, low)):
        for producer in group:
            township = staff.get(producer.village.parent_id)
            risk_set(producer=producer, level=level, reason=rng.choice(RISK_REASONS[level]),
                     effective_date=today - datetime.timedelta(days=rng.randint(60, 330)),
                     set_by=township.supervisor if township else None)
            made += 1
    return made


# --- the yearly plans --------------------------------------------------------------------------------------
# (small growers' spot-check share %, peak months) by the township's place in the list.
PLAN_SETTINGS = [(20, "6,7,9"), (30, "5,6,7"), (15, "6,7,9"), (25, "7,8"), (20, "6,9"), (10, "5,6"),
                 (35, "7,8,9"), (20, "6,7"), (15, "8,9"), (25, "6,7,9")]
THIS_MONTH = 5  # visits each inspector has this month, so that "my visits this month" is never empty


def _this_month(plan, today: datetime.date, boss) -> int:
    """Bring visits to this month until each of the township's inspectors has a few (moved from the nearest
    months and, where someone has too few visits of their own, reassigned), as the township would."""
    from inspections.services.plans import township_inspectors, visit_assign, visit_move

    inspectors = township_inspectors(plan.township)
    visits = list(plan.visits.filter(inspection__isnull=True).order_by("id"))
    if not inspectors or not visits:
        return 0
    wanted = min(THIS_MONTH, max(2, len(visits) // (3 * len(inspectors))))
    pool = sorted((v for v in visits if v.month != today.month),
                  key=lambda v: (abs(v.month - today.month), v.month, v.id))
    changed = 0
    for person in inspectors:
        have = sum(1 for v in visits if v.month == today.month and v.assignee_id == person.pk)
        own = [v for v in pool if v.assignee_id == person.pk]
        others = [v for v in pool if v.assignee_id != person.pk]
        for visit in (own + others)[:max(0, wanted - have)]:
            pool.remove(visit)
            if visit.assignee_id != person.pk:
                visit = visit_assign(visit=visit, assignee=person, user=boss)
            visit_move(visit=visit, month=today.month, user=boss)
            changed += 1
    return changed


def load_plans(today: datetime.date, staff: dict[int, Township]) -> int:
    """A plan for the current year in every township, generated by its supervisor with the township's own
    share of small growers and peak months, then adjusted so that everyone has visits this month."""
    from inspections.models import InspectionPlan
    from inspections.services.plans import plan_generate

    made = 0
    for i, township in enumerate(staff.values()):
        if InspectionPlan.objects.filter(township=township.grid, year=today.year).exists():
            continue
        share, peaks = PLAN_SETTINGS[i % len(PLAN_SETTINGS)]
        plan = plan_generate(township=township.grid, year=today.year, user=township.supervisor,
                             small_share=share, peak_months=peaks)
        _this_month(plan, today, township.supervisor)
        made += 1
    return made


def load_inspections(today: datetime.date) -> dict[str, int]:
    """Issue 10's demo: accounts for township staff, risk levels, plans, then a year of field work."""
    from inspections.services.scope import inspection_permissions_grant

    from .demo_fieldwork import load_fieldwork

    with transaction.atomic():
        inspection_permissions_grant()
        counts = {"field_accounts": field_accounts()}
        staff = townships()
        counts["risk_levels"] = load_risk_levels(today, staff)
        counts["plans"] = load_plans(today, staff)
        counts["inspections"] = load_fieldwork(today, staff)
    return counts
