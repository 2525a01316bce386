"""Two staff act on the same complaint at the same time: one wins, the other is told it changed.

Runs on PostgreSQL with two real connections (one per thread). SQLite serialises all writers on one file
and has no row locks, so the race cannot be staged there; the version check itself is also covered by
test_lifecycle.test_stale_version_is_refused, which runs on both.
"""

import threading
import time

import pytest
from django.db import connection, connections

from complaints.models import Complaint, State
from complaints.services import ComplaintChanged, complaint_accept, complaint_reject, lifecycle

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: two connections and row locks (SQLite has neither)"),
]


def _run(target, results, key, barrier):
    try:
        barrier.wait(timeout=10)
        results[key] = target()
    except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
        results[key] = exc
    finally:
        connections.close_all()


def test_two_staff_at_once_one_wins(submit, township_user, city_user, monkeypatch):
    complaint = submit()
    version = complaint.version
    # Make the first action hold the row lock a moment, so that the second really arrives meanwhile.
    slow_due = lifecycle.deadlines.finish_due

    def slow(*args, **kwargs):
        time.sleep(0.6)
        return slow_due(*args, **kwargs)

    monkeypatch.setattr(lifecycle.deadlines, "finish_due", slow)
    results, started = {}, {}
    barrier = threading.Barrier(2)

    def accept():
        return complaint_accept(complaint=Complaint.objects.get(pk=complaint.pk), user=township_user,
                                expected_version=version)

    def reject():
        time.sleep(0.2)  # the accept has the lock by now
        started["reject"] = time.monotonic()
        result = complaint_reject(complaint=Complaint.objects.get(pk=complaint.pk), user=city_user,
                                  expected_version=version, reason="不属于本部门职责。")
        return result

    threads = [threading.Thread(target=_run, args=(accept, results, "accept", barrier)),
               threading.Thread(target=_run, args=(reject, results, "reject", barrier))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    waited = time.monotonic() - started["reject"]
    assert isinstance(results["accept"], Complaint), results["accept"]
    assert isinstance(results["reject"], ComplaintChanged), results["reject"]
    assert "受理" in results["reject"].messages[0] and "刷新" in results["reject"].messages[0]
    assert waited > 0.2  # the reject waited on the row lock: the two really overlapped
    final = Complaint.objects.get(pk=complaint.pk)
    assert final.state == State.ACCEPTED and final.version == version + 1
    assert final.events.filter(action="reject").count() == 0


def test_many_at_once_exactly_one_wins(submit, township_user):
    complaint = submit()
    version = complaint.version
    results = {}
    barrier = threading.Barrier(6)

    def accept():
        return complaint_accept(complaint=Complaint.objects.get(pk=complaint.pk), user=township_user,
                                expected_version=version)

    threads = [threading.Thread(target=_run, args=(accept, results, n, barrier)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    wins = [r for r in results.values() if isinstance(r, Complaint)]
    losses = [r for r in results.values() if isinstance(r, ComplaintChanged)]
    assert len(wins) == 1 and len(losses) == 5, results
    assert Complaint.objects.get(pk=complaint.pk).events.filter(action="accept").count() == 1
