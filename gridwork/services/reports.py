"""Monthly report upward (信息报送, the plan 四(三)): a township drafts its month's report from the records,
adds its own words and submits it; the city returns it with a comment or accepts it.

Figures are recomputed while the report is a draft or returned and frozen when it is submitted, so an
accepted report never changes. Township staff act on their own township's reports only; the city reviews.
A report is due by GRIDWORK_REPORT_DUE_DAY of the next month; after that a township without one is named.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.models import Grid
from portal.auth import display_name

from .. import conf
from ..models import MonthlyReport, MonthlyReportEvent, ReportAction, ReportStatus
from .month_figures import month_bounds, month_figures
from .scope import GridworkPermissionDenied, is_city, require_township, townships_for

TEXT_FIELDS = ("work_done", "problems", "next_steps")
TEXT_MAX = 4000
COMMENT_MAX = 2000


class ReportError(ValidationError):
    """The report cannot take this step; the message says why."""


def _period(year: int, month: int) -> str:
    return _("%(year)d年%(month)d月") % {"year": year, "month": month}


def report_due_on(year: int, month: int) -> datetime.date:
    """The last day a month's report is on time: GRIDWORK_REPORT_DUE_DAY of the next month."""
    return month_bounds(year, month)[1].replace(day=conf.get("GRIDWORK_REPORT_DUE_DAY"))


def month_has_ended(year: int, month: int, on: datetime.date | None = None) -> bool:
    return (on or timezone.localdate()) >= month_bounds(year, month)[1]


def last_due_month(on: datetime.date | None = None) -> tuple[int, int]:
    """The latest month whose report is past due on a day (the month before last until the due day has passed)."""
    on = on or timezone.localdate()
    first = on.replace(day=1)
    back = 1 if on > report_due_on(*_previous(first.year, first.month)) else 2
    year, month = first.year, first.month
    for _n in range(back):
        year, month = _previous(year, month)
    return year, month


def _previous(year: int, month: int) -> tuple[int, int]:
    return (year, month - 1) if month > 1 else (year - 1, 12)


# --- who may act -----------------------------------------------------------------------------------------

def require_reporter(user, township) -> None:
    """Township staff holding the submit permission, on their own township."""
    if is_city(user):
        raise GridworkPermissionDenied(_("月报由乡镇网格起草和报送，市级网格负责退回或采纳。"))
    if not user.has_perm("gridwork.submit_monthlyreport"):
        raise GridworkPermissionDenied(_("您没有起草和报送月报的权限。"))
    require_township(user, township)


def require_reviewer(user) -> None:
    """The city's staff holding the review permission."""
    if not (is_city(user) and user.has_perm("gridwork.review_monthlyreport")):
        raise GridworkPermissionDenied(_("月报由市级网格审核，乡镇不能退回或采纳。"))


def _clean_texts(texts: dict) -> dict:
    cleaned = {}
    labels = {f.name: f.verbose_name for f in MonthlyReport._meta.fields if f.name in TEXT_FIELDS}
    for name in TEXT_FIELDS:
        if name not in texts:
            continue
        value = (texts[name] or "").replace("\x00", "").replace("\r\n", "\n").strip()
        if len(value) > TEXT_MAX:
            raise ReportError({name: [_("%(label)s不能超过%(max)d个字（现在%(n)d个）。") % {
                "label": labels[name], "max": TEXT_MAX, "n": len(value)}]})
        cleaned[name] = value
    return cleaned


def _locked(report: MonthlyReport) -> MonthlyReport:
    return MonthlyReport.objects.select_for_update().select_related("township").get(pk=report.pk)


def _log(report, action, user, comment=""):
    MonthlyReportEvent.objects.create(report=report, action=action, user=user, user_name=display_name(user),
                                      comment=comment)


def _not_editable(report) -> ReportError:
    if report.status == ReportStatus.ACCEPTED:
        return ReportError(_("这份月报已被市级网格采纳，不能再修改。"))
    return ReportError(_("这份月报已经报送，正在等待市级网格审核，不能再修改；如需修改，请联系市级网格退回。"))


def _refresh(report) -> None:
    report.figures = month_figures(year=report.year, month=report.month, township_ids=[report.township_id])[
        report.township_id]
    report.figures_at = timezone.now()


# --- the steps -----------------------------------------------------------------------------------------------

@transaction.atomic
def report_draft(*, user, township: Grid, year: int, month: int) -> MonthlyReport:
    """起草: the township's report of a month, created with the month's figures, or its figures refreshed
    while it is a draft or returned."""
    require_reporter(user, township)
    if not (isinstance(year, int) and isinstance(month, int) and 2000 <= year <= 2100 and 1 <= month <= 12):
        raise ReportError(_("月份无效。"))
    if month_bounds(year, month)[0] > timezone.localdate():
        raise ReportError(_("%(period)s还没有开始，不能起草这个月的月报。") % {"period": _period(year, month)})
    report, created = MonthlyReport.objects.select_for_update().get_or_create(township=township, year=year,
                                                                              month=month)
    if not report.is_editable:
        raise _not_editable(report)
    _refresh(report)
    report.save()
    if created:
        _log(report, ReportAction.DRAFT, user)
    return report


@transaction.atomic
def report_save(*, user, report: MonthlyReport, texts: dict) -> MonthlyReport:
    """Save the township's own words (工作开展情况, 存在问题, 下步打算) while the report is a draft or returned."""
    require_reporter(user, report.township)
    locked = _locked(report)
    if not locked.is_editable:
        raise _not_editable(locked)
    for name, value in _clean_texts(texts).items():
        setattr(locked, name, value)
    locked.save()
    report.refresh_from_db()
    return report


@transaction.atomic
def report_submit(*, user, report: MonthlyReport, texts: dict | None = None) -> MonthlyReport:
    """报送: the township sends its report up once the month has ended; the figures are computed afresh and
    frozen. `texts`, when given, are saved with it (all or nothing)."""
    require_reporter(user, report.township)
    locked = _locked(report)
    if locked.status == ReportStatus.SUBMITTED:
        raise ReportError(_("这份月报已经报送，正在等待市级网格审核。"))
    if locked.status == ReportStatus.ACCEPTED:
        raise ReportError(_("这份月报已被市级网格采纳，不能再次报送。"))
    if not month_has_ended(locked.year, locked.month):
        raise ReportError(_("%(period)s还没有结束，月底之后才能报送这个月的月报。") % {
            "period": _period(locked.year, locked.month)})
    for name, value in _clean_texts(texts or {}).items():
        setattr(locked, name, value)
    if not locked.work_done:
        raise ReportError({"work_done": [_("请填写本月工作开展情况后再报送。")]})
    _refresh(locked)
    locked.status = ReportStatus.SUBMITTED
    locked.submitted_by, locked.submitted_by_name, locked.submitted_at = user, display_name(user), timezone.now()
    locked.save()
    _log(locked, ReportAction.SUBMIT, user)
    report.refresh_from_db()
    return report


def _require_submitted(report) -> None:
    if report.status == ReportStatus.SUBMITTED:
        return
    if report.status == ReportStatus.DRAFT:
        raise ReportError(_("这份月报乡镇还没有报送，不能退回或采纳。"))
    if report.status == ReportStatus.RETURNED:
        raise ReportError(_("这份月报已退回乡镇修改，等乡镇重新报送后再审核。"))
    raise ReportError(_("这份月报已经采纳，不能再退回或重复采纳。"))


@transaction.atomic
def report_return(*, user, report: MonthlyReport, comment: str) -> MonthlyReport:
    """退回: the city sends a submitted report back to the township with a comment saying what to change."""
    require_reviewer(user)
    locked = _locked(report)
    _require_submitted(locked)
    comment = (comment or "").replace("\x00", "").strip()
    if not comment:
        raise ReportError({"comment": [_("退回月报时请填写退回意见，说明需要补充或修改的内容。")]})
    if len(comment) > COMMENT_MAX:
        raise ReportError({"comment": [_("退回意见不能超过%(max)d个字。") % {"max": COMMENT_MAX}]})
    locked.status, locked.review_comment = ReportStatus.RETURNED, comment
    locked.reviewed_by, locked.reviewed_by_name, locked.reviewed_at = user, display_name(user), timezone.now()
    locked.save()
    _log(locked, ReportAction.RETURN, user, comment)
    report.refresh_from_db()
    return report


@transaction.atomic
def report_accept(*, user, report: MonthlyReport, comment: str = "") -> MonthlyReport:
    """采纳: the city accepts a submitted report; its figures and words stay as they are for good."""
    require_reviewer(user)
    locked = _locked(report)
    _require_submitted(locked)
    comment = (comment or "").replace("\x00", "").strip()[:COMMENT_MAX]
    locked.status, locked.review_comment = ReportStatus.ACCEPTED, comment
    locked.reviewed_by, locked.reviewed_by_name, locked.reviewed_at = user, display_name(user), timezone.now()
    locked.save()
    _log(locked, ReportAction.ACCEPT, user, comment)
    report.refresh_from_db()
    return report


# --- reading ---------------------------------------------------------------------------------------------------

def report_figures(report: MonthlyReport) -> dict:
    """What the report shows: the live figures while the township may still change it, the frozen ones after."""
    if report.is_editable:
        return month_figures(year=report.year, month=report.month, township_ids=[report.township_id])[
            report.township_id]
    return report.figures


def reports_visible_to(user):
    """The reports of the townships a user keeps (all for the city)."""
    return MonthlyReport.objects.filter(township__in=townships_for(user)).select_related("township")


@dataclass
class MonthRow:
    """One township in a month: its report (None when it has not drafted one) and whether it is late."""

    township: Grid
    year: int
    month: int
    report: MonthlyReport | None
    late: bool

    @property
    def reported(self) -> bool:
        return self.report is not None and self.report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report else _("未起草")


def reports_month(*, year: int, month: int, townships=None, on: datetime.date | None = None) -> list[MonthRow]:
    """Every township (those given, all by default) in a month with its report; a township that has not sent
    its report up by the due day is late. Two queries."""
    on = on or timezone.localdate()
    townships = list(townships if townships is not None else Grid.objects.townships().in_order())
    reports = {r.township_id: r for r in MonthlyReport.objects.for_month(year, month)
               .filter(township__in=[t.pk for t in townships])}
    past_due = on > report_due_on(year, month)
    rows = []
    for township in townships:
        report = reports.get(township.pk)
        row = MonthRow(township=township, year=year, month=month, report=report, late=False)
        row.late = past_due and not row.reported
        rows.append(row)
    return rows


def reports_missing(*, on: datetime.date | None = None) -> tuple[int, int, list[MonthRow]]:
    """The latest month past its due day and the townships that have not reported it."""
    year, month = last_due_month(on)
    return year, month, [row for row in reports_month(year=year, month=month, on=on) if row.late]


def reports_year(*, township: Grid, year: int, on: datetime.date | None = None) -> list[MonthRow]:
    """A township's months of a year that have begun, latest first, each with its report. One query."""
    on = on or timezone.localdate()
    reports = {r.month: r for r in MonthlyReport.objects.filter(township=township, year=year)}
    rows = []
    for month in range(12, 0, -1):
        if month_bounds(year, month)[0] > on:
            continue
        row = MonthRow(township=township, year=year, month=month, report=reports.get(month), late=False)
        row.late = on > report_due_on(year, month) and not row.reported
        rows.append(row)
    return rows
