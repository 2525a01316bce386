"""The dashboard's figures on known data, its SVG chart, and the summary panel on the admin home."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint, State
from staff.charts import weekly_chart_svg
from staff.selectors import complaint_dashboard, queue_summary

pytestmark = pytest.mark.django_db


def _at(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


def _set(complaint, **fields):
    Complaint.objects.filter(pk=complaint.pk).update(**fields)
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def known(submit, other_township):
    """三工镇: two closed (one on time, one late), one transferred, one overdue, one waiting.
    Another township: one closed on time, one waiting from 13 weeks ago (outside the trend)."""
    today = timezone.localdate()
    far_village = other_township.children.order_by("code").first()
    past = today - datetime.timedelta(days=1)
    c = {
        "on_time": _set(submit(), state=State.CLOSED, submitted_at=_at(20), closed_at=_at(0), closed_on_time=True,
                        due_on=None),
        "late": _set(submit(), state=State.CLOSED, submitted_at=_at(75), closed_at=_at(7), closed_on_time=False,
                     due_on=None),
        "transferred": _set(submit(), state=State.TRANSFERRED, submitted_at=_at(1), closed_at=_at(0), due_on=None,
                            closed_on_time=False),
        "overdue": _set(submit(), state=State.INVESTIGATING, submitted_at=_at(70), finish_due=past, due_on=past),
        "waiting": submit(),
        "far_closed": _set(submit(place_village=far_village), state=State.CLOSED, submitted_at=_at(35),
                           closed_at=_at(21), closed_on_time=True, due_on=None),
        "far_old": _set(submit(place_village=far_village), submitted_at=_at(95)),
    }
    return c


def test_figures(city_user, known, township, other_township):
    data = complaint_dashboard(user=city_user)
    assert data.total == 7 and data.open == 3 and data.finished == 4 and data.overdue == 1
    assert data.counts_by_state[State.CLOSED] == 3 and data.counts_by_state[State.SUBMITTED] == 2
    rows = {row.township.pk: row for row in data.townships}
    sangong, far = rows[township.pk], rows[other_township.pk]
    assert sangong.total == 5 and sangong.open == 2 and sangong.overdue == 1
    assert sangong.awaiting == 1 and sangong.in_hand == 1 and far.awaiting == 1
    # on-time rate: closed on or before the deadline / closed (a transfer is not a closing)
    assert (sangong.closed_on_time, sangong.closed_counted, sangong.on_time_rate) == (1, 2, 0.5)
    assert (far.closed_on_time, far.closed_counted, far.on_time_rate) == (1, 1, 1.0)
    assert data.on_time_rate == pytest.approx(2 / 3)


def test_weekly_trend(city_user, known):
    weeks = complaint_dashboard(user=city_user).weeks
    assert len(weeks) == 12
    today = timezone.localdate()
    assert weeks[-1].start == today - datetime.timedelta(days=today.weekday())
    assert all((b.start - a.start).days == 7 for a, b in zip(weeks, weeks[1:], strict=False))

    def week_of(days_ago):
        day = timezone.localtime(_at(days_ago)).date()
        return next(w for w in weeks if w.start <= day < w.start + datetime.timedelta(days=7))

    # received: 20, 75, 1, 70 days ago and the two today (95 days ago is outside); closed: 0, 7, 0, 21
    assert sum(w.received for w in weeks) == 6
    assert sum(w.closed for w in weeks) == 4
    assert week_of(75).received >= 1 and week_of(21).closed >= 1


def test_township_scope(township_user, village_user, known, other_township):
    data = complaint_dashboard(user=township_user)
    assert data.total == 5 and [row.township.code for row in data.townships] == ["652301101"]
    assert complaint_dashboard(user=village_user).total == 5  # every test complaint is in the test village


def test_view_and_chart(login, township_user, known):
    response = login(township_user).get(reverse("triage:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg class="staff-chart"' in html and "<script" not in html.split("staff-dashboard")[1].split("</main>")[0]
    assert "每周收到和办结的投诉举报" in html
    assert "50%" in html and "1/2" in html
    assert "三工镇" in html


def test_chart_is_self_contained_and_escaped():
    from staff.selectors import WeekPoint

    weeks = [WeekPoint(start=datetime.date(2026, 9, 7) + datetime.timedelta(weeks=i), received=i, closed=i // 2)
             for i in range(12)]
    svg = str(weeks and weekly_chart_svg(weeks))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert len(re.findall(r'<rect class="staff-chart-received"', svg)) == 13  # 12 bars and the legend
    assert "<desc" in svg and "收到11件" in svg
    empty = weekly_chart_svg([WeekPoint(start=datetime.date(2026, 9, 7))])
    assert "NaN" not in str(empty)


def test_home_panel(login, township_user, village_user, known):
    summary = queue_summary(user=township_user)
    assert (summary.awaiting, summary.open, summary.overdue, summary.mine) == (1, 2, 1, 0)
    html = login(township_user).get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="complaints-summary-section"' in html and reverse("triage:index") in html
    assert "打开办理队列" in html


def test_home_panel_absent_without_permission(login, db, staff_groups):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(username="editor")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    html = login(user).get(reverse("wagtailadmin_home")).content.decode()
    assert "complaints-summary" not in html


# --- every township, columns that add up, a period, satisfaction, export -----------------------------------

def test_every_township_in_scope_has_a_row_even_without_complaints(city_user, township_user, submit, grids):
    submit()  # in 三工镇
    rows = {row.township.name: row for row in complaint_dashboard(user=city_user).townships if row.township}
    assert len(rows) == 10 and rows["三工镇"].total == 1
    assert rows["硫磺沟镇"].total == 0 and rows["硫磺沟镇"].finished == 0 and rows["硫磺沟镇"].satisfaction is None
    # a township supervisor still sees only their own
    assert [r.township.name for r in complaint_dashboard(user=township_user).townships] == ["三工镇"]


def test_columns_add_up_to_the_total_and_the_total_row_to_the_rows(city_user, known):
    data = complaint_dashboard(user=city_user)
    for row in [*data.townships, data.total_row]:
        assert row.awaiting + row.in_hand + row.finished == row.total
    for column in ("total", "awaiting", "in_hand", "finished", "overdue", "closed_counted", "closed_on_time",
                   "rated", "satisfied"):
        assert getattr(data.total_row, column) == sum(getattr(r, column) for r in data.townships), column
    assert data.total_row.total == data.total == 7


def test_period_counts_complaints_received_in_it(city_user, known, login):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=30)
    data = complaint_dashboard(user=city_user, start=start, end=today)
    # received in the last 30 days: on_time (20), transferred (1), waiting (0)
    assert data.total == 3 and data.total_row.total == 3
    html = login(city_user).get(reverse("triage:dashboard") + f"?start={start}&end={today}").content.decode()
    assert f'value="{start.isoformat()}"' in html and "统计期间" in html
    bad = login(city_user).get(reverse("triage:dashboard") + "?start=2026-13-01")
    assert "请按“年-月-日”填写日期" in bad.content.decode()


def test_satisfaction_share_from_ratings(city_user, known, township, login):
    _set(known["on_time"], rating=5)
    _set(known["late"], rating=1)
    _set(known["far_closed"], rating=3)
    data = complaint_dashboard(user=city_user)
    rows = {row.township.pk: row for row in data.townships if row.township}
    assert (rows[township.pk].rated, rows[township.pk].satisfied, rows[township.pk].satisfaction) == (2, 1, 0.5)
    assert data.total_row.rated == 3 and data.total_row.satisfaction == pytest.approx(2 / 3)
    html = login(city_user).get(reverse("triage:dashboard")).content.decode()
    assert "满意率" in html and "67%" in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_of_the_township_table(city_user, known, login, fmt):
    import csv
    import io

    from openpyxl import load_workbook

    response = login(city_user).get(reverse("triage:dashboard") + f"?export={fmt}")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        rows = [["" if v is None else str(v) for v in r]
                for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] == "乡镇")
    assert header[:5] == ["乡镇", "合计", "待受理", "办理中", "已结束"]
    names = [r[0] for r in rows]
    assert "硫磺沟镇" in names and "三工镇" in names and "全部合计" in names
    total = next(r for r in rows if r[0] == "全部合计")
    assert int(float(total[1])) == 7
