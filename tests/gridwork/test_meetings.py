"""Consultation meetings (问题会商): a township or the city convenes the grid below with experts, discusses
problems linked to its complaints, inspections and producers, and tracks actions to done; townships see only
their own; the minutes print with attendees and actions."""

import datetime
import subprocess

import pytest
from django.core.exceptions import ValidationError

from disclosure.models import Role
from disclosure.services.grids import role_assign
from gridwork.models import Meeting, MeetingAction, MeetingStatus
from gridwork.services.meetings import ProblemInput, action_add, action_done, actions_overdue, meeting_save
from gridwork.services.scope import GridworkPermissionDenied
from tests.factories import PersonFactory, ProducerFactory, complaint_submit_for_tests

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
MEETINGS = "/admin/gridwork/meetings/"


@pytest.fixture
def coordinator(village):
    person = PersonFactory(name="马协管", position="村委委员")
    role_assign(person=person, grid=village, role=Role.COORDINATOR, start_date=TODAY - 400 * DAY)
    return person


@pytest.fixture
def outsider(other_township):
    person = PersonFactory(name="外乡镇人员")
    role_assign(person=person, grid=other_township.children.first(), role=Role.COORDINATOR,
                start_date=TODAY - 400 * DAY)
    return person


@pytest.fixture
def inspection(township_user, producer):
    from inspections.services.records import inspection_record

    return inspection_record(producer=producer, user=township_user, inspected_on=TODAY - 20 * DAY,
                             results=dict.fromkeys(range(1, 8), ("pass", "")), representative="王示例").obj


@pytest.fixture
def complaint(village):
    """A complaint received two weeks ago (before the meeting that discusses it)."""
    from django.utils import timezone

    made = complaint_submit_for_tests(place_village=village)
    made.submitted_at = timezone.now() - 14 * DAY
    made.save(update_fields=["submitted_at"])
    return made


@pytest.fixture
def meeting(township_user, township, coordinator, complaint, inspection):
    return meeting_save(
        user=township_user, grid=township, held_on=TODAY - 10 * DAY, place="三工镇农业站会议室",
        topic="大棚蔬菜禁用农药问题会商", chair="三工镇监管员", status=MeetingStatus.HELD, minutes="会议讨论了近期问题。",
        people=[township_user.grid_person, coordinator], experts=[("李专家", "市农产品质量安全检测中心高级农艺师")],
        problems=[ProblemInput(text="群众举报大棚喷洒禁用农药", complaint=complaint),
                  ProblemInput(text="巡查发现农药台账不全", inspection=inspection)])


def test_a_township_records_a_meeting_with_its_people_experts_and_linked_problems(meeting, producer, complaint):
    people = {a.person.name for a in meeting.attendees.all() if a.person_id}
    experts = [(a.name, a.organisation) for a in meeting.attendees.all() if a.is_expert]
    assert people == {"sangong示例", "马协管"}
    assert experts == [("李专家", "市农产品质量安全检测中心高级农艺师")]
    first, second = meeting.problems.all()
    assert first.complaint == complaint
    assert second.producer == producer  # taken from the inspection when not chosen


def test_bad_meetings_get_clear_messages_and_nothing_is_saved(township_user, township, outsider, other_township):
    foreign_producer = ProducerFactory(village=other_township.children.first(), name="外乡镇合作社")
    foreign_complaint = complaint_submit_for_tests(place_village=other_township.children.first())
    with pytest.raises(ValidationError) as caught:
        meeting_save(user=township_user, grid=township, held_on=TODAY + DAY, place="会议室", topic="会商",
                     chair="", status=MeetingStatus.HELD, people=[outsider], experts=[("张专家", "")],
                     problems=[ProblemInput(text="外乡镇的事", complaint=foreign_complaint, producer=foreign_producer),
                               ProblemInput(text="", producer=foreign_producer)])
    errors = caught.value.message_dict
    assert errors["held_on"] == [f"已召开的会商，日期（{(TODAY + DAY).isoformat()}）不能晚于今天。"]
    assert errors["chair"] == ["请填写主持人。"]
    assert "外乡镇人员在会商时没有在三工镇或其下一级网格任职，不能作为网格参会人员。" in errors["people"]
    assert errors["experts"] == ["第1位专家请同时填写姓名和单位及职务。"]
    assert any("第1个问题：投诉举报" in e and "不在三工镇的范围内" in e for e in errors["problems"])
    assert "第1个问题：生产主体“外乡镇合作社”不在三工镇的范围内。" in errors["problems"]
    assert "第2个问题请填写问题内容。" in errors["problems"]
    assert not Meeting.objects.exists()


def test_a_held_meeting_cannot_discuss_records_made_after_it(township_user, township, inspection):
    day = inspection.inspected_on - DAY
    with pytest.raises(ValidationError) as caught:
        meeting_save(user=township_user, grid=township, held_on=day, place="会议室", topic="会商", chair="站长",
                     status=MeetingStatus.HELD, problems=[ProblemInput(text="台账", inspection=inspection)])
    assert caught.value.message_dict["problems"] == [
        f"第1个问题：巡查记录（{inspection.inspected_on.isoformat()}）晚于会商日期。"]
    planned = meeting_save(user=township_user, grid=township, held_on=day, place="会议室", topic="会商", chair="站长",
                           problems=[ProblemInput(text="台账", inspection=inspection)])
    assert planned.problems.get().inspection == inspection


def test_a_planned_meeting_may_be_in_the_future_but_takes_no_actions(township_user, township, coordinator):
    planned = meeting_save(user=township_user, grid=township, held_on=TODAY + 7 * DAY, place="会议室", topic="季度会商",
                           chair="监管员", people=[coordinator])
    with pytest.raises(ValidationError, match="会商召开后才能记录议定事项"):
        action_add(user=township_user, meeting=planned, text="整改", owner=coordinator, due=TODAY + 30 * DAY)


def test_actions_need_an_owner_of_the_grid_and_a_due_date_not_before_the_meeting(meeting, township_user, coordinator,
                                                                                 outsider, city_user):
    with pytest.raises(ValidationError) as caught:
        action_add(user=township_user, meeting=meeting, text="复查", owner=outsider, due=meeting.held_on - DAY)
    errors = caught.value.message_dict
    assert errors["owner"] == ["外乡镇人员没有在三工镇或其下级网格任职，不能作为责任人。"]
    assert errors["due"] == [f"完成期限（{(meeting.held_on - DAY).isoformat()}）不能早于会商日期"
                             f"（{meeting.held_on.isoformat()}）。"]
    with pytest.raises(GridworkPermissionDenied, match="由三工镇召集"):
        action_add(user=city_user, meeting=meeting, text="复查", owner=coordinator, due=TODAY)
    assert not MeetingAction.objects.exists()


def test_marking_done_needs_a_note_and_a_sensible_day(meeting, township_user, coordinator):
    action = action_add(user=township_user, meeting=meeting, text="督促合作社补齐农药台账", owner=coordinator,
                        due=TODAY + 5 * DAY)
    with pytest.raises(ValidationError) as caught:
        action_done(user=township_user, action=action, done_on=TODAY + DAY, note=" ")
    assert caught.value.message_dict == {"note": ["请填写办理结果。"], "done_on": ["完成日期不能晚于今天。"]}
    with pytest.raises(ValidationError, match="完成日期不能早于会商日期"):
        action_done(user=township_user, action=action, done_on=meeting.held_on - DAY, note="已补齐")
    action_done(user=township_user, action=action, done_on=TODAY, note="台账已补齐并复查")
    action.refresh_from_db()
    assert (action.done, action.done_on, action.done_note, action.done_by) == (True, TODAY, "台账已补齐并复查",
                                                                               township_user)
    with pytest.raises(ValidationError, match="已于.*办结"):
        action_done(user=township_user, action=action, done_on=TODAY, note="again")


def test_overdue_actions_are_listed_for_their_township_and_the_city_only(meeting, township_user, coordinator,
                                                                        city_user, other_township_user):
    late = action_add(user=township_user, meeting=meeting, text="约谈合作社负责人", owner=coordinator,
                      due=TODAY - 2 * DAY)
    done = action_add(user=township_user, meeting=meeting, text="抽样送检", owner=coordinator, due=TODAY - 3 * DAY)
    action_add(user=township_user, meeting=meeting, text="培训", owner=coordinator, due=TODAY + 3 * DAY)
    action_done(user=township_user, action=done, done_on=TODAY, note="已送检")
    assert list(actions_overdue(user=township_user)) == [late]
    assert list(actions_overdue(user=city_user)) == [late]
    assert list(actions_overdue(user=other_township_user)) == []


def test_the_city_convenes_townships_and_only_its_own_meetings(city_user, township, grids, township_user):
    city = grids.get(level="city")
    with pytest.raises(GridworkPermissionDenied, match="不能以三工镇的名义召集会商"):
        meeting_save(user=city_user, grid=township, held_on=TODAY, place="x", topic="x", chair="x")
    held = meeting_save(user=city_user, grid=city, held_on=TODAY, place="市局三楼会议室", topic="全市会商", chair="局长",
                        status=MeetingStatus.HELD, people=[township_user.grid_person])
    assert list(held.attendees.values_list("person__name", flat=True)) == ["sangong示例"]
    with pytest.raises(GridworkPermissionDenied):
        meeting_save(user=township_user, meeting=held, grid=city, held_on=TODAY, place="x", topic="x", chair="x")


# --- screens ---------------------------------------------------------------------------------------------

def test_another_township_cannot_open_edit_or_print_a_meeting(client, meeting, other_township_user, city_user):
    client.force_login(other_township_user)
    for url in (f"{MEETINGS}{meeting.pk}/", f"{MEETINGS}{meeting.pk}/edit/", f"{MEETINGS}{meeting.pk}/minutes.pdf"):
        assert client.get(url).status_code == 404
    assert "大棚蔬菜" not in client.get(MEETINGS).content.decode()
    client.force_login(city_user)
    page = client.get(f"{MEETINGS}{meeting.pk}/")
    assert page.status_code == 200 and "修改会商" not in page.content.decode()
    refused = client.get(f"{MEETINGS}{meeting.pk}/edit/")  # Wagtail turns PermissionDenied into a redirect home
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    refused = client.post(f"{MEETINGS}{meeting.pk}/", {"add": "1", "new-text": "x"})
    assert refused.status_code == 302 and not MeetingAction.objects.exists()


def test_the_list_puts_overdue_actions_first(client, meeting, township_user, coordinator):
    action_add(user=township_user, meeting=meeting, text="约谈合作社负责人", owner=coordinator, due=TODAY - 2 * DAY)
    client.force_login(township_user)
    html = client.get(f"{MEETINGS}?year={meeting.held_on.year}").content.decode()
    assert "逾期未办结的议定事项（1 项）" in html and "已超期 2 天" in html
    assert html.index("约谈合作社负责人") < html.index("大棚蔬菜禁用农药问题会商")
    assert "共 1 项，未办结 1 项" in html and "逾期 1 项" in html


def test_the_meeting_page_links_problems_and_marks_actions_done(client, meeting, township_user, coordinator, complaint,
                                                               inspection, producer):
    client.force_login(township_user)
    url = f"{MEETINGS}{meeting.pk}/"
    html = client.get(url).content.decode()
    assert f'href="/admin/triage/{complaint.pk}/"' in html and complaint.internal_number in html
    assert f'href="/admin/inspections/{inspection.pk}/"' in html
    assert f'href="/admin/snippets/disclosure/producer/edit/{producer.pk}/"' in html
    assert "李专家" in html and "马协管" in html
    response = client.post(url, {"add": "1", "new-text": "复查台账", "new-owner": coordinator.pk,
                                 "new-due": (meeting.held_on - DAY).isoformat()})
    assert response.status_code == 400 and "不能早于会商日期" in response.content.decode()
    client.post(url, {"add": "1", "new-text": "复查台账", "new-owner": coordinator.pk, "new-due": TODAY.isoformat()})
    action = MeetingAction.objects.get()
    response = client.post(url, {"done": action.pk, f"a{action.pk}-done_on": TODAY.isoformat(),
                                 f"a{action.pk}-note": ""})
    assert response.status_code == 400 and action.text in response.content.decode()
    client.post(url, {"done": action.pk, f"a{action.pk}-done_on": TODAY.isoformat(), f"a{action.pk}-note": "已复查"})
    action.refresh_from_db()
    assert action.done and action.done_note == "已复查"
    assert f"{TODAY.isoformat()}完成" in client.get(url).content.decode()


def test_a_meeting_is_created_on_screen_with_a_problem_by_internal_number(client, township_user, township, coordinator,
                                                                       complaint):
    client.force_login(township_user)
    form = client.get(f"{MEETINGS}new/")
    assert form.status_code == 200 and "马协管（村级协管员）" in form.content.decode()
    data = {"grid": township.pk, "held_on": TODAY.isoformat(), "status": "held", "topic": "月度会商", "place": "站里",
            "chair": "站长", "people": [coordinator.pk], "experts": "王教授，新疆农业大学教授\n",
            "problems-TOTAL_FORMS": 2, "problems-INITIAL_FORMS": 0,
            "problems-0-text": "举报处理进度", "problems-0-complaint": "NOPE-NOPE",
            "problems-1-text": ""}
    response = client.post(f"{MEETINGS}new/", data)
    assert response.status_code == 400 and "没有编号为“NOPE-NOPE”的投诉举报" in response.content.decode()
    data["problems-0-complaint"] = complaint.internal_number
    response = client.post(f"{MEETINGS}new/", data)
    created = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{MEETINGS}{created.pk}/"
    assert created.problems.get().complaint == complaint
    assert [(a.name, a.organisation) for a in created.attendees.filter(person=None)] == [("王教授", "新疆农业大学教授")]
    edit = client.get(f"{MEETINGS}{created.pk}/edit/").content.decode()
    assert complaint.internal_number in edit and complaint.display_code not in edit and "王教授，新疆农业大学教授" in edit


def test_the_minutes_pdf_lists_attendees_problems_and_actions(client, meeting, township_user, coordinator, tmp_path):
    action_add(user=township_user, meeting=meeting, text="督促合作社补齐农药台账", owner=coordinator,
               due=TODAY + 5 * DAY)
    client.force_login(township_user)
    response = client.get(f"{MEETINGS}{meeting.pk}/minutes.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "minutes.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("三工镇农产品质量安全问题会商纪要", "大棚蔬菜禁用农药问题会商", "三工镇农业站会议室",
                     "sangong示例", "马协管", "李专家", "市农产品质量安全检测中心高级农艺师", "群众举报大棚喷洒禁用农药",
                     "督促合作社补齐农药台账", (TODAY + 5 * DAY).isoformat(), "未完成", "主持人（签名）"):
        assert expected in text, expected


def test_the_list_costs_the_same_queries_however_many_meetings(client, meeting, township_user, township, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(township_user)
    url = f"{MEETINGS}?year={meeting.held_on.year}"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(3):
        more = meeting_save(user=township_user, grid=township, held_on=meeting.held_on, place="会议室", topic=f"会商{n}",
                            chair="站长", status=MeetingStatus.HELD, people=[coordinator])
        action_add(user=township_user, meeting=more, text="整改", owner=coordinator, due=TODAY - DAY)
    with CaptureQueriesContext(connection) as four:
        html = client.get(url).content.decode()
    assert "逾期未办结的议定事项（3 项）" in html
    assert len(four) == len(one)
