"""Running load_demo twice adds nothing (the inspection work included)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from casework.models import FollowUp, Rectification, Referral
from disclosure.models import Producer, RiskAssessment
from inspections.models import (
    Inspection,
    InspectionItem,
    InspectionPlan,
    LabTest,
    PlanChange,
    PlannedVisit,
    RapidTest,
    Sample,
)

pytestmark = pytest.mark.django_db


def _counts():
    models = [Producer, RiskAssessment, InspectionPlan, PlannedVisit, PlanChange, Inspection, InspectionItem,
              Sample, RapidTest, LabTest, Rectification, FollowUp, Referral, get_user_model()]
    return {m.__name__: m.objects.count() for m in models}


def test_load_demo_twice_adds_nothing(grids, tmp_path, monkeypatch):
    from staff import demo

    monkeypatch.setattr(demo, "CREDENTIALS_FILE", tmp_path / "demo_accounts.txt")
    call_command("load_demo", "--producers", "70", stdout=io.StringIO())
    first = _counts()
    assert first["Inspection"] > 50 and first["Referral"] >= 1
    out = io.StringIO()
    call_command("load_demo", "--producers", "70", stdout=out)
    assert _counts() == first
    assert "inspections +0" in out.getvalue() and "plans +0" in out.getvalue()
