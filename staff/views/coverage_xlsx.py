"""The coverage figures (巡查频次达标) as an XLSX workbook: the townships with the city total and month
columns; the traceability-platform coverage; for a township, its villages and overdue visits."""

from django.utils.translation import gettext as _t

MONTHS = range(1, 13)


def _share(value) -> float | None:
    return None if value is None else round(value, 4)


def coverage_xlsx(*, figures, trace, detail, status_words) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from .coverage import xlsx_bytes

    book = Workbook()
    sheet = book.active
    sheet.title = _t("频次达标")
    sheet.append([_t("%(year)d年日常巡查频次达标情况（统计至%(on)s）") % {"year": figures.year,
                                                                  "on": figures.on.isoformat()}])
    sheet["A1"].font = Font(size=14, bold=True)
    header = [_t("乡镇"), _t("状态"), _t("主体数"), _t("需巡查主体"), _t("应巡查次数"), _t("计划次数"),
              _t("完成次数"), _t("达标主体"), _t("达标率"), _t("逾期主体"), _t("逾期次数"), _t("快速检测"),
              _t("阳性或可疑"), _t("整改中"), _t("整改逾期")]
    header += [_t("%(m)d月计划") % {"m": m} for m in MONTHS] + [_t("%(m)d月完成") % {"m": m} for m in MONTHS]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")

    def line(name, row):
        return ([name, status_words(row), row.producers, row.producers_required, row.required, row.planned,
                 row.done, row.producers_at_frequency, _share(row.share_at_frequency), row.overdue_producers,
                 row.overdue_visits, row.rapid_tests, row.rapid_positive, row.open_rectifications,
                 row.overdue_rectifications]
                + [m.planned for m in row.months] + [m.done for m in row.months])

    for row in figures.townships:
        sheet.append(line(row.township.name, row))
    sheet.append(line(_t("全市合计"), figures.city))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=3, min_col=9, max_col=9):
        for cell in row:
            cell.number_format = "0%"
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 30
    for index in range(3, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 9
    sheet.freeze_panes = "C3"

    tsheet = book.create_sheet(_t("追溯平台覆盖"))
    tsheet.append([_t("乡镇"), _t("应纳入追溯平台的主体"), _t("已在平台"), _t("未在平台"), _t("覆盖率")])
    for row in trace:
        tsheet.append([row.township.name, row.required, row.on_platform, row.missing, _share(row.share)])
    for cell in tsheet[1]:
        cell.font = Font(bold=True)
    for row in tsheet.iter_rows(min_row=2, min_col=5, max_col=5):
        for cell in row:
            cell.number_format = "0%"
    tsheet.column_dimensions["A"].width = 14
    tsheet.column_dimensions["B"].width = 22

    if detail is not None:
        vsheet = book.create_sheet(_t("各村"))
        vsheet.append([_t("村"), _t("主体数"), _t("需巡查主体"), _t("应巡查次数"), _t("完成次数"), _t("达标主体"),
                       _t("达标率")])
        for v in detail["villages"]:
            vsheet.append([v["village"].name, v["producers"], v["producers_required"], v["required"], v["done"],
                           v["producers_at_frequency"], _share(v["share"])])
        osheet = book.create_sheet(_t("逾期未巡查"))
        osheet.append([_t("生产主体"), _t("公示编码"), _t("村"), _t("计划月份"), _t("原因"), _t("负责人")])
        for visit in detail["overdue"]:
            osheet.append([visit.producer.name, visit.producer.code, visit.producer.village.name, visit.month,
                           visit.reason, visit.assignee_name])
        for ws in (vsheet, osheet):
            for cell in ws[1]:
                cell.font = Font(bold=True)
            ws.column_dimensions["A"].width = 28
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
                    cell.value = "'" + cell.value  # never a formula
    return xlsx_bytes(book)
