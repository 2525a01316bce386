"""Importing a session's sign-in sheet (签到表) from XLSX or CSV: preview every row, then all or nothing.

A sheet has a heading row with 姓名 and 电话 (联系电话, 手机), or 人员编号 (the person's number in the back
office); 出勤 (出席 / 缺席 / 请假) is optional and defaults to 出席. Each row must match exactly one person
on file — by number, or by name and phone — or it is reported with its line number, and nothing is saved
until every row matches.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from disclosure.models import Person
from disclosure.validators import normalise_phone
from portal.spreadsheets import SpreadsheetError, read_table

from ..models import Presence, TrainingSession
from .training import TrainingError, attendance_set, role_holders

MAX_ROWS = 2000
MAX_BYTES = 2 * 1024 * 1024
HEADINGS = {
    "姓名": "name", "名字": "name",
    "电话": "phone", "联系电话": "phone", "手机": "phone", "手机号": "phone", "手机号码": "phone",
    "人员编号": "person_id", "编号": "person_id",
    "出勤": "status", "出勤情况": "status", "状态": "status", "签到": "status",
}
STATUS_WORDS = {
    "": Presence.PRESENT, "出席": Presence.PRESENT, "到": Presence.PRESENT, "已到": Presence.PRESENT,
    "签到": Presence.PRESENT, "是": Presence.PRESENT, "√": Presence.PRESENT, "✓": Presence.PRESENT,
    "缺席": Presence.ABSENT, "未到": Presence.ABSENT, "否": Presence.ABSENT,
    "请假": Presence.EXCUSED,
}


class SignInFileError(ValueError):
    """The file as a whole cannot be read as a sign-in sheet."""


@dataclass
class SignInRow:
    line: int
    name: str
    phone: str
    status: str = Presence.PRESENT
    person: Person | None = None
    without_role: bool = False
    errors: list[str] = field(default_factory=list)


@dataclass
class SignInPreview:
    session: TrainingSession
    rows: list[SignInRow]

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.error_count

    @property
    def marks(self) -> dict[int, str]:
        return {row.person.pk: row.status for row in self.rows if row.person is not None}


def _columns(table: list[list[str]]) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(table[:10]):
        columns = {}
        for col, cell in enumerate(row):
            key = HEADINGS.get(re.sub(r"\s+", "", cell or ""))
            if key and key not in columns:
                columns[key] = col
        if "name" in columns or "person_id" in columns:
            if "person_id" not in columns and "phone" not in columns:
                raise SignInFileError(_("签到表有“姓名”一栏，但没有“电话”或“人员编号”一栏；请加上其中一栏以便核对人员。"))
            return index, columns
    raise SignInFileError(_("没有找到签到表的表头：请在第一行写“姓名”“电话”（或“人员编号”），可加“出勤”一栏。"))


def signin_parse(*, session: TrainingSession, content: bytes, filename: str) -> SignInPreview:
    """Read a sign-in sheet and match every row with the people on file, saving nothing."""
    try:
        table = read_table(content, filename, max_bytes=MAX_BYTES, max_rows=MAX_ROWS + 10,
                           too_large=_("文件超过 2MB，请检查是否选错了文件。"))
    except SpreadsheetError as exc:
        raise SignInFileError(str(exc)) from exc
    header, columns = _columns(table)
    data = table[header + 1:]
    if len(data) > MAX_ROWS:
        raise SignInFileError(_("文件有%(n)d行，超过%(max)d行的上限。") % {"n": len(data), "max": MAX_ROWS})
    people = list(Person.objects.all())
    by_pk = {p.pk: p for p in people}
    holders = set(role_holders(year=session.held_on.year).values_list("person_id", flat=True))
    rows, seen = [], {}

    def cell(raw, key):
        col = columns.get(key)
        return (raw[col] if col is not None and col < len(raw) else "").strip()

    for offset, raw in enumerate(data):
        if not any((c or "").strip() for c in raw):
            continue
        row = SignInRow(line=header + offset + 2, name=cell(raw, "name"), phone=normalise_phone(cell(raw, "phone")))
        rows.append(row)
        status = STATUS_WORDS.get(cell(raw, "status"))
        if status is None:
            row.errors.append(_("出勤一栏“%(value)s”无法识别，请写出席、缺席或请假。") % {"value": cell(raw, "status")})
        else:
            row.status = status
        number = cell(raw, "person_id")
        if number:
            person = by_pk.get(int(number)) if number.isdigit() else None
            if person is None:
                row.errors.append(_("人员编号“%(id)s”不存在。") % {"id": number})
            elif row.name and row.name != person.name:
                row.errors.append(_("人员编号%(id)s是%(real)s，不是%(name)s。") % {
                    "id": number, "real": person.name, "name": row.name})
            else:
                row.person = person
        elif not row.name:
            row.errors.append(_("缺少姓名。"))
        elif not row.phone:
            row.errors.append(_("%(name)s缺少电话，无法确认是哪一位。") % {"name": row.name})
        else:
            found = [p for p in people if p.name == row.name and row.phone in (p.phone, p.phone_alt)]
            if len(found) == 1:
                row.person = found[0]
            else:
                row.errors.append(_("找不到姓名为%(name)s、电话为%(phone)s的网格人员。请先在“网格人员”中登记此人，"
                                    "或改正姓名和电话。") % {"name": row.name, "phone": row.phone})
        if row.person is not None:
            if row.person.pk in seen:
                row.errors.append(_("%(name)s已在第%(line)d行出现。") % {"name": row.person.name,
                                                                      "line": seen[row.person.pk]})
                row.person = None
            else:
                seen[row.person.pk] = row.line
                row.without_role = row.person.pk not in holders
    return SignInPreview(session=session, rows=rows)


@transaction.atomic
def signin_import(*, preview: SignInPreview, user) -> dict[str, int]:
    """Save a checked sign-in sheet's attendance: every row, or nothing when any row has an error."""
    if not preview.ok:
        raise TrainingError({"": [_("签到表有%(n)d行存在问题，未导入任何出勤记录。") % {"n": preview.error_count}]})
    return attendance_set(session=preview.session, user=user, marks=preview.marks)
