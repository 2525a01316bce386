"""The roster's layout: the plan's header, its merges, which column holds which role, and limits."""

from ...models import Role
from ..grids import STAFFED_ROLES, VACANT

ROSTER_TITLE = "农产品质量安全网格化管理人员名单"
ROSTER_LAYOUT_VERSION = "1"
COLUMN_COUNT = 11
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
VACANT_WORDS = {VACANT, "无", "暂缺"}

# The plan's header, cell by cell ("" under a merged cell), and the merges as (row, col, row, col), 0-based.
HEADER_ROWS = [
    ["序号", "市、乡（镇）、村", "市级网格", "", "", "乡镇级网格", "", "", "", "村级网格", "备注"],
    ["", "", "监管第一责任人", "", "", "监管责任人", "", "", "乡镇监管站检测员", "协管员", ""],
    ["", "", "姓名", "职务", "联系电话", "姓名", "职务", "联系电话", "联系电话", "联系电话", ""],
]
HEADER_MERGES = [
    (0, 0, 2, 0), (0, 1, 2, 1), (0, 2, 0, 4), (0, 5, 0, 8), (0, 10, 2, 10),
    (1, 2, 1, 4), (1, 5, 1, 7),
]
# Where each role's facts sit: (name column, position column, phone column); None where the plan has none.
ROLE_COLUMNS = {
    Role.CITY_FIRST: (2, 3, 4),
    Role.SUPERVISOR: (5, 6, 7),
    Role.TESTER: (None, None, 8),
    Role.COORDINATOR: (None, None, 9),
}
NOTE_COLUMN = 10
ROLES_OF_LEVEL = STAFFED_ROLES  # a row's roles are the ones its grid must have someone in
ROLE_HEADING = {
    Role.CITY_FIRST: "监管第一责任人", Role.SUPERVISOR: "监管责任人", Role.TESTER: "乡镇监管站检测员",
    Role.COORDINATOR: "协管员",
}


class RosterFileError(ValueError):
    """The file as a whole cannot be read: wrong type, too large, or not in the roster's layout."""
