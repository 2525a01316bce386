"""load_demo's inspection work (issue 10): plans for every township, some behind, tests with laboratory
follow-up, rectifications, one referral, a hazard awaiting confirmation, visits this month for everyone.
(test_demo_twice.py: a second load adds nothing.)"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from casework.models import FollowUp, Rectification, RectificationState, Referral
from disclosure.models import Grid, Producer, ProducerKind, RiskAssessment, RiskLevel
from disclosure.models.producers import KEY_GRADES, TRACEABILITY_KINDS
from inspections.models import (
    Inspection,
    InspectionItem,
    InspectionPlan,
    Kind,
    LabTest,
    PlannedVisit,
    RapidTest,
    Sample,
    Verdict,
)
from inspections.services.plans import my_visits

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo's registry, accounts and a year of inspection work (without news pages and complaints),
    loaded once for this module inside a transaction that is rolled back at its end."""
    from disclosure.services.grids import places_load
    from disclosure.services.substances import substances_load
    from staff import demo

    today = timezone.localdate()
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch, transaction.atomic():
        patch.setattr(demo, "CREDENTIALS_FILE", tmp_path_factory.mktemp("demo") / "demo_accounts.txt")
        try:
            places_load()
            substances_load()
            d = demo.Demo()
            demo.load_people(d, today - datetime.timedelta(days=400))
            demo.load_producers(d, 180, today)
            demo.load_registry_facts(d, today)
            demo.load_accounts()
            yield demo.load_inspections(today)
        finally:
            transaction.set_rollback(True)


def _done_share(township, today):
    due = PlannedVisit.objects.filter(plan__township=township, plan__year=today.year, month__lte=today.month)
    return due.count(), due.filter(inspection__isnull=False).count() / max(1, due.count())


def test_every_township_has_a_plan_and_some_are_behind(loaded):
    from staff.demo_fieldwork import BEHIND

    today = timezone.localdate()
    townships = list(Grid.objects.townships())
    plans = InspectionPlan.objects.filter(year=today.year)
    assert {p.township_id for p in plans} == {t.pk for t in townships}
    assert len({(p.small_share, p.peak_months) for p in plans}) >= 5  # each township chose its own
    assert all(p.visits.exists() and p.changes.exists() for p in plans)
    shares = {t.code: _done_share(t, today) for t in townships}
    behind = [share for code, (_due, share) in shares.items() if code in BEHIND]
    on_track = [share for code, (due, share) in shares.items() if code not in BEHIND and due >= 8]
    assert len(behind) == 3 and len(on_track) >= 5
    assert max(behind) < min(on_track), shares
    assert sum(behind) / len(behind) < 0.7 * sum(on_track) / len(on_track), shares
    assert not Inspection.objects.filter(inspected_on__gt=today).exists()


def test_every_township_inspector_has_visits_this_month(loaded):
    users = get_user_model().objects
    demo_staff = [users.get(username="township_sangong"), users.get(username="tester_sangong")]
    field_staff = list(users.filter(username__regex=r"^(township|tester)_6523"))
    assert len(field_staff) == 18  # the other nine townships' supervisors and testers
    for user in demo_staff + field_staff:
        visits = list(my_visits(user))
        assert any(v.inspection_id is None for v in visits), user.username
    assert not field_staff[0].has_usable_password()


def test_registry_facts_for_the_plan(loaded):
    key = Producer.objects.key_supervision()
    assert key.filter(grade__in=KEY_GRADES).exists()
    high_only = key.exclude(grade__in=KEY_GRADES)
    assert high_only.exists() and all(p.key_supervision_reasons == ["风险等级为高"] for p in high_only)
    assert RiskAssessment.objects.filter(level=RiskLevel.HIGH).exclude(reason="").count() >= 3
    assert 0.25 < Producer.objects.exclude(risk_level="").count() / Producer.objects.count() < 0.6
    assert Producer.objects.filter(kind=ProducerKind.STORAGE).count() == 2
    coverage = set()
    for township in Grid.objects.townships():
        needing = Producer.objects.filter(village__parent=township, kind__in=TRACEABILITY_KINDS)
        if needing.exists():
            coverage.add(round(needing.filter(on_traceability_platform=True).count() / needing.count(), 2))
    assert len(coverage) >= 5 and 1.0 in coverage and min(coverage) < 0.8


def test_inspections_samples_and_tests(loaded):
    routine = Inspection.objects.filter(kind=Kind.ROUTINE)
    assert routine.count() > 200
    assert routine.filter(failed_items=0).count() > 0.85 * routine.count()
    failed = InspectionItem.objects.filter(result="fail")
    assert failed.exists() and not failed.filter(note="").exists()
    assert Inspection.objects.filter(kind=Kind.FOLLOW_UP).exists()
    rates = RapidTest.objects.filter(method="enzyme")
    assert rates.exists() and not rates.filter(inhibition_rate__isnull=True).exists()
    assert RapidTest.objects.filter(method="gold", substance__isnull=False).exists()
    flagged = RapidTest.objects.filter(result__in=["positive", "suspect"])
    assert flagged.count() >= 3 and {"positive", "suspect"} <= set(flagged.values_list("result", flat=True))
    for rapid in flagged:
        lab = rapid.lab_tests.get()
        assert lab.lab and lab.report_number and lab.unit and lab.limit is not None
    assert LabTest.objects.filter(verdict=Verdict.FAIL).count() == 1
    failing = LabTest.objects.get(verdict=Verdict.FAIL)
    assert failing.value > failing.limit and failing.substance.name_zh == "克百威"
    assert Sample.objects.count() > 30


def test_rectifications_referral_and_hazards(loaded):
    inspection_type = ContentType.objects.get_for_model(Inspection)
    orders = Rectification.objects.filter(source_type=inspection_type)
    assert orders.open().filter(due__gte=timezone.localdate()).count() >= 2
    assert orders.overdue().count() == 1
    closed = orders.filter(state=RectificationState.DONE)
    assert closed.exists() and all(o.follow_ups.filter(passed=True).exists() for o in closed)
    assert FollowUp.objects.filter(passed=False, new_due__isnull=False).exists()
    referral = Referral.objects.get(source_type=inspection_type)
    assert referral.agency.startswith("昌吉市农业农村局") and referral.sent_on <= timezone.localdate()
    assert referral.rectification.state == RectificationState.ESCALATED
    assert referral.producer.risk_level == RiskLevel.HIGH and "克百威" in referral.summary
    hazards = Inspection.objects.filter(kind=Kind.HAZARD)
    assert hazards.count() == 3 and hazards.awaiting_confirmation().count() == 1
    assert {u.username for h in hazards for u in h.inspectors.all()} == {"village_changfeng"}
