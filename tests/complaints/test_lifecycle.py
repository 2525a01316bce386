"""A complaint walks through every state; every transition is logged; refusals say why."""

import datetime

import pytest
from django.utils import timezone

from complaints.models import Action, Complaint, ComplaintEvent, State
from complaints.services import (
    ComplaintChanged,
    ComplaintError,
    ComplaintPermissionDenied,
    TransitionNotAllowed,
    allowed_actions,
    complaint_accept,
    complaint_approve_reply,
    complaint_assign,
    complaint_check_rectification,
    complaint_close,
    complaint_draft_reply,
    complaint_lab_pause,
    complaint_lab_resume,
    complaint_mark_duplicate,
    complaint_order_rectification,
    complaint_rate,
    complaint_reassign_grid,
    complaint_refer,
    complaint_reject,
    complaint_reopen,
    complaint_reopen_request,
    complaint_return_reply,
    complaint_start_investigation,
    complaint_transfer,
)

pytestmark = pytest.mark.django_db


def act(service, complaint, user, **kwargs):
    return service(complaint=complaint, user=user, expected_version=complaint.version, **kwargs)


def test_every_state_from_submitted_to_reopened_and_closed_again(submit, township_user, village_user):
    c = submit()
    assert c.state == State.SUBMITTED and c.version == 1
    assert c.grid.code == "652301101200" and c.township.code == "652301101"
    tomorrow = timezone.localdate() + datetime.timedelta(days=10)
    act(complaint_accept, c, township_user, note_public="已受理")
    assert c.state == State.ACCEPTED and c.finish_due and c.version == 2
    act(complaint_assign, c, township_user, assignee=village_user)
    assert c.state == State.ASSIGNED and c.assignee == village_user
    act(complaint_start_investigation, c, village_user)
    assert c.state == State.INVESTIGATING
    act(complaint_lab_pause, c, village_user, samples="韭菜样品2份")
    assert c.is_paused
    act(complaint_lab_resume, c, village_user, result="检出甲胺磷")
    assert not c.is_paused
    act(complaint_order_rectification, c, village_user, due=tomorrow, requirements="停止使用并销毁")
    assert c.state == State.RECTIFYING and c.rectification_due == tomorrow
    act(complaint_check_rectification, c, village_user, passed=False, findings="仍有存货",
        new_due=tomorrow + datetime.timedelta(days=5))
    assert c.state == State.RECTIFYING
    act(complaint_check_rectification, c, village_user, passed=True, findings="已销毁")
    assert c.state == State.RECTIFIED
    act(complaint_draft_reply, c, village_user, reply="经查属实，已责令整改。")
    assert c.state == State.REPLY_DRAFTED
    act(complaint_return_reply, c, township_user, reason="请写明整改结果")
    assert c.state == State.RECTIFIED
    act(complaint_draft_reply, c, village_user, reply="经查属实，已责令整改并复查到位。")
    act(complaint_approve_reply, c, township_user)
    assert c.state == State.REPLY_APPROVED and c.reply_approved_by == township_user
    act(complaint_close, c, township_user)
    assert c.state == State.CLOSED and c.closed_on_time is True
    complaint_rate(complaint=c, rating=2, comment="太慢")
    c.refresh_from_db()
    complaint_reopen_request(complaint=c, reason="问题又出现了")
    c.refresh_from_db()
    assert c.state == State.REOPENED and c.reopen_count == 1 and c.rating is None
    act(complaint_assign, c, township_user, assignee=village_user)
    act(complaint_start_investigation, c, village_user)
    act(complaint_refer, c, township_user, agency="昌吉市农业综合行政执法大队")
    assert c.state == State.REFERRED
    act(complaint_draft_reply, c, village_user, reply="已移送执法。")
    act(complaint_approve_reply, c, township_user)
    act(complaint_close, c, township_user)
    act(complaint_reopen, c, township_user, reason="市级复核")
    assert c.state == State.REOPENED
    states = set(c.events.values_list("to_state", flat=True))
    expected = {State.SUBMITTED, State.ACCEPTED, State.ASSIGNED, State.INVESTIGATING, State.RECTIFYING,
                State.RECTIFIED, State.REFERRED, State.REPLY_DRAFTED, State.REPLY_APPROVED, State.CLOSED,
                State.REOPENED}
    assert expected <= states
    # Every entry says who, when, from and to.
    for event in c.events.exclude(action=Action.SUBMIT):
        assert event.actor_name and event.at and event.to_state
    c.refresh_from_db()
    assert c.due_on == c.compute_due_on() == c.finish_due  # the stored deadline follows every step


def test_not_accepted_transferred_and_duplicate(submit, township_user):
    a, b, d = submit(), submit(), submit()
    act(complaint_reject, a, township_user, reason="反映内容不属于农产品质量安全问题。")
    assert a.state == State.NOT_ACCEPTED
    act(complaint_transfer, b, township_user, department="昌吉市市场监督管理局")
    assert b.state == State.TRANSFERRED and b.transferred_to == "昌吉市市场监督管理局"
    public = b.events.public().last()
    assert "市场监督管理局" in public.note_public
    original = submit()
    act(complaint_mark_duplicate, d, township_user, original=original)
    assert d.state == State.CLOSED and d.duplicate_of == original
    assert original.events.filter(action=Action.DUPLICATE_LINKED).exists()


def test_refused_transition_says_what_is_possible(submit, township_user):
    c = submit()
    with pytest.raises(TransitionNotAllowed) as exc:
        act(complaint_close, c, township_user)
    message = exc.value.messages[0]
    assert "待受理" in message and "办结" in message and "受理" in message
    assert Complaint.objects.get(pk=c.pk).version == 1
    assert not c.events.filter(action=Action.CLOSE).exists()


def test_stale_version_is_refused(submit, township_user):
    c = submit()
    stale = Complaint.objects.get(pk=c.pk)
    act(complaint_accept, c, township_user)
    with pytest.raises(ComplaintChanged) as exc:
        complaint_reject(complaint=stale, user=township_user, expected_version=stale.version, reason="重复")
    assert "受理" in exc.value.messages[0] and "刷新" in exc.value.messages[0]
    assert Complaint.objects.get(pk=c.pk).state == State.ACCEPTED


def test_scope_and_permission(submit, village_user, other_township_user, township_user):
    c = submit()
    with pytest.raises(ComplaintPermissionDenied, match="权限"):
        act(complaint_accept, c, village_user)
    with pytest.raises(ComplaintPermissionDenied, match="不在您负责的网格"):
        act(complaint_accept, c, other_township_user)
    assert allowed_actions(c, other_township_user) == []
    assert set(allowed_actions(c, township_user)) >= {Action.ACCEPT, Action.REJECT, Action.TRANSFER}


def test_paused_complaint_waits_for_the_lab(submit, township_user, village_user):
    c = submit()
    act(complaint_accept, c, township_user)
    act(complaint_assign, c, township_user, assignee=village_user)
    act(complaint_start_investigation, c, village_user)
    act(complaint_lab_pause, c, village_user, samples="样品")
    with pytest.raises(TransitionNotAllowed, match="检测结果返回"):
        act(complaint_draft_reply, c, village_user, reply="x")
    assert Complaint.objects.overdue(on=c.finish_due + datetime.timedelta(days=30)).filter(pk=c.pk).count() == 0


def test_assignee_must_cover_the_grid(submit, township_user, other_village_user):
    c = submit()
    act(complaint_accept, c, township_user)
    with pytest.raises(ComplaintError, match="不负责"):
        act(complaint_assign, c, township_user, assignee=other_village_user)


def test_reassign_grid_moves_scope_and_unassigns(submit, township_user, village_user, other_township):
    c = submit()
    act(complaint_accept, c, township_user)
    act(complaint_assign, c, township_user, assignee=village_user)
    act(complaint_reassign_grid, c, township_user, grid=other_township, reason="发生地在另一个乡镇")
    assert c.grid == other_township and c.township == other_township
    assert c.assignee is None and c.state == State.ACCEPTED
    event = c.events.get(action=Action.REASSIGN_GRID)
    assert event.data["to_grid"] == other_township.pk
    assert ComplaintEvent.objects.filter(complaint=c, action=Action.REASSIGN_GRID).count() == 1


def test_factory_helper_for_other_areas(grids):
    from tests.factories import complaint_submit_for_tests

    c = complaint_submit_for_tests(kind="complaint")
    assert c.state == State.SUBMITTED and c.kind == "complaint" and c.events.count() == 1
