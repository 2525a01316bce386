"""load_demo's complaints: every state of the lifecycle, some overdue, made through the real services."""

import pytest
from django.utils import timezone

from complaints.models import Complaint, State

pytestmark = pytest.mark.django_db


def test_demo_complaints_cover_every_state(grids, tmp_path, monkeypatch):
    from staff import demo

    monkeypatch.setattr(demo, "CREDENTIALS_FILE", tmp_path / "demo_accounts.txt")
    today = timezone.localdate()
    d = demo.Demo()
    demo.load_people(d, today.replace(year=today.year - 1))
    demo.load_producers(d, 40, today)
    demo.load_accounts()
    created = demo.load_complaints(d, today)
    assert created >= 25
    states = set(Complaint.objects.values_list("state", flat=True))
    assert states == set(State.values)
    assert Complaint.objects.overdue().exists() and Complaint.objects.rectification_overdue().exists()
    assert Complaint.objects.paused().exists() and Complaint.objects.filter(duplicate_of__isnull=False).exists()
    assert Complaint.objects.exclude(channel="web").exists()
    for c in Complaint.objects.all():
        assert c.due_on == c.compute_due_on(), c
        assert c.events.exists()
    assert demo.load_complaints(d, today) == 0  # idempotent
