"""The dashboard's township table as CSV or XLSX: the lines shown on screen and the 全部合计 line."""

import csv
import io

from django.utils.translation import gettext as _t


def _share(value) -> float | str:
    return "" if value is None else round(value, 4)


def dashboard_table(data) -> tuple[str, list[str], list[list]]:
    """Title, header and lines of the township table (the last line is the total)."""
    if data.start or data.end:
        period = _t("%(start)s至%(end)s收到") % {"start": data.start.isoformat() if data.start else "…",
                                              "end": data.end.isoformat() if data.end else "…"}
    else:
        period = _t("全部")
    title = _t("投诉举报统计（%(period)s，统计至%(on)s）") % {"period": period, "on": data.on.isoformat()}
    header = [_t("县（市）") if data.by_county else _t("乡镇"), _t("合计"), _t("待受理"), _t("办理中"), _t("已结束"), _t("已超期"), _t("按期办结"),
              _t("审核办结"), _t("按期办结率"), _t("评价件数"), _t("满意"), _t("满意率")]

    def line(name, row):
        return [name, row.total, row.awaiting, row.in_hand, row.finished, row.overdue, row.closed_on_time,
                row.closed_counted, _share(row.on_time_rate), row.rated, row.satisfied, _share(row.satisfaction)]

    lines = [line(row.township.name if row.township else _t("市级网格（待分派）"), row) for row in data.townships]
    lines.append(line(_t("全部合计"), data.total_row))
    return title, header, lines


def dashboard_csv(data) -> bytes:
    title, header, lines = dashboard_table(data)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title])
    writer.writerow(header)
    writer.writerows(lines)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # with a BOM, so that Excel reads it as UTF-8


def dashboard_xlsx(data) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .coverage import xlsx_bytes

    title, header, lines = dashboard_table(data)
    book = Workbook()
    sheet = book.active
    sheet.title = _t("各乡镇情况")
    sheet.append([title])
    sheet["A1"].font = Font(size=14, bold=True)
    sheet.append(header)
    for line in lines:
        sheet.append(line)
    for row in (sheet[2], sheet[sheet.max_row]):
        for cell in row:
            cell.font = Font(bold=True)
    for column in ("I", "L"):
        for cell in sheet[column][2:]:
            cell.number_format = "0%"
    sheet.column_dimensions["A"].width = 22
    sheet.freeze_panes = "B3"
    return xlsx_bytes(book)
