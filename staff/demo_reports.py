"""Demo data for the monthly reports upward (信息报送): every township's reports of the last four months that
have ended, in all states — accepted, one returned with the city's comment, some submitted and waiting,
drafts, and some not reported at all. Runs once."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

PROBLEMS = ["部分协管员对速测结果的上报不够及时。", "个别生产主体生产记录不完整，仍需督促。",
            "监管站速测试剂储备不足，已申请补充。", ""]
NEXT = ["下月重点抽检设施蔬菜，继续做好整改复查。", "组织协管员开展一次投入品使用培训。",
        "对整改中的主体逐户复查，按期办结投诉举报。"]
RETURN_COMMENT = "速测样品数与监管站台账不一致，请核实后补充说明阳性样品的处置情况再报送。"


def _months_back(today: datetime.date, n: int) -> tuple[int, int]:
    year, month = today.year, today.month - n
    while month < 1:
        year, month = year - 1, month + 12
    return year, month


def _work_done(figures: dict) -> str:
    return (f"本月开展日常巡查{figures['inspections']}次，覆盖生产主体{figures['producers_inspected']}家；"
            f"快速检测样品{figures['samples_tested']}份"
            + (f"，阳性或可疑{figures['positives']}项次，已跟进处置{figures['positives_followed']}项次；"
               if figures["positives"] else "，未发现阳性；")
            + f"下达整改通知{figures['rectifications_ordered']}份，整改到位{figures['rectifications_closed']}份；"
            f"收到投诉举报{figures['complaints_received']}件，办结{figures['complaints_finished']}件。")


def _plan(index: int, back: int) -> str:
    """What township `index` did with the report of `back` months ago: accepted, returned, submitted,
    draft or none."""
    if back >= 3:
        return "none" if (back, index) == (3, 8) else "accepted"
    if back == 2:
        return {8: "none", 9: "draft", 4: "submitted"}.get(index, "accepted")
    return {0: "accepted", 1: "returned", 2: "submitted", 3: "submitted", 4: "submitted", 5: "draft"}.get(index, "none")


def _backdate(report, month_end: datetime.date, index: int) -> None:
    """Put the submission and review on plausible days of the next month instead of today."""
    from gridwork.models import MonthlyReport, MonthlyReportEvent

    start = timezone.make_aware(datetime.datetime.combine(month_end, datetime.time(9, 30)))
    submitted = start + datetime.timedelta(days=1 + index % 4, hours=index % 5)
    reviewed = submitted + datetime.timedelta(days=1, hours=2)
    fields = {"submitted_at": submitted} if report.submitted_at else {}
    if report.reviewed_at:
        fields["reviewed_at"] = reviewed
    now = timezone.now()
    if all(value < now for value in fields.values()):
        MonthlyReport.objects.filter(pk=report.pk).update(**fields)
        for event in report.events.all():
            at = {"draft": submitted - datetime.timedelta(hours=3), "submit": submitted}.get(event.action, reviewed)
            MonthlyReportEvent.objects.filter(pk=event.pk).update(at=at)


@transaction.atomic
def load_reports(out=None) -> int:
    """The last four ended months' reports of every township; returns how many were made (0 if done)."""
    from gridwork.models import MonthlyReport
    from gridwork.services.reports import report_accept, report_draft, report_return, report_submit
    from gridwork.services.scope import gridwork_permissions_grant

    from .demo_inspections import townships

    if MonthlyReport.objects.exists():
        return 0
    gridwork_permissions_grant()
    boss = get_user_model().objects.filter(username="city_admin").first()
    if boss is None:
        return 0
    today = timezone.localdate()
    made = 0
    for index, township in enumerate(townships().values()):
        user = township.supervisor
        if user is None:
            continue
        for back in (4, 3, 2, 1):
            plan = _plan(index, back)
            if plan == "none":
                continue
            year, month = _months_back(today, back)
            report = report_draft(user=user, township=township.grid, year=year, month=month)
            made += 1
            texts = {"work_done": _work_done(report.figures), "problems": PROBLEMS[(index + back) % len(PROBLEMS)],
                     "next_steps": NEXT[(index + back) % len(NEXT)]}
            if plan == "draft":
                MonthlyReport.objects.filter(pk=report.pk).update(problems=texts["problems"])
                continue
            report_submit(user=user, report=report, texts=texts)
            if plan == "returned":
                report_return(user=boss, report=report, comment=RETURN_COMMENT)
            elif plan == "accepted":
                report_accept(user=boss, report=report, comment="" if index % 3 else "数据完整，情况属实。")
            month_end = datetime.date(year + (month == 12), month % 12 + 1, 1)
            _backdate(report, month_end, index)
    if out is not None:
        out.write(f"monthly reports: {made}\n")
    return made
