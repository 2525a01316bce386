"""The service-level permission matrix: each role × own grid / other grid × each action.

(The back office's screens get their own matrix test in tests/staff/; this one holds the rules underneath.)
"""

import datetime

import pytest
from django.utils import timezone

from complaints.models import Action, Channel, Complaint
from complaints.services import (
    STAFF_SERVICES,
    ComplaintPermissionDenied,
    allowed_actions,
    complaint_accept,
    complaint_approve_reply,
    complaint_assign,
    complaint_close,
    complaint_draft_reply,
    complaint_lab_pause,
    complaint_order_rectification,
    complaint_record_offline,
    complaint_start_investigation,
)

pytestmark = pytest.mark.django_db

VILLAGE_ACTIONS = {Action.START_INVESTIGATION, Action.ORDER_RECTIFICATION, Action.CHECK_RECTIFICATION,
                   Action.LAB_PAUSE, Action.LAB_RESUME, Action.DRAFT_REPLY, Action.NOTE}
ALL = set(STAFF_SERVICES)
# role fixture → (actions it may take on its own grid's complaints)
EXPECTED = {"village_user": VILLAGE_ACTIONS, "township_user": ALL, "city_user": ALL,
            "other_village_user": set(), "other_township_user": set()}

# action → the state to bring the complaint to first
SETUP = {
    Action.ACCEPT: [], Action.REJECT: [], Action.TRANSFER: [], Action.MARK_DUPLICATE: [],
    Action.REASSIGN_GRID: [], Action.NOTE: [],
    Action.ASSIGN: ["accept"],
    Action.START_INVESTIGATION: ["accept", "assign"],
    Action.ORDER_RECTIFICATION: ["accept", "assign", "start"], Action.REFER: ["accept", "assign", "start"],
    Action.LAB_PAUSE: ["accept", "assign", "start"], Action.DRAFT_REPLY: ["accept", "assign", "start"],
    Action.CHECK_RECTIFICATION: ["accept", "assign", "start", "rectify"],
    Action.LAB_RESUME: ["accept", "assign", "start", "pause"],
    Action.RETURN_REPLY: ["accept", "assign", "start", "draft"],
    Action.APPROVE_REPLY: ["accept", "assign", "start", "draft"],
    Action.CLOSE: ["accept", "assign", "start", "draft", "approve"],
    Action.REOPEN: ["accept", "assign", "start", "draft", "approve", "close"],
}


def _prepare(complaint, steps, boss, worker):
    later = timezone.localdate() + datetime.timedelta(days=5)
    run = {
        "accept": (complaint_accept, boss, {}), "assign": (complaint_assign, boss, {"assignee": worker}),
        "start": (complaint_start_investigation, worker, {}),
        "rectify": (complaint_order_rectification, worker, {"due": later, "requirements": "整改"}),
        "pause": (complaint_lab_pause, worker, {"samples": "样品"}),
        "draft": (complaint_draft_reply, worker, {"reply": "答复"}),
        "approve": (complaint_approve_reply, boss, {}), "close": (complaint_close, boss, {}),
    }
    for step in steps:
        service, user, kwargs = run[step]
        service(complaint=complaint, user=user, expected_version=complaint.version, **kwargs)


def _kwargs(action, submit, village, township):
    later = timezone.localdate() + datetime.timedelta(days=5)
    other_village = township.children.exclude(pk=village.pk).order_by("code").first()
    return {
        Action.ACCEPT: {}, Action.REJECT: {"reason": "理由"}, Action.TRANSFER: {"department": "市场监管局"},
        Action.MARK_DUPLICATE: {"original": submit()}, Action.REASSIGN_GRID: {"grid": other_village, "reason": "改派"},
        Action.NOTE: {"note": "备注"}, Action.ASSIGN: {"assignee": None}, Action.START_INVESTIGATION: {},
        Action.ORDER_RECTIFICATION: {"due": later, "requirements": "整改"}, Action.REFER: {"agency": "执法大队"},
        Action.LAB_PAUSE: {"samples": "样品"}, Action.LAB_RESUME: {"result": "结果"},
        Action.DRAFT_REPLY: {"reply": "答复"}, Action.CHECK_RECTIFICATION: {"passed": True, "findings": "到位"},
        Action.RETURN_REPLY: {"reason": "重写"}, Action.APPROVE_REPLY: {}, Action.CLOSE: {},
        Action.REOPEN: {"reason": "重办"},
    }[action]


@pytest.mark.parametrize("action", sorted(ALL))
def test_matrix(action, request, submit, village, township, city_user, township_user, village_user,
                other_village_user, other_township_user):
    for role, allowed in EXPECTED.items():
        user = request.getfixturevalue(role)
        complaint = submit()
        _prepare(complaint, SETUP[action], city_user, village_user)
        kwargs = _kwargs(action, submit, village, township)
        if action == Action.ASSIGN:
            kwargs["assignee"] = village_user
        assert (action in allowed_actions(complaint, user)) == (action in allowed), (role, action)
        service = STAFF_SERVICES[action]
        if action in allowed:
            service(complaint=complaint, user=user, expected_version=complaint.version, **kwargs)
            assert complaint.events.filter(action=action, actor=user).exists(), (role, action)
        else:
            before = Complaint.objects.get(pk=complaint.pk).version
            with pytest.raises(ComplaintPermissionDenied):
                service(complaint=complaint, user=user, expected_version=complaint.version, **kwargs)
            assert Complaint.objects.get(pk=complaint.pk).version == before, (role, action)


def test_recording_offline_complaints_within_ones_grids(village, township, village_user, township_user,
                                                         other_township_user, city_user):
    values = {"channel": Channel.PHONE, "kind": "complaint", "category": "residue",
              "description": "电话反映：买到的芹菜有药味。", "place_village": village,
              "received_at": timezone.now() - datetime.timedelta(days=1)}
    for user in (village_user, township_user, city_user):
        c = complaint_record_offline(user=user, **values)
        assert c.channel == Channel.PHONE and c.recorded_by == user and c.grid == village
        assert c.events.get().action == Action.RECORD
    with pytest.raises(ComplaintPermissionDenied):
        complaint_record_offline(user=other_township_user, **values)
    with pytest.raises(Exception, match="来源渠道"):
        complaint_record_offline(user=township_user, **{**values, "channel": Channel.WEB})
