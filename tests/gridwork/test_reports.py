"""Monthly reports upward (信息报送): figures drafted from the month's records, frozen at submission; the
steps draft → submitted → returned → accepted with their messages; scope; who has not reported; PDF, XLSX."""

import datetime
import io
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.models import Complaint, State
from gridwork.models import MonthlyReport, ReportStatus
from gridwork.services.month_figures import month_figures
from gridwork.services.reports import (
    last_due_month,
    report_accept,
    report_draft,
    report_figures,
    report_return,
    report_save,
    report_submit,
    reports_month,
    reports_year,
)
from gridwork.services.scope import GridworkPermissionDenied

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
THIS_MONTH = TODAY.replace(day=1)
LAST = (THIS_MONTH - datetime.timedelta(days=1)).replace(day=1)  # the month that has just ended
REPORTS = "/admin/gridwork/reports/"
ALL_PASS = dict.fromkeys(range(1, 8), ("pass", ""))


def _in_last(day: int) -> datetime.date:
    return LAST + datetime.timedelta(days=day - 1)


def _at(day: datetime.date, hour=10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def report(township_user, township):
    return report_draft(user=township_user, township=township, year=LAST.year, month=LAST.month)


@pytest.fixture
def month_records(township_user, tester_user, producer, rapid_tests, village, other_township):
    """Last month in 三工镇: 3 inspections (one with a failed item) of 2 producers, 4 samples tested (one
    positive followed up by a laboratory, one positive not followed up), 2 rectifications ordered and one
    put right, a referral, 3 complaints received and 2 finished (one on time), a session with 2 present.
    And records outside the month or the township, which must not count."""
    from casework.models import Rectification
    from casework.services import rectification_order, referral_send
    from gridwork.models import Attendance, TrainingSession
    from inspections.services.records import (
        inspection_record,
        lab_test_record,
        rapid_test_record,
        sample_take,
    )
    from tests.factories import PersonFactory, ProducerFactory, complaint_submit_for_tests

    second = ProducerFactory(village=village, name="长丰养殖场")
    inspection_record(producer=producer, user=township_user, inspected_on=_in_last(2), results=dict(ALL_PASS))
    failed = {**ALL_PASS, 3: ("fail", "使用禁用农药")}
    inspection_record(producer=producer, user=township_user, inspected_on=_in_last(9), results=failed)
    inspection_record(producer=second, user=township_user, inspected_on=_in_last(20), results=dict(ALL_PASS))
    inspection_record(producer=second, user=township_user, inspected_on=THIS_MONTH, results=dict(ALL_PASS))

    rapid_tests(_in_last(3), n=2)
    positives = []
    for _n in range(2):
        sample = sample_take(producer=producer, user=tester_user, product="韭菜", taken_at=_at(_in_last(10))).obj
        positives.append(rapid_test_record(sample=sample, user=tester_user, method="gold", target="腐霉利",
                                           result="positive", tested_on=_in_last(10)))
    lab_test_record(sample=positives[0].sample, user=tester_user, lab="昌吉州检测中心", report_number="R-1",
                    target="腐霉利", unit="mg/kg", limit="0.2", value="0.5", reported_on=_in_last(15),
                    rapid_test=positives[0])
    rapid_tests(THIS_MONTH, n=1)

    due = TODAY + datetime.timedelta(days=10)
    done = rectification_order(producer=producer, source=positives[0], requirements="停止使用", due=due,
                               ordered_on=_in_last(11))
    Rectification.objects.filter(pk=done.pk).update(state="done", closed_on=_in_last(25))
    rectification_order(producer=second, requirements="建立生产记录", due=due, ordered_on=_in_last(12))
    rectification_order(producer=second, requirements="补齐记录", due=due, ordered_on=TODAY)
    referral_send(producer=producer, agency="昌吉市农业综合行政执法大队", summary="阳性", sent_on=_in_last(16))

    made = [complaint_submit_for_tests(place_village=village) for _n in range(4)]
    Complaint.objects.filter(pk=made[0].pk).update(submitted_at=_at(_in_last(4)), state=State.CLOSED,
                                                   closed_at=_at(_in_last(20)), closed_on_time=True)
    Complaint.objects.filter(pk=made[1].pk).update(submitted_at=_at(_in_last(5)), state=State.NOT_ACCEPTED,
                                                   closed_at=_at(_in_last(6)))
    Complaint.objects.filter(pk=made[2].pk).update(submitted_at=_at(_in_last(28)))
    Complaint.objects.filter(pk=made[3].pk).update(submitted_at=_at(THIS_MONTH))
    elsewhere = complaint_submit_for_tests(place_village=other_township.children.first())
    Complaint.objects.filter(pk=elsewhere.pk).update(submitted_at=_at(_in_last(4)))

    session = TrainingSession.objects.create(grid=village.parent, held_on=_in_last(18), topic="速测操作",
                                             trainer="李老师", place="三工镇政府")
    for status in ("present", "present", "absent"):
        Attendance.objects.create(session=session, person=PersonFactory(), status=status)


def test_the_months_figures_come_from_the_records(month_records, township, other_township):
    figures = month_figures(year=LAST.year, month=LAST.month, township_ids=[township.pk, other_township.pk])
    assert figures[township.pk] == {
        "inspections": 3, "producers_inspected": 2, "inspections_failed": 1,
        "samples_tested": 4, "rapid_tests": 4, "positives": 2, "positives_followed": 1,
        "rectifications_ordered": 2, "rectifications_closed": 1, "referrals": 1,
        "complaints_received": 3, "complaints_finished": 2, "complaints_closed": 1, "complaints_on_time": 1,
        "training_sessions": 1, "training_attendees": 2}
    assert figures[other_township.pk]["complaints_received"] == 1
    assert figures[other_township.pk]["inspections"] == 0


def test_the_figures_take_a_constant_number_of_queries(month_records, grids):
    ids = list(grids.filter(level="township").values_list("pk", flat=True))
    month_figures(year=LAST.year, month=LAST.month, township_ids=ids[:1])
    with CaptureQueriesContext(connection) as one:
        month_figures(year=LAST.year, month=LAST.month, township_ids=ids[:1])
    with CaptureQueriesContext(connection) as ten:
        month_figures(year=LAST.year, month=LAST.month, township_ids=ids)
    assert len(one) == len(ten) <= 7


def test_figures_are_frozen_at_submission(month_records, township_user, report, tester_user, rapid_tests):
    assert report.status == ReportStatus.DRAFT and report.figures["samples_tested"] == 4
    report_submit(user=township_user, report=report, texts={"work_done": "完成巡查3次。"})
    rapid_tests(_in_last(27), n=3)  # recorded late: does not change what was sent up
    report.refresh_from_db()
    assert report.figures["samples_tested"] == 4
    assert report_figures(report)["samples_tested"] == 4


def test_a_returned_report_is_counted_again_when_resubmitted(township_user, city_user, report, rapid_tests):
    report_submit(user=township_user, report=report, texts={"work_done": "本月开展速测。"})
    report_return(user=city_user, report=report, comment="速测数偏少，请核实后补录。")
    rapid_tests(_in_last(8), n=2)
    report_submit(user=township_user, report=report)
    assert report.figures["samples_tested"] == 2 and report.status == ReportStatus.SUBMITTED
    report_accept(user=city_user, report=report)
    assert report.status == ReportStatus.ACCEPTED
    steps = [(e.action, e.comment) for e in report.events.all()]
    assert steps == [("draft", ""), ("submit", ""), ("return", "速测数偏少，请核实后补录。"), ("submit", ""),
                     ("accept", "")]
    with pytest.raises(ValidationError, match="已被市级网格采纳，不能再修改"):
        report_save(user=township_user, report=report, texts={"work_done": "改一下"})
    with pytest.raises(ValidationError, match="已被市级网格采纳，不能再修改"):
        report_draft(user=township_user, township=report.township, year=report.year, month=report.month)


def test_wrong_steps_get_clear_messages_and_change_nothing(township_user, city_user, report, township):
    with pytest.raises(ValidationError, match="还没有报送，不能退回或采纳"):
        report_accept(user=city_user, report=report)
    with pytest.raises(ValidationError, match="请填写本月工作开展情况"):
        report_submit(user=township_user, report=report, texts={"problems": "人手不足"})
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.problems == ""  # nothing half-saved
    report_submit(user=township_user, report=report, texts={"work_done": "完成。"})
    with pytest.raises(ValidationError, match="已经报送，正在等待市级网格审核"):
        report_submit(user=township_user, report=report)
    with pytest.raises(ValidationError, match="不能再修改；如需修改，请联系市级网格退回"):
        report_save(user=township_user, report=report, texts={"work_done": "x"})
    with pytest.raises(ValidationError, match="请填写退回意见"):
        report_return(user=city_user, report=report, comment="  ")
    report_return(user=city_user, report=report, comment="补充培训情况")
    with pytest.raises(ValidationError, match="已退回乡镇修改"):
        report_accept(user=city_user, report=report)
    assert MonthlyReport.objects.get().status == ReportStatus.RETURNED


def test_a_month_that_has_not_ended_cannot_be_submitted(township_user, township):
    current = report_draft(user=township_user, township=township, year=TODAY.year, month=TODAY.month)
    with pytest.raises(ValidationError, match="还没有结束，月底之后才能报送"):
        report_submit(user=township_user, report=current, texts={"work_done": "进行中"})
    following = THIS_MONTH + datetime.timedelta(days=32)
    with pytest.raises(ValidationError, match="还没有开始"):
        report_draft(user=township_user, township=township, year=following.year, month=following.month)


def test_nobody_acts_on_another_townships_report(other_township_user, township_user, city_user, report, township):
    with pytest.raises(GridworkPermissionDenied, match="不在您负责的网格范围内"):
        report_draft(user=other_township_user, township=township, year=LAST.year, month=LAST.month)
    with pytest.raises(GridworkPermissionDenied, match="不在您负责的网格范围内"):
        report_submit(user=other_township_user, report=report, texts={"work_done": "x"})
    with pytest.raises(GridworkPermissionDenied, match="市级网格负责退回或采纳"):
        report_submit(user=city_user, report=report, texts={"work_done": "x"})
    report_submit(user=township_user, report=report, texts={"work_done": "完成。"})
    with pytest.raises(GridworkPermissionDenied, match="乡镇不能退回或采纳"):
        report_accept(user=township_user, report=report)


def test_screens_are_scoped(client, other_township_user, township_user, report):
    client.force_login(other_township_user)
    assert client.get(f"{REPORTS}{report.pk}/").status_code == 404
    assert client.get(f"{REPORTS}{report.pk}/pdf/").status_code == 404
    refused = client.get(f"{REPORTS}month.xlsx")  # Wagtail turns the refusal into a redirect with a message
    assert refused.status_code == 302 and "spreadsheet" not in refused["Content-Type"]
    client.force_login(township_user)
    assert client.get(f"{REPORTS}{report.pk}/").status_code == 200


def test_who_has_not_reported(township_user, city_user, report, township, other_township, grids):
    report_submit(user=township_user, report=report, texts={"work_done": "完成。"})
    due_passed = datetime.date(THIS_MONTH.year, THIS_MONTH.month, 6)
    rows = reports_month(year=LAST.year, month=LAST.month, on=due_passed)
    late = {r.township.name for r in rows if r.late}
    assert len(rows) == 10 and township.name not in late and other_township.name in late and len(late) == 9
    before_due = datetime.date(THIS_MONTH.year, THIS_MONTH.month, 5)
    assert not any(r.late for r in reports_month(year=LAST.year, month=LAST.month, on=before_due))
    assert last_due_month(due_passed) == (LAST.year, LAST.month)
    assert last_due_month(before_due) != (LAST.year, LAST.month)
    months = {r.month: r for r in reports_year(township=township, year=LAST.year, on=due_passed)}
    assert months[LAST.month].reported and not months[LAST.month].late
    if LAST.month > 1:  # the month before was never drafted: late
        assert months[LAST.month - 1].late and months[LAST.month - 1].status_label == "未起草"


def test_the_city_overview_names_who_has_not_reported(client, city_user, township_user, township, settings,
                                                      other_township):
    settings.GRIDWORK_REPORT_DUE_DAY = 1
    year, month = last_due_month()  # last month, or the one before on the 1st
    report = report_draft(user=township_user, township=township, year=year, month=month)
    report_submit(user=township_user, report=report, texts={"work_done": "完成。"})
    client.force_login(city_user)
    page = client.get(f"{REPORTS}?year={year}&month={month}").content.decode()
    assert "已报送1个" in page and "9 个乡镇逾期未报送" in page
    notice = page.split('id="gw-not-reported"')[1].split("</div>")[0]
    assert "三工镇" not in notice and other_township.name in notice


def test_a_report_on_screen_from_draft_to_accepted(client, township_user, city_user, report):
    client.force_login(township_user)
    url = f"{REPORTS}{report.pk}/"
    response = client.post(url, {"action": "submit", "work_done": "", "problems": "人手不足"})
    assert response.status_code == 400 and "请填写本月工作开展情况后再报送" in response.content.decode()
    client.post(url, {"action": "submit", "work_done": "完成日常巡查。", "problems": "", "next_steps": ""})
    client.force_login(city_user)
    response = client.post(url, {"action": "return", "comment": ""})
    assert response.status_code == 400 and "请填写退回意见" in response.content.decode()
    client.post(url, {"action": "return", "comment": "请补充投诉办理情况。"})
    client.force_login(township_user)
    assert "请补充投诉办理情况。" in client.get(url).content.decode()


def test_pdf_and_xlsx_of_a_report(client, township_user, city_user, report, month_records, other_township):
    from openpyxl import load_workbook

    report_submit(user=township_user, report=report, texts={"work_done": "本月完成巡查三次。",
                                                           "next_steps": "加强韭菜速测。"})
    report_accept(user=city_user, report=report, comment="数据完整")
    client.force_login(township_user)
    pdf = client.get(f"{REPORTS}{report.pk}/pdf/").content
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "农产品质量安全网格化监管工作月报" in text and f"{LAST.year}年{LAST.month}月" in text
    assert "本月完成巡查三次。" in text and "加强韭菜速测。" in text and "已采纳" in text
    assert "阳性或可疑项次" in text and "数据完整" in text
    book = load_workbook(io.BytesIO(client.get(f"{REPORTS}{report.pk}/xlsx/").content))
    rows = {row[1]: row[2] for row in book.active.iter_rows(values_only=True) if len(row) > 2}
    assert rows["速测样品数"] == 4 and rows["阳性或可疑项次"] == 2 and rows["按期办结率"] == "100%"

    client.force_login(city_user)
    response = client.get(f"{REPORTS}month.xlsx?year={LAST.year}&month={LAST.month}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[2]]
    lines = {row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert len(lines) == 10
    assert lines["三工镇"]["状态"] == "已采纳" and lines["三工镇"]["巡查次数"] == 3
    assert lines["三工镇"]["数据来源"] == "报送时固定" and lines[other_township.name]["状态"] == "未起草"


def test_the_city_home_names_who_has_not_reported(client, city_user, township_user, township, other_township,
                                                  settings):
    settings.GRIDWORK_REPORT_DUE_DAY = 1
    year, month = last_due_month()
    report = report_draft(user=township_user, township=township, year=year, month=month)
    report_submit(user=township_user, report=report, texts={"work_done": "完成。"})
    client.force_login(city_user)
    panel = client.get("/admin/").content.decode().split('id="not-reported-section"')[1].split("</section>")[0]
    assert f"{year}年{month}月的月报应于" in panel and other_township.name in panel and "三工镇" not in panel
    assert "9 个乡镇未报送" in panel and "另有 1 份月报已报送，等待审核。" in panel
    client.force_login(township_user)
    assert 'id="not-reported-section"' not in client.get("/admin/").content.decode()


def test_the_demo_has_reports_in_every_state_once(grids, tmp_path, monkeypatch):
    from django.core.management import call_command

    from staff import demo
    from staff.demo_reports import load_reports

    monkeypatch.setattr(demo, "CREDENTIALS_FILE", tmp_path / "demo_accounts.txt")
    call_command("load_demo", "--producers", "70", stdout=io.StringIO())
    states = set(MonthlyReport.objects.values_list("status", flat=True))
    assert states == {"draft", "submitted", "returned", "accepted"}
    assert MonthlyReport.objects.get(status="returned").review_comment
    assert any(row.late for row in reports_month(year=LAST.year, month=LAST.month,
                                                 on=datetime.date(THIS_MONTH.year, THIS_MONTH.month, 6)))
    count = MonthlyReport.objects.count()
    assert load_reports() == 0 and MonthlyReport.objects.count() == count
