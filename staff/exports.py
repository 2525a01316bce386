"""Exports of the triage queue (CSV and XLSX), made in the request or, for a long list (a year's
complaints, say), by the task worker as a background job the user follows and downloads from."""

import csv
import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_noop

from complaints.selectors import complaint_export_rows
from portal.jobs import JobFailed, JobOutput, background_job
from portal.spreadsheets import XLSX_TYPE

EXPORT_KIND = "staff.complaint_export"
# A queue longer than this is exported by the worker (an XLSX of 2,000 complaints takes a few seconds).
EXPORT_BACKGROUND_ROWS = 2000
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}


def complaints_file(*, queryset, user, fmt: str, on: datetime.date | None = None,
                    progress=None) -> tuple[str, bytes, int]:
    """(file name, content, number of complaints) of those in `queryset` that `user` may see, as CSV or
    XLSX; `progress(done, total)` as the rows are read."""
    on = on or timezone.localdate()
    header, rows = complaint_export_rows(queryset=queryset, user=user, on=on, progress=progress)
    name = f"complaints-{on:%Y%m%d}.{fmt}"
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")  # a BOM, so that Excel opens the Chinese text as UTF-8
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows([_safe_cell(v) for v in row] for row in rows)
        return name, out.getvalue().encode(), len(rows)
    return name, _xlsx(header, rows), len(rows)


@background_job
def complaint_export_job(job, progress) -> JobOutput:
    """Export the queue as its filters were when the user asked (job.params: the query string and the
    format), seen with the permissions the user has now."""
    from .views.queue import queue_queryset

    fmt = job.params.get("fmt")
    if fmt not in CONTENT_TYPES:
        raise JobFailed(gettext_noop("导出格式无效。"))
    if job.started_by is None or not job.started_by.has_perm("complaints.export_complaint"):
        raise JobFailed(gettext_noop("您已没有导出投诉举报的权限。"))
    queryset = queue_queryset(user=job.started_by, query=job.params.get("query", ""))
    name, content, count = complaints_file(queryset=queryset, user=job.started_by, fmt=fmt, progress=progress)
    return JobOutput(filename=name, content=content, message=gettext_noop("共导出 %(count)d 件投诉举报。"),
                     params={"count": count})


def _safe_cell(value):
    """Text that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _xlsx(header: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _t("投诉举报")
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(["" if v is None else str(v) for v in row])
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # never a formula
    sheet.freeze_panes = "A2"
    for index, title in enumerate(header, start=1):
        width = 40 if title in (_t("问题描述"),) else max(10, min(24, len(title) * 2 + 4))
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

