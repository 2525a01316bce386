"""A complaint's page: the actions offered, each action through its form and service, refusals that keep
what was typed, the log with internal and public notes, deadlines, the reporter's identity."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Action, Complaint, State

pytestmark = pytest.mark.django_db


def _act(client, complaint, action, **data):
    complaint.refresh_from_db()
    data.setdefault("expected_version", complaint.version)
    response = client.post(reverse("triage:act", args=[complaint.pk, action]), data)
    complaint.refresh_from_db()
    return response


def _offered(client, complaint) -> set[str]:
    html = client.get(reverse("triage:detail", args=[complaint.pk])).content.decode()
    return set(re.findall(rf"/admin/triage/{complaint.pk}/act/(\w+)/", html))


def test_only_allowed_actions_are_offered(login, township_user, village_user, submit):
    complaint = submit()
    assert _offered(login(township_user), complaint) == {
        "accept", "reject", "transfer", "mark_duplicate", "reassign_grid", "note"}
    assert _offered(login(village_user), complaint) == {"note"}
    page = login(township_user).get(reverse("triage:detail", args=[complaint.pk])).content.decode()
    assert f'name="expected_version" value="{complaint.version}"' in page
    assert page.count('name="expected_version"') == 6


def test_walk_through_every_step(login, township_user, village_user, city_user, submit):
    """submitted → accepted → assigned → investigating → rectifying (re-check not passed, then passed) →
    rectified → reply drafted → returned → drafted again → approved with edits → closed → reopened."""
    boss, worker = login(township_user), None
    complaint = submit()
    later = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    even_later = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    assert _act(boss, complaint, "accept").status_code == 302 and complaint.state == State.ACCEPTED
    assert _act(boss, complaint, "assign", assignee=village_user.pk, note_internal="请尽快核实").status_code == 302
    assert complaint.state == State.ASSIGNED and complaint.assignee == village_user
    worker = login(village_user)
    assert _act(worker, complaint, "start_investigation", note_public="已到现场。").status_code == 302
    assert complaint.state == State.INVESTIGATING
    assert _act(worker, complaint, "order_rectification", due=later, requirements="停止使用，清理存货").status_code == 302
    assert complaint.state == State.RECTIFYING and complaint.rectification_due.isoformat() == later
    assert _act(worker, complaint, "check_rectification", passed="no", findings="未到位",
                new_due=even_later).status_code == 302
    assert complaint.state == State.RECTIFYING and complaint.rectification_due.isoformat() == even_later
    assert _act(worker, complaint, "check_rectification", passed="yes", findings="已到位").status_code == 302
    assert complaint.state == State.RECTIFIED
    assert _act(worker, complaint, "draft_reply", reply="经核查属实，已整改。").status_code == 302
    assert complaint.state == State.REPLY_DRAFTED
    boss = login(township_user)
    assert _act(boss, complaint, "return_reply", reason="请写明整改内容").status_code == 302
    assert complaint.state == State.RECTIFIED
    assert _act(boss, complaint, "draft_reply", reply="经核查属实，已责令停止使用并清理存货。").status_code == 302
    # The drafter is not offered the approval, is told whose turn it is, and is refused if they try.
    page = boss.get(reverse("triage:detail", args=[complaint.pk])).content.decode()
    assert 'id="action-approve_reply"' not in page and "等待另一位有审核权限的工作人员审核" in page
    refused = _act(boss, complaint, "approve_reply")
    assert refused.status_code == 400 and "拟定和审核不能是同一人" in refused.content.decode()
    assert complaint.state == State.REPLY_DRAFTED
    city = login(city_user)
    assert _act(city, complaint, "approve_reply", reply="经核查属实，已责令停止使用并清理存货，复查合格。").status_code == 302
    assert complaint.state == State.REPLY_APPROVED and complaint.reply_text.endswith("复查合格。")
    assert _act(boss, complaint, "close").status_code == 302
    assert complaint.state == State.CLOSED and complaint.closed_on_time is True
    assert _act(boss, complaint, "reopen", reason="反映人来电表示仍有问题").status_code == 302
    assert complaint.state == State.REOPENED
    actions = list(complaint.events.values_list("action", flat=True))
    assert actions[:3] == ["submit", "accept", "assign"] and actions[-1] == "reopen"


def test_other_actions(login, township_user, village_user, submit, other_village):
    client = login(township_user)
    refused = submit()
    assert _act(client, refused, "reject", reason="不属于农产品质量安全监管范围").status_code == 302
    assert refused.state == State.NOT_ACCEPTED
    moved = submit()
    assert _act(client, moved, "transfer", department="昌吉市市场监督管理局").status_code == 302
    assert moved.state == State.TRANSFERRED and moved.transferred_to == "昌吉市市场监督管理局"
    original, copy = submit(), submit()
    # the original chosen by its internal number
    assert _act(client, copy, "mark_duplicate", original_code=original.internal_number).status_code == 302
    assert copy.state == State.CLOSED and copy.duplicate_of == original
    # or by the tracking code a reporter reads out, typed the way people do
    another = submit()
    code = original.display_code.lower().replace("-", " ")
    assert _act(client, another, "mark_duplicate", original_code=code).status_code == 302
    assert another.duplicate_of == original
    other = submit()
    assert _act(client, other, "reassign_grid", grid=other_village.pk, reason="发生地在邻村").status_code == 302
    assert other.grid == other_village
    assert _act(client, other, "note", note="已电话联系村委").status_code == 302
    assert other.events.filter(action=Action.NOTE, note_internal="已电话联系村委").exists()
    # referral and the laboratory pause
    case = submit()
    _act(client, case, "accept")
    _act(client, case, "assign", assignee=village_user.pk)
    _act(login(village_user), case, "start_investigation")
    assert _act(login(village_user), case, "lab_pause", samples="韭菜2份").status_code == 302 and case.is_paused
    assert _offered(login(village_user), case) == {"lab_resume", "note"}
    assert _act(login(village_user), case, "lab_resume", result="检出甲拌磷").status_code == 302
    assert not case.is_paused
    assert _act(login(township_user), case, "refer", agency="昌吉市农业综合行政执法大队").status_code == 302
    assert case.state == State.REFERRED


def test_bad_input_keeps_what_was_typed(login, township_user, submit):
    client = login(township_user)
    complaint = submit()
    response = _act(client, complaint, "reject", reason="", note_internal="内部先记一笔")
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写“不予受理的理由（反映人可见）”。" in html
    assert "内部先记一笔" in html
    assert re.search(r'<details class="staff-action[^"]*staff-action--error"[^>]*id="action-reject" open', html)
    response = _act(client, complaint, "reject", reason="<script>alert(1)</script>")
    assert response.status_code == 400 and "不能包含网页代码或脚本" in response.content.decode()
    response = _act(client, complaint, "order_rectification", due="2020-01-01", requirements="x")
    # not offered in this state: the service refuses with the state and what is possible now
    assert response.status_code in (400,)
    assert complaint.state == State.SUBMITTED


def test_not_allowed_now(login, township_user, submit):
    client = login(township_user)
    complaint = submit()
    _act(client, complaint, "accept")
    response = _act(client, complaint, "accept", note_public="第二次受理")
    assert response.status_code == 400
    html = response.content.decode()
    assert "当前为“已受理”，不能执行“受理”" in html and "现在可以：" in html
    assert "第二次受理" in html  # kept, in a form marked as no longer possible
    assert "这项操作现在不能执行" in html


def test_complaint_changed_meanwhile(login, township_user, city_user, submit):
    complaint = submit()
    seen = complaint.version
    assert _act(login(city_user), complaint, "accept").status_code == 302
    response = _act(login(township_user), complaint, "reject", expected_version=seen, reason="我来处理：不属于职责")
    assert response.status_code == 409
    html = response.content.decode()
    assert "您看到的不是最新情况。请刷新页面" in html
    assert "刷新页面，查看最新情况" in html and "我来处理：不属于职责" in html
    assert complaint.state == State.ACCEPTED
    # the form kept the version the person saw: sending it again is refused again
    assert f'name="expected_version" value="{seen}"' in html


def test_assign_offers_only_people_who_cover_the_grid(login, township_user, village_user, other_village_user,
                                                      other_township_user, submit):
    client = login(township_user)
    complaint = submit()
    _act(client, complaint, "accept")
    form = client.get(reverse("triage:detail", args=[complaint.pk])).context["action_forms"][0]["form"]
    offered = {int(v) for v, _label in form.fields["assignee"].choices if v}
    assert village_user.pk in offered and township_user.pk in offered
    assert other_village_user.pk not in offered and other_township_user.pk not in offered
    response = _act(client, complaint, "assign", assignee=other_township_user.pk)
    assert response.status_code == 400 and "请从列表中选择承办人。" in response.content.decode()


def test_page_shows_deadlines_log_and_notes(login, township_user, submit):
    client = login(township_user)
    complaint = submit(photos=2)
    Complaint.objects.filter(pk=complaint.pk).update(accept_due=timezone.localdate() - datetime.timedelta(days=2),
                                                     due_on=timezone.localdate() - datetime.timedelta(days=2))
    _act(client, complaint, "note", note="内部备注示例")
    response = client.get(reverse("triage:detail", args=[complaint.pk]))
    html = response.content.decode()
    assert "已超期" in html and "超期2天" in html
    assert html.count('class="staff-note staff-note--internal"') == 1 and "内部备注示例" in html
    assert "反映人可见" in html and "内部" in html
    assert html.count("/thumb/") == 2
    assert response["Cache-Control"].startswith("no-store")
    _act(client, complaint, "accept", note_public="已受理", note_internal="交长丰村核实")
    html = client.get(reverse("triage:detail", args=[complaint.pk])).content.decode()
    assert 'staff-note staff-note--public"><span class="staff-note-label">公开说明</span>已受理' in html
    assert "待受理 → 已受理" in html


def test_identity_button_only_when_there_is_an_identity(login, township_user, submit):
    client = login(township_user)
    anonymous = submit(anonymous=True, reporter_name="", reporter_phone="", reporter_email="")
    html = client.get(reverse("triage:detail", args=[anonymous.pk])).content.decode()
    assert "匿名反映，未留姓名和联系方式。" in html
    assert reverse("triage:identity", args=[anonymous.pk]) not in html


def test_identity_views_are_listed(login, township_user, submit):
    client = login(township_user)
    complaint = submit()
    client.post(reverse("triage:identity", args=[complaint.pk]), {"purpose": "回电"})
    html = client.get(reverse("triage:detail", args=[complaint.pk])).content.decode()
    assert "反映人身份查看记录（1次）" in html and "（回电）" in html
    assert "13912345678" not in html


def test_staff_see_the_internal_number_never_the_reporters_tracking_code(login, township_user, submit):
    """The tracking code is the reporter's key (it lets one follow and rate the complaint): staff pages show
    the internal number instead."""
    complaint = submit()
    client = login(township_user)
    for url in (reverse("triage:index"), reverse("triage:detail", args=[complaint.pk])):
        html = client.get(url).content.decode()
        assert complaint.internal_number in html
        assert complaint.display_code not in html and complaint.tracking_code not in html


def test_the_step_waiting_comes_first_and_open(login, township_user, village_user, submit):
    """For someone who may assign, a complaint under rectification opens on 整改复查, not on 分派."""
    complaint = submit()
    boss = login(township_user)
    _act(boss, complaint, "accept")
    _act(boss, complaint, "assign", assignee=township_user.pk)
    _act(boss, complaint, "start_investigation")
    later = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    _act(boss, complaint, "order_rectification", due=later, requirements="停止使用，清理存货")
    page = boss.get(reverse("triage:detail", args=[complaint.pk])).content.decode()
    steps = re.findall(r'<details class="staff-action[^"]*" id="action-(\w+)"( open)?', page)
    assert steps[0] == ("check_rectification", " open")
    assert [name for name, opened in steps if opened] == ["check_rectification"]
    assert "assign" in [name for name, _ in steps]  # still there, folded


def test_sending_a_complaint_to_another_township_lands_on_the_queue_with_the_message(
        login, township_user, submit, other_township):
    complaint = submit()
    client = login(township_user)
    page = client.get(reverse("triage:detail", args=[complaint.pk])).content.decode()
    # The grid list is grouped by township (village names repeat across townships).
    assert f'<optgroup label="{other_township.name}">' in page
    target = other_township.children.order_by("code").first()
    response = client.post(reverse("triage:act", args=[complaint.pk, "reassign_grid"]),
                           {"expected_version": complaint.version, "grid": target.pk, "reason": "发生地在邻镇"},
                           follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == reverse("triage:index")
    html = response.content.decode()
    assert "已执行" in html and "已从您的队列中移出" in html and complaint.internal_number in html
    complaint.refresh_from_db()
    assert complaint.grid == target
