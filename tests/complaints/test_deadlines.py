"""Deadlines on the working-day calendar; the laboratory pause; the overdue queryset."""

import datetime

import pytest
from django.utils import timezone

from complaints.models import Complaint, State
from complaints.services import (
    complaint_accept,
    complaint_assign,
    complaint_lab_pause,
    complaint_lab_resume,
    complaint_start_investigation,
    deadlines,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def test_acceptance_counts_working_days_across_national_day():
    assert deadlines.accept_due(D(2026, 9, 30)) == D(2026, 10, 15)
    assert deadlines.accept_due(D(2026, 11, 27)) == D(2026, 12, 8)  # a Friday: 7 working days later


def test_finishing_in_calendar_days_moves_off_a_holiday():
    assert deadlines.finish_due(D(2026, 8, 2)) == D(2026, 10, 8)
    assert deadlines.finish_due(D(2026, 8, 2), paused_days=10) == D(2026, 10, 12)


def test_finishing_in_working_days_when_configured(settings):
    settings.COMPLAINTS_FINISH_IN_WORKING_DAYS = True
    settings.COMPLAINTS_FINISH_DAYS = 5
    assert deadlines.finish_due(D(2026, 9, 30)) == D(2026, 10, 13)
    assert deadlines.paused_length(D(2026, 9, 30), D(2026, 10, 9)) == 2


def test_configurable_acceptance_period(settings):
    settings.COMPLAINTS_ACCEPT_WORKING_DAYS = 3
    assert deadlines.accept_due(D(2026, 11, 27)) == D(2026, 12, 2)


def test_lab_pause_stops_the_clock_and_moves_the_deadline(submit, township_user, village_user):
    c = submit()
    for service, user, kwargs in [(complaint_accept, township_user, {}),
                                  (complaint_assign, township_user, {"assignee": village_user}),
                                  (complaint_start_investigation, village_user, {})]:
        service(complaint=c, user=user, expected_version=c.version, **kwargs)
    due = c.finish_due
    complaint_lab_pause(complaint=c, user=village_user, expected_version=c.version, samples="韭菜2份")
    # Samples went out 12 days ago (as if): the finishing deadline moves by 12 days on resume.
    Complaint.objects.filter(pk=c.pk).update(paused_since=timezone.localdate() - datetime.timedelta(days=12))
    c.refresh_from_db()
    far = due + datetime.timedelta(days=30)
    assert not Complaint.objects.overdue(on=far).filter(pk=c.pk).exists()  # paused: never overdue
    complaint_lab_resume(complaint=c, user=village_user, expected_version=c.version, result="未检出")
    assert c.paused_days == 12 and c.paused_since is None
    assert c.finish_due == deadlines.finish_due(c.clock_started_on, 12)
    assert c.finish_due > due
    assert Complaint.objects.overdue(on=far).filter(pk=c.pk).exists()


def test_overdue_queryset(submit, township_user):
    waiting, accepted = submit(), submit()
    complaint_accept(complaint=accepted, user=township_user, expected_version=accepted.version)
    assert not Complaint.objects.overdue().exists()
    after_accept_due = waiting.accept_due + datetime.timedelta(days=1)
    assert list(Complaint.objects.overdue(on=after_accept_due)) == [waiting]
    after_finish_due = accepted.finish_due + datetime.timedelta(days=1)
    assert set(Complaint.objects.overdue(on=after_finish_due)) == {waiting, accepted}
    assert waiting.is_overdue(after_accept_due) and not accepted.is_overdue(after_accept_due)


def test_queue_querysets(submit, township_user, village_user, other_township_user, city_user):
    a, b = submit(), submit()
    complaint_accept(complaint=b, user=township_user, expected_version=b.version)
    complaint_assign(complaint=b, user=township_user, expected_version=b.version, assignee=village_user)
    assert list(Complaint.objects.visible_to(township_user).awaiting_triage()) == [a]
    assert list(Complaint.objects.visible_to(village_user).assigned_to(village_user)) == [b]
    assert not Complaint.objects.visible_to(other_township_user).exists()
    assert Complaint.objects.visible_to(city_user).count() == 2
    assert list(Complaint.objects.in_state(State.ASSIGNED)) == [b]
    ordered = list(Complaint.objects.visible_to(city_user).open().by_deadline())
    assert ordered[0].deadline <= ordered[1].deadline
    counts = Complaint.objects.visible_to(city_user).counts_by_state()
    assert counts[State.SUBMITTED] == 1 and counts[State.ASSIGNED] == 1 and counts[State.CLOSED] == 0


def test_no_view_permission_sees_nothing(submit, make_staff, village):
    from disclosure.models import Role

    user = make_staff("noperm", village, Role.COORDINATOR)
    user.groups.clear()
    submit()
    assert not Complaint.objects.visible_to(user).exists()
