"""The roster export: one row per grid, written as CSV, XLSX or PDF in the plan's layout."""

import csv
import datetime
import io
from dataclasses import dataclass

from django.utils import timezone

from ...models import Grid, GridLevel
from ..grids import VACANT, grid_map_load
from .layout import (
    COLUMN_COUNT,
    HEADER_MERGES,
    HEADER_ROWS,
    NOTE_COLUMN,
    ROLE_COLUMNS,
    ROLES_OF_LEVEL,
    ROSTER_TITLE,
)


@dataclass
class RosterRow:
    """One grid's row of the roster."""

    number: int
    grid: Grid
    place: str
    people: dict[str, list[tuple[str, str, str]]]  # role → [(name, position, phone)]
    note: str = ""

    @property
    def level(self) -> str:
        return self.grid.level

    def cells(self) -> list[str]:
        cells = [str(self.number), self.place] + [""] * (COLUMN_COUNT - 2)
        for role, (name_col, position_col, phone_col) in ROLE_COLUMNS.items():
            holders = self.people.get(role)
            if holders is None:  # not a role of this row's level
                continue
            if not holders:  # nobody holds it: say so (and the import reads it back as no change)
                cells[phone_col if name_col is None else name_col] = VACANT
                continue
            if name_col is None:
                cells[phone_col] = "\n".join(f"{name} {phone}".strip() for name, _pos, phone in holders)
            else:
                cells[name_col] = "\n".join(name for name, _pos, _phone in holders)
                cells[position_col] = "\n".join(position for _name, position, _phone in holders)
                cells[phone_col] = "\n".join(phone for _name, _pos, phone in holders)
        cells[NOTE_COLUMN] = self.note
        return cells

    @property
    def display(self) -> list[list[dict]]:
        """The eight people columns for a web page: each a list of lines; phones become tel: links."""
        cells: list[list[dict]] = [[] for _ in range(2, NOTE_COLUMN)]
        for role, (name_col, position_col, phone_col) in ROLE_COLUMNS.items():
            if self.people.get(role) == []:
                cells[(phone_col if name_col is None else name_col) - 2].append({"vacant": True})
            for name, position, phone in self.people.get(role) or []:
                if name_col is None:
                    cells[phone_col - 2].append({"name": name, "phone": phone})
                else:
                    cells[name_col - 2].append({"text": name})
                    cells[position_col - 2].append({"text": position})
                    cells[phone_col - 2].append({"phone": phone})
        return cells


def roster_rows(*, public: bool = True, hotline: str = "", on: datetime.date | None = None) -> list[RosterRow]:
    """The roster's rows in tree order, from two queries. With public=True an unpublished phone shows
    the complaints hotline instead (as on every public page)."""
    gmap = grid_map_load(on=on, producer_counts=False)
    rows = []
    if gmap.root is None:
        return rows
    for number, node in enumerate(gmap.root.walk(), start=1):
        people = {}
        for role in ROLES_OF_LEVEL[node.grid.level]:
            people[role] = [(p.name, p.display_position, p.public_phone(hotline) if public else p.phone)
                            for p in node.people(role)]
        rows.append(RosterRow(number=number, grid=node.grid, place=node.grid.display_name, people=people,
                              note=node.grid.note))
    return rows


def roster_table(rows: list[RosterRow]) -> list[list[str]]:
    """The header rows and then one row of cells per grid."""
    return [list(r) for r in HEADER_ROWS] + [row.cells() for row in rows]


def roster_csv(rows: list[RosterRow]) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so that Excel opens the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(roster_table(rows))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def roster_xlsx(rows: list[RosterRow]) -> bytes:
    """An XLSX workbook with the title, the plan's merged three-row header and one row per grid."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "人员名单"
    sheet.append([ROSTER_TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=COLUMN_COUNT)
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    thin = Side(style="thin", color="666666")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="E8F3EC")
    for header in HEADER_ROWS:
        sheet.append(header)
    for r0, c0, r1, c1 in HEADER_MERGES:
        sheet.merge_cells(start_row=r0 + 2, start_column=c0 + 1, end_row=r1 + 2, end_column=c1 + 1)
    for row in sheet.iter_rows(min_row=2, max_row=1 + len(HEADER_ROWS), max_col=COLUMN_COUNT):
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.fill = head_fill
            cell.border = border
    for row in rows:
        sheet.append(row.cells())
        excel_row = sheet.max_row
        for col in range(1, COLUMN_COUNT + 1):
            cell = sheet.cell(row=excel_row, column=col)
            cell.border = border
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            cell.number_format = "@"  # text: phone numbers must keep their leading 0
        if row.level == GridLevel.VILLAGE:
            sheet.cell(row=excel_row, column=2).alignment = Alignment(vertical="center", indent=2)
        else:
            sheet.cell(row=excel_row, column=2).font = Font(bold=True)
    widths = [6, 16, 10, 14, 15, 10, 14, 15, 22, 22, 20]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C5"
    sheet.print_options.horizontalCentered = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = "2:4"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def roster_pdf(rows: list[RosterRow]) -> bytes:
    """The roster as an A4 landscape PDF, the header repeated on every page."""
    from django.utils import translation

    from portal.pdf import render_pdf, static_text

    from ..posters import POSTER_CSS

    # The plan's table is Chinese, and one cached PDF serves every visitor.
    with translation.override("zh-hans"):
        return render_pdf("print/grid_roster.html", {
            "rows": rows, "title": ROSTER_TITLE, "stylesheet": static_text(POSTER_CSS),
            "today": timezone.localdate(),
        })
