"""Training: sessions with materials, attendance on screen or from a sign-in sheet (all rows or none),
coverage per year with the untrained listed by township, attendance without a role flagged."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.models import Role, RoleAssignment
from gridwork.models import Attendance, TrainingSession
from gridwork.services.scope import GridworkPermissionDenied
from gridwork.services.training import TrainingError, attendance_set, session_save, training_coverage
from gridwork.services.training_import import signin_import, signin_parse
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
YEAR = TODAY.year
TRAINING = "/admin/gridwork/training/"


def holder(grid, role):
    return RoleAssignment.objects.current().get(grid=grid, role=role).person


@pytest.fixture
def session(township_user, township):
    return session_save(user=township_user, grid=township, held_on=TODAY, topic="农药安全使用", trainer="王示例",
                        place="三工镇政府会议室")


def sheet(rows, heading=("姓名", "电话", "出勤")) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(heading)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_a_session_keeps_its_materials_as_documents(township_user, township):
    pdf = SimpleUploadedFile("课件.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    made = session_save(user=township_user, grid=township, held_on=TODAY, topic="合格证制度", trainer="李示例",
                        place="三工镇", files=[pdf])
    assert made.materials.get().document.title == "合格证制度 · 课件"


def test_bad_session_input_is_refused_with_messages_and_nothing_saved(township_user, township):
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(TrainingError) as caught:
        session_save(user=township_user, grid=township, held_on=TODAY, topic="", trainer="x" * 101, place="三工镇",
                     files=[exe])
    errors = caught.value.message_dict
    assert "请填写培训主题" in errors["topic"][0] and "不能超过100个字" in errors["trainer"][0]
    assert "不是可以上传的资料类型" in errors["files"][0]
    assert not TrainingSession.objects.exists()


def test_a_township_keeps_only_its_own_sessions(township_user, other_township, city_user, township):
    with pytest.raises(GridworkPermissionDenied):
        session_save(user=township_user, grid=other_township, held_on=TODAY, topic="x", trainer="x", place="x")
    city_session = session_save(user=city_user, grid=township.parent, held_on=TODAY, topic="全市培训",
                                trainer="x", place="x")
    with pytest.raises(GridworkPermissionDenied):
        attendance_set(session=city_session, user=township_user, marks={})


def test_attendance_ticks_and_the_flag_for_someone_without_a_role(staffed_grids, session, township_user, township):
    supervisor, newcomer = holder(township, Role.SUPERVISOR), PersonFactory(name="新人示例")
    counts = attendance_set(session=session, user=township_user,
                            marks={supervisor.pk: "present", newcomer.pk: "excused"})
    assert counts == {"saved": 2, "cleared": 0, "without_role": 1}
    assert Attendance.objects.get(person=newcomer).without_role
    assert not Attendance.objects.get(person=supervisor).without_role
    with pytest.raises(TrainingError):
        attendance_set(session=session, user=township_user, marks={supervisor.pk: "absent", newcomer.pk: "maybe"})
    assert Attendance.objects.get(person=supervisor).status == "present"  # nothing half-saved


def test_attendance_waits_for_the_session_to_be_held(township_user, township, staffed_grids):
    later = session_save(user=township_user, grid=township, held_on=TODAY + datetime.timedelta(days=7), topic="x",
                         trainer="x", place="x")
    with pytest.raises(TrainingError, match="还没到"):
        attendance_set(session=later, user=township_user, marks={holder(township, Role.TESTER).pk: "present"})


def test_coverage_lists_the_untrained_by_township(staffed_grids, session, township_user, township, village):
    supervisor, coordinator = holder(township, Role.SUPERVISOR), holder(village, Role.COORDINATOR)
    attendance_set(session=session, user=township_user, marks={supervisor.pk: "present", coordinator.pk: "absent"})
    rows = {r.grid: r for r in training_coverage(year=YEAR)}
    sangong = rows[township]
    assert supervisor in sangong.trained and coordinator in sangong.untrained
    assert sangong.total == 2 + township.children.count() and len(rows) == 11  # the city and 10 townships
    assert rows[township.parent].trained == []


def test_someone_who_left_during_the_year_still_counts_for_that_year(staffed_grids, village):
    from disclosure.services.grids import role_end

    coordinator = holder(village, Role.COORDINATOR)
    role_end(assignment=RoleAssignment.objects.current().get(grid=village, role=Role.COORDINATOR), end_date=TODAY)
    row = next(r for r in training_coverage(year=YEAR) if r.grid == village.parent)
    assert coordinator in row.untrained


def test_a_sign_in_sheet_imports_every_row_or_none(staffed_grids, session, township_user, township, village):
    supervisor, coordinator = holder(township, Role.SUPERVISOR), holder(village, Role.COORDINATOR)
    bad = sheet([[supervisor.name, supervisor.phone, "出席"], ["陌生人示例", "13900000000", ""],
                 [coordinator.name, coordinator.phone, "迟到"]])
    preview = signin_parse(session=session, content=bad, filename="签到表.csv")
    assert not preview.ok and preview.error_count == 2
    assert "找不到姓名为陌生人示例、电话为13900000000的网格人员" in preview.rows[1].errors[0]
    assert preview.rows[1].line == 3 and "无法识别" in preview.rows[2].errors[0]
    with pytest.raises(TrainingError):
        signin_import(preview=preview, user=township_user)
    assert not Attendance.objects.exists()
    good = sheet([[supervisor.name, supervisor.phone, ""], [coordinator.name, coordinator.phone, "请假"]])
    counts = signin_import(preview=signin_parse(session=session, content=good, filename="签到表.csv"),
                           user=township_user)
    assert counts["saved"] == 2
    assert dict(Attendance.objects.values_list("person__name", "status")) == {
        supervisor.name: "present", coordinator.name: "excused"}


def test_a_sign_in_sheet_by_person_number_from_xlsx(staffed_grids, session, township, township_user):
    from openpyxl import Workbook

    tester = holder(township, Role.TESTER)
    book = Workbook()
    book.active.append(["序号", "人员编号", "姓名"])
    book.active.append([1, tester.pk, tester.name])
    book.active.append([2, 999999, "无此人"])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = signin_parse(session=session, content=buffer.getvalue(), filename="signin.xlsx")
    assert preview.rows[0].person == tester and "人员编号“999999”不存在" in preview.rows[1].errors[0]


# --- the screens -----------------------------------------------------------------------------------------

def test_the_training_screens_tick_attendance_and_show_coverage(client, staffed_grids, township_user, township):
    client.force_login(township_user)
    response = client.post(f"{TRAINING}new/", {"grid": township.pk, "held_on": TODAY.isoformat(), "topic": "速测技术",
                                               "trainer": "赵示例", "place": "监管站"})
    made = TrainingSession.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/training/{made.pk}/")
    page = client.get(f"{TRAINING}{made.pk}/").content.decode()
    tester = holder(township, Role.TESTER)
    assert tester.name in page and f'name="p-{tester.pk}"' in page
    client.post(f"{TRAINING}{made.pk}/", {"action": "marks", f"p-{tester.pk}": "present"})
    assert Attendance.objects.get().status == "present"
    overview = client.get(TRAINING).content.decode()
    assert "速测技术" in overview and "三工镇" in overview
    coverage = client.get(f"{TRAINING}coverage/").content.decode()
    assert holder(township, Role.SUPERVISOR).name in coverage and tester.name not in coverage.split("已参训")[-1]


def test_the_sign_in_upload_previews_errors_and_confirms(client, staffed_grids, township_user, township, session):
    client.force_login(township_user)
    supervisor = holder(township, Role.SUPERVISOR)
    upload = SimpleUploadedFile("签到表.csv", sheet([["陌生人示例", "13900000000", ""]]), content_type="text/csv")
    response = client.post(f"{TRAINING}{session.pk}/", {"action": "upload", "sheet": upload})
    assert response.status_code == 400 and "找不到姓名为陌生人示例" in response.content.decode()
    upload = SimpleUploadedFile("签到表.csv", sheet([[supervisor.name, supervisor.phone, ""]]), content_type="text/csv")
    response = client.post(f"{TRAINING}{session.pk}/", {"action": "upload", "sheet": upload})
    token = response.context["token"]
    assert token and not Attendance.objects.exists()
    client.post(f"{TRAINING}{session.pk}/", {"action": "confirm", "token": token})
    assert Attendance.objects.get().person == supervisor


def test_another_township_cannot_open_or_edit_a_session(client, staffed_grids, other_township_user, session):
    client.force_login(other_township_user)
    assert client.get(f"{TRAINING}{session.pk}/").status_code == 404
    assert client.get(f"{TRAINING}{session.pk}/edit/").status_code == 404
