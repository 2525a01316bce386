"""The personnel roster (农产品质量安全网格化管理人员名单): export in the city plan's layout, and import.

The layout is the table at the end of the plan, column for column: 序号; 市、乡（镇）、村; 市级网格 监管第一
责任人 姓名/职务/联系电话; 乡镇级网格 监管责任人 姓名/职务/联系电话; 乡镇监管站检测员 联系电话; 村级网格
协管员 联系电话; 备注 — under a three-row merged header, one row per grid (the city, each township followed
by its villages).

The plan gives the tester and the coordinator a phone column only. So that the roster names them and
can be imported again, those cells hold "姓名 电话" (a name, a space, the number); a cell with a number
alone is accepted on import when someone with that number is already on file. Several holders of one
role are written one per line inside the cell.

Import: `roster_parse` reads an XLSX or CSV file in that layout and checks every row without saving
anything, so staff see a preview with each row's changes and errors; `roster_import` applies every row
in one transaction, and only when no row has an error. Replacing a holder goes through `role_assign`
(or `role_end` for a vacancy), so the history keeps who held the role when. A blank cell leaves the
role as it is; “空缺” ends the current holder without a successor.

Modules: layout (the header, column positions, limits), export (roster rows → CSV/XLSX/PDF), parsing
(`roster_parse` and its preview classes), importer (`roster_import`, `roster_template_hint`). Every name
is re-exported here, so `disclosure.services.roster` keeps working as the one import path.
"""

from portal.spreadsheets import XLSX_TYPE

from .export import RosterRow, roster_csv, roster_pdf, roster_rows, roster_table, roster_xlsx
from .importer import roster_import, roster_template_hint
from .layout import (
    COLUMN_COUNT,
    HEADER_MERGES,
    HEADER_ROWS,
    MAX_BYTES,
    MAX_ROWS,
    NOTE_COLUMN,
    ROLE_COLUMNS,
    ROLE_HEADING,
    ROLES_OF_LEVEL,
    ROSTER_LAYOUT_VERSION,
    ROSTER_TITLE,
    VACANT_WORDS,
    RosterFileError,
)
from .parsing import (
    PHONE_CHARS,
    Holder,
    RoleChange,
    RosterImportRow,
    RosterPreview,
    _check_holder,
    _find_data,
    _holders_from_columns,
    _name_and_phone,
    _People,
    _Places,
    _plan_role,
    _read_table,
    _split,
    _squash,
    roster_parse,
)

__all__ = ["RosterRow", "roster_rows", "roster_table", "roster_csv", "roster_xlsx", "roster_pdf", "roster_import", "roster_template_hint", "ROSTER_TITLE", "ROSTER_LAYOUT_VERSION", "XLSX_TYPE", "COLUMN_COUNT", "MAX_BYTES", "MAX_ROWS", "VACANT_WORDS", "HEADER_ROWS", "HEADER_MERGES", "ROLE_COLUMNS", "NOTE_COLUMN", "ROLES_OF_LEVEL", "ROLE_HEADING", "RosterFileError", "Holder", "RoleChange", "RosterImportRow", "RosterPreview", "_read_table", "_squash", "_find_data", "_Places", "_split", "PHONE_CHARS", "_name_and_phone", "_holders_from_columns", "_People", "_check_holder", "_plan_role", "roster_parse"]
