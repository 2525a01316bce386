"""A monthly report as a PDF (print template through portal.pdf) and as XLSX, and a month of every township
as one XLSX sheet (one row per township)."""

import io

from django.contrib.staticfiles import finders
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.pdf import render_pdf

from ..models import MonthlyReport
from .month_figures import FIGURES, figure_rows, month_figures, on_time_share
from .reports import report_due_on, report_figures

STYLESHEET = "css/print-reports.css"


def _stylesheet() -> str:
    """Inlined, as the other print templates' are: hashed static names do not resolve to files in production."""
    path = finders.find(STYLESHEET)
    return open(path, encoding="utf-8").read() if path else ""


def _colon() -> str:
    return ": " if (get_language() or "").startswith("en") else "："


def _share(value) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def report_pdf(report: MonthlyReport) -> bytes:
    """The report on A4: heading, status, figures table, the township's words and the review."""
    figures = report_figures(report)
    return render_pdf("print/monthly_report.html", {
        "stylesheet": _stylesheet(), "report": report, "sections": figure_rows(figures), "live": report.is_editable, "printed_at": timezone.localtime(),
        "COLON": _colon()})


def _xlsx_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def report_xlsx(report: MonthlyReport) -> bytes:
    """One report as a sheet: facts, then 指标 / 数值 rows by section, then the township's words."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    figures = report_figures(report)
    book = Workbook()
    sheet = book.active
    sheet.title = _("月报")
    sheet.append([_("%(township)s %(period)s农产品质量安全网格化监管工作月报") % {
        "township": report.township.name, "period": report.period_label}])
    sheet["A1"].font = Font(size=14, bold=True)
    sheet.append([_("状态"), report.get_status_display()])
    sheet.append([_("报送人"), report.submitted_by_name, _("报送时间"), _when(report.submitted_at)])
    sheet.append([_("审核人"), report.reviewed_by_name, _("审核时间"), _when(report.reviewed_at)])
    if report.is_editable:
        sheet.append([_("数据为实时统计，报送时固定。")])
    sheet.append([])
    sheet.append([_("类别"), _("指标"), _("数值")])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for section in figure_rows(figures):
        for row in section["rows"]:
            sheet.append([str(section["section"]), str(row["label"]), row["value"]])
    sheet.append([])
    for name in ("work_done", "problems", "next_steps", "review_comment"):
        value = getattr(report, name)
        if name == "review_comment" and not value:
            continue
        sheet.append([str(MonthlyReport._meta.get_field(name).verbose_name), value])
        sheet.merge_cells(start_row=sheet.max_row, start_column=2, end_row=sheet.max_row, end_column=4)
        sheet.cell(sheet.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (14, 28, 14, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    return _xlsx_bytes(book)


def month_xlsx(*, year: int, month: int, rows) -> bytes:
    """Every township's report of a month, one row each: status, who and when, and the figures — frozen for
    a report sent up, counted now (and said so) for one that was not."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    live_ids = [r.township.pk for r in rows if not (r.report and not r.report.is_editable)]
    live = month_figures(year=year, month=month, township_ids=live_ids)
    book = Workbook()
    sheet = book.active
    sheet.title = _("%(year)d年%(month)d月") % {"year": year, "month": month}
    sheet.append([_("%(year)d年%(month)d月各乡镇月报报送情况（应于%(due)s前报送）") % {
        "year": year, "month": month, "due": report_due_on(year, month).isoformat()}])
    sheet["A1"].font = Font(size=14, bold=True)
    labels = [str(label) for _section, items in FIGURES for _key, label in items]
    sheet.append([_("乡镇"), _("状态"), _("逾期未报送"), _("报送人"), _("报送时间"), _("审核人"), _("审核时间"),
                  _("数据来源"), *labels, _("按期办结率")])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    keys = [key for _section, items in FIGURES for key, _label in items]
    for row in rows:
        report = row.report
        frozen = report is not None and not report.is_editable
        figures = report.figures if frozen else live[row.township.pk]
        sheet.append([row.township.name, row.status_label, _("是") if row.late else "",
                      report.submitted_by_name if report else "", _when(report and report.submitted_at),
                      report.reviewed_by_name if report else "", _when(report and report.reviewed_at),
                      _("报送时固定") if frozen else _("实时统计"),
                      *[figures.get(k) for k in keys], _share(on_time_share(figures))])
    sheet.column_dimensions["A"].width = 14
    sheet.freeze_panes = "B3"
    return _xlsx_bytes(book)

