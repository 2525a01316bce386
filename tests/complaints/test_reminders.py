"""The morning reminder of deadlines: each staff member gets one e-mail with the complaints near or past
their deadline that are theirs to act on, on working days only, without the reporter's identity."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from complaints.models import Complaint
from complaints.reminders import deadline_reminders_send
from complaints.services import complaint_accept, complaint_assign

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 30)


@pytest.fixture
def people(township_user, village_user, other_township_user):
    for user, address in ((township_user, "sangong@example.invalid"), (village_user, "cf@example.invalid"),
                          (other_township_user, "other@example.invalid")):
        user.email = address
        user.save(update_fields=["email"])
    return township_user, village_user, other_township_user


def _due(complaint, day):
    Complaint.objects.filter(pk=complaint.pk).update(due_on=day)
    complaint.refresh_from_db()
    return complaint


def test_triagers_hear_of_waiting_complaints_and_assignees_of_theirs(submit, people):
    supervisor, coordinator, other = people
    waiting = _due(submit(), MONDAY - datetime.timedelta(days=1))  # acceptance deadline passed yesterday
    in_hand = submit(description="蔬菜大棚疑似使用禁用农药克百威。")
    complaint_accept(complaint=in_hand, user=supervisor, expected_version=in_hand.version)
    in_hand.refresh_from_db()
    complaint_assign(complaint=in_hand, user=supervisor, expected_version=in_hand.version, assignee=coordinator)
    in_hand = _due(Complaint.objects.get(pk=in_hand.pk), MONDAY + datetime.timedelta(days=1))  # due Tuesday
    _due(submit(description="远期的件"), MONDAY + datetime.timedelta(days=10))  # not pressing

    assert deadline_reminders_send(on=MONDAY) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"sangong@example.invalid", "cf@example.invalid"}  # not the other township
    to_supervisor = by_address["sangong@example.invalid"]
    assert "1 件已超期" in to_supervisor.subject and waiting.internal_number in to_supervisor.body
    assert "受理期限" in to_supervisor.body and in_hand.internal_number not in to_supervisor.body
    to_coordinator = by_address["cf@example.invalid"]
    assert "1 件即将到期" in to_coordinator.subject and in_hand.internal_number in to_coordinator.body
    assert f"/admin/triage/{in_hand.pk}/" in to_coordinator.body
    for message in mail.outbox:  # staff mail never holds the reporter's identity or key
        assert "举报人示例" not in message.body and "13912345678" not in message.body
        assert waiting.display_code not in message.body and in_hand.display_code not in message.body


def test_nothing_is_sent_on_a_rest_day_or_when_nothing_is_pressing(submit, people):
    _due(submit(), MONDAY - datetime.timedelta(days=3))
    assert deadline_reminders_send(on=MONDAY - datetime.timedelta(days=2)) == 0  # Saturday
    assert mail.outbox == []
    Complaint.objects.all().delete()
    assert deadline_reminders_send(on=MONDAY) == 0


def test_the_daily_jobs_send_the_reminders(submit, people, monkeypatch):
    from django.utils import timezone

    _due(submit(), MONDAY)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: MONDAY)
    out = __import__("io").StringIO()
    call_command("daily_jobs", no_backup=True, stdout=out)
    assert "deadline reminders sent: 1" in out.getvalue()
    assert mail.outbox[0].to == ["sangong@example.invalid"]
