import datetime

import pytest

from disclosure.models import Grade, ProducerKind, RiskLevel
from disclosure.services.producers import rating_set, risk_set
from inspections.models import PlanChange, Visit
from inspections.services.plans import (
    PlanChanged,
    PlanError,
    my_visits,
    plan_generate,
    spread_months,
    visit_assign,
    visit_move,
    visit_remove,
)
from inspections.services.scope import InspectionPermissionDenied
from tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def registry(village):
    coop = ProducerFactory(village=village, kind=ProducerKind.COOPERATIVE)
    grower = ProducerFactory(village=village, kind=ProducerKind.LARGE_GROWER)
    key = ProducerFactory(village=village, kind=ProducerKind.FAMILY_FARM)
    rating_set(producer=key, grade=Grade.B, effective_date=TODAY, basis="抽检不合格")
    smalls = [ProducerFactory(village=village, kind=ProducerKind.SMALLHOLDER) for _ in range(10)]
    risk_set(producer=smalls[7], level=RiskLevel.HIGH, effective_date=TODAY, reason="曾检出禁用药物")
    risk_set(producer=smalls[3], level=RiskLevel.MEDIUM, effective_date=TODAY, reason="靠近水源")
    return {"coop": coop, "grower": grower, "key": key, "smalls": smalls}


def test_spread_months():
    assert spread_months(1) == [7] and spread_months(2) == [4, 10] and spread_months(4) == [2, 5, 8, 11]


def test_the_plan_follows_the_rules(township, township_user, registry):
    plan = plan_generate(township=township, year=TODAY.year, user=township_user, small_share=20,
                         peak_months="6，9")
    visits = plan.visits.all()
    count = {p: visits.filter(producer=registry[p]).count() for p in ("coop", "grower", "key")}
    assert count == {"coop": 2 + 1, "grower": 1 + 1, "key": 4 + 1}
    assert set(visits.filter(reason=Visit.PEAK).values_list("month", flat=True)) <= {6, 9}
    # the high-risk small grower is on the key list; of the other nine, 20% → 2, the medium-risk one first
    assert visits.filter(producer=registry["smalls"][7]).count() == 5
    spot = set(visits.filter(reason=Visit.SPOT).values_list("producer_id", flat=True))
    assert len(spot) == 2 and registry["smalls"][3].pk in spot
    assert {v.assignee for v in visits} == {township_user}
    assert PlanChange.objects.filter(plan=plan).count() == 1


def test_generating_again_adds_only_new_producers(township, township_user, registry, village):
    plan = plan_generate(township=township, year=TODAY.year, user=township_user)
    before = plan.visits.count()
    ProducerFactory(village=village, kind=ProducerKind.ENTERPRISE)
    plan_generate(township=township, year=TODAY.year, user=township_user)
    assert plan.visits.count() == before + 2


def test_adjustments_are_kept_and_guarded(township, township_user, registry):
    plan = plan_generate(township=township, year=TODAY.year, user=township_user)
    visit = plan.visits.filter(producer=registry["coop"]).first()
    visit_move(visit=visit, month=TODAY.month, user=township_user, expected_version=1)
    with pytest.raises(PlanChanged):
        visit_move(visit=visit, month=3, user=township_user, expected_version=1)
    with pytest.raises(PlanError):
        visit_move(visit=visit, month=13, user=township_user, expected_version=2)
    with pytest.raises(PlanError):
        visit_remove(visit=visit, user=township_user, reason=" ")
    assert visit in my_visits(township_user)
    assert plan.changes.count() == 2


def test_other_townships_cannot_touch_the_plan(township, township_user, other_township_user, registry):
    plan = plan_generate(township=township, year=TODAY.year, user=township_user)
    with pytest.raises(InspectionPermissionDenied):
        plan_generate(township=township, year=TODAY.year, user=other_township_user)
    with pytest.raises(PlanError):
        visit_assign(visit=plan.visits.first(), assignee=other_township_user, user=township_user)


def test_key_list_is_grade_b_or_c_or_high_risk_with_reasons(registry):
    from disclosure.models import Producer

    assert set(Producer.objects.key_supervision()) == {registry["key"], registry["smalls"][7]}
    assert registry["key"].key_supervision_reasons == ["信用等级为B 重点监控名单"]
    registry["smalls"][7].refresh_from_db()
    assert registry["smalls"][7].key_supervision_reasons == ["风险等级为高"]
