"""The roster import, step one: read an XLSX/CSV roster and check every row into a preview."""

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.spreadsheets import SpreadsheetError, read_table

from ...models import Grid, GridLevel, Person, Role, RoleAssignment
from ...validators import is_personal_phone, normalise_phone
from .layout import (
    COLUMN_COUNT,
    HEADER_ROWS,
    MAX_BYTES,
    MAX_ROWS,
    NOTE_COLUMN,
    ROLE_COLUMNS,
    ROLE_HEADING,
    ROLES_OF_LEVEL,
    VACANT_WORDS,
    RosterFileError,
)


@dataclass
class Holder:
    """A person named in a roster cell, matched against the people on file."""

    name: str
    position: str
    phone: str
    person: Person | None = None  # an existing person, when one matches
    updates: dict = field(default_factory=dict)  # changes to that person's facts

    @property
    def label(self) -> str:
        return f"{self.name} {self.phone}".strip()


@dataclass
class RoleChange:
    """What a row does to one role of its grid."""

    role: str
    keep: list[RoleAssignment] = field(default_factory=list)
    end: list[RoleAssignment] = field(default_factory=list)
    add: list[Holder] = field(default_factory=list)
    update: list[Holder] = field(default_factory=list)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)

    @property
    def changed(self) -> bool:
        return bool(self.end or self.add or self.update)

    def describe(self) -> str:
        if not self.changed:
            return _("%(role)s：%(names)s（不变）") % {
                "role": self.role_label, "names": "、".join(a.person.name for a in self.keep) or _("无")}
        parts = []
        if self.end and self.add:
            parts.append(_("%(old)s → %(new)s（更换）") % {
                "old": "、".join(a.person.name for a in self.end), "new": "、".join(h.label for h in self.add)})
        elif self.end:
            parts.append(_("%(old)s 离任，岗位空缺") % {"old": "、".join(a.person.name for a in self.end)})
        elif self.add:
            parts.append(_("新增 %(new)s") % {"new": "、".join(h.label for h in self.add)})
        for holder in self.update:
            parts.append(_("%(name)s 的信息更新：%(what)s") % {
                "name": holder.name, "what": "、".join(f"{k} → {v}" for k, v in holder.updates.items())})
        return _("%(role)s：%(what)s") % {"role": self.role_label, "what": "；".join(parts)}


@dataclass
class RosterImportRow:
    """One data row of the file, checked: its grid, what it would change and what is wrong with it."""

    line: int
    place: str
    grid: Grid | None = None
    changes: list[RoleChange] = field(default_factory=list)
    note: str | None = None  # the new note, when it changes
    errors: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.note is not None or any(c.changed for c in self.changes)

    def describe(self) -> list[str]:
        lines = [c.describe() for c in self.changes]
        if self.note is not None:
            lines.append(_("备注改为：%(note)s") % {"note": self.note or _("（空）")})
        return lines


@dataclass
class RosterPreview:
    rows: list[RosterImportRow]
    start_date: datetime.date

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def change_count(self) -> int:
        return sum(1 for row in self.rows if row.changed)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and self.error_count == 0


def _read_table(content: bytes, filename: str) -> list[list[str]]:
    try:
        # The heading takes up to 20 + 3 rows before the data (see _find_data).
        return read_table(content, filename, max_bytes=MAX_BYTES, max_rows=MAX_ROWS + 30,
                          too_large=_("文件超过 2MB，请检查是否选错了文件。"))
    except SpreadsheetError as exc:
        raise RosterFileError(str(exc)) from exc


def _squash(text: str) -> str:
    """Header text compared without spaces and with full-width brackets."""
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def _find_data(table: list[list[str]]) -> int:
    """Check the header against the plan's layout and return the index of the first data row."""
    for index, row in enumerate(table[:20]):
        if row and _squash(row[0]) == "序号":
            header = table[index:index + len(HEADER_ROWS)]
            if len(header) < len(HEADER_ROWS):
                break
            for r, expected_row in enumerate(HEADER_ROWS):
                cells = [_squash(c) for c in header[r]] + [""] * COLUMN_COUNT
                for c, expected in enumerate(expected_row):
                    if expected and cells[c] != _squash(expected):
                        raise RosterFileError(
                            _("表头与人员名单格式不一致：表头第%(r)d行第%(c)d列应为“%(e)s”，文件中是“%(a)s”。"
                              "请使用本平台导出的人员名单文件。") % {
                                "r": r + 1, "c": c + 1, "e": expected, "a": header[r][c] if c < len(header[r]) else ""})
            return index + len(HEADER_ROWS)
    raise RosterFileError(_("没有找到人员名单的表头（第一列为“序号”的行）。请使用本平台导出的人员名单文件。"))


class _Places:
    """Finds the grid a row's place name means: a township (“东风镇”), a village (“红星村”), or both
    (“东风镇红星村”) when a village name occurs in several townships; a plain village name is looked up first
    in the township above it."""

    def __init__(self):
        self.grids = list(Grid.objects.select_related("parent").in_tree_order())
        self.by_name: dict[str, list[Grid]] = {}
        for grid in self.grids:
            self.by_name.setdefault(grid.name, []).append(grid)
            if grid.level == GridLevel.VILLAGE and grid.parent_id:
                self.by_name.setdefault(grid.parent.name + grid.name, []).append(grid)

    def examples(self) -> tuple[str, str]:
        """A township's and a village's name from this tree, for a message that shows what to write."""
        township = next((g.name for g in self.grids if g.level == GridLevel.TOWNSHIP), "")
        village = next((g.name for g in self.grids if g.level == GridLevel.VILLAGE), "")
        return township, village

    def find(self, text: str, township: Grid | None) -> tuple[Grid | None, str | None]:
        key = re.sub(r"[\s/／·]+", "", text)
        found = self.by_name.get(key, [])
        if len(found) > 1 and township is not None:
            found = [g for g in found if g.parent_id == township.pk] or found
        if len(found) == 1:
            return found[0], None
        if not found:
            township_example, village_example = self.examples()
            return None, _("找不到名为“%(name)s”的市、乡（镇）或村。请与网格名称一致，例如“%(township)s”或“%(village)s”。") % {
                "name": text, "township": township_example, "village": village_example}
        return None, _("有%(n)d个村叫“%(name)s”，请写成“乡镇名+村名”，例如“%(example)s”。") % {
            "n": len(found), "name": text, "example": found[0].full_name}


def _split(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[\n；;]+", cell or "") if part.strip()]


PHONE_CHARS = re.compile(r"^[+＋0-9０-９][0-9０-９\-－\s()（）]*$")


def _name_and_phone(text: str) -> Holder | None:
    """“王示例 0994-2345678” → name and phone. A name may end in digits, a phone may hold spaces: the
    first split after which the rest is a valid phone wins; a number alone gives a holder without a name."""
    text = re.sub(r"[:：,，、]", " ", text).strip()
    if PHONE_CHARS.match(text):
        return Holder(name="", position="", phone=normalise_phone(text))
    tokens = text.split()
    for i in range(1, len(tokens)):
        phone = normalise_phone(" ".join(tokens[i:]))
        if is_personal_phone(phone):
            return Holder(name=" ".join(tokens[:i]), position="", phone=phone)
    if len(tokens) > 1 and PHONE_CHARS.match(tokens[-1]):
        return Holder(name=" ".join(tokens[:-1]), position="", phone=normalise_phone(tokens[-1]))  # checked later
    glued = re.match(r"^(?P<name>\D+?)(?P<phone>[+＋0-9０-９][0-9０-９\-－()（）]*)$", text)
    if glued:
        return Holder(name=glued["name"].strip(), position="", phone=normalise_phone(glued["phone"]))
    return None


def _holders_from_columns(row: list[str], role: str, errors: list[str]) -> list[Holder] | None:
    """The people a row names for a role; None when the cells are blank (the role stays as it is)."""
    name_col, position_col, phone_col = ROLE_COLUMNS[role]
    heading = ROLE_HEADING[role]
    if name_col is None:
        parts = _split(row[phone_col])
        if not parts:
            return None
        if len(parts) == 1 and parts[0] in VACANT_WORDS:
            return []
        holders = []
        for part in parts:
            holder = _name_and_phone(part)
            if holder is None:
                errors.append(_("“%(heading)s”一栏“%(text)s”缺少联系电话，请写成“姓名 电话”，例如“王示例 0994-2345678”。") % {
                    "heading": heading, "text": part})
            else:
                holders.append(holder)
        return holders
    names, positions, phones = _split(row[name_col]), _split(row[position_col]), _split(row[phone_col])
    if not (names or positions or phones):
        return None
    if len(names) == 1 and names[0] in VACANT_WORDS and not phones:
        return []
    if not names:
        errors.append(_("“%(heading)s”填写了职务或电话，但没有姓名。") % {"heading": heading})
        return None
    if len(phones) != len(names):
        errors.append(_("“%(heading)s”有%(n)d个姓名、%(m)d个联系电话，请每人一行、一一对应。") % {
            "heading": heading, "n": len(names), "m": len(phones)})
        return None
    if positions and len(positions) != len(names):
        errors.append(_("“%(heading)s”有%(n)d个姓名、%(m)d个职务，请每人一行、一一对应。") % {
            "heading": heading, "n": len(names), "m": len(positions)})
        return None
    positions = positions or [""] * len(names)
    return [Holder(name=n, position=p, phone=normalise_phone(t)) for n, p, t in zip(names, positions, phones, strict=True)]


class _People:
    """People on file, looked up by name and phone, loaded once for the whole file."""

    def __init__(self):
        self.people = list(Person.objects.all())

    def by_name_phone(self, name: str, phone: str) -> Person | None:
        return next((p for p in self.people if p.name == name and p.phone == phone), None)

    def by_phone(self, phone: str) -> list[Person]:
        return [p for p in self.people if p.phone == phone or p.phone_alt == phone]


def _check_holder(holder: Holder, heading: str, errors: list[str]) -> bool:
    ok = True
    if len(holder.name) > 50:
        errors.append(_("“%(heading)s”的姓名“%(name)s…”超过50个字。") % {"heading": heading, "name": holder.name[:10]})
        ok = False
    if len(holder.position) > 80:
        errors.append(_("“%(heading)s”的职务超过80个字。") % {"heading": heading})
        ok = False
    if not holder.phone:
        errors.append(_("“%(heading)s”%(name)s缺少联系电话。") % {"heading": heading, "name": holder.name})
        ok = False
    elif not is_personal_phone(holder.phone):
        errors.append(_("“%(heading)s”%(name)s的联系电话“%(phone)s”无效。请填写11位手机号（如 13912345678）"
                        "或带区号的固定电话（如 0994-2345678）。") % {
            "heading": heading, "name": holder.name, "phone": holder.phone})
        ok = False
    return ok


def _plan_role(*, grid: Grid, role: str, wanted: list[Holder], current: list[RoleAssignment], people: _People,
               hotline: str, start_date: datetime.date, errors: list[str]) -> RoleChange:
    """Match the people a row names with today's holders: who stays, who leaves, who comes."""
    heading = ROLE_HEADING[role]
    change = RoleChange(role=role)
    seen = set()
    remaining = list(current)
    for holder in wanted:
        # A public export prints the hotline for a phone that is not published (and a hotline such as
        # 0994-12316 is no personal number): for that person the cell means “no change”.
        hidden_holder = bool(hotline) and holder.phone == hotline and any(
            a.person.name == holder.name and not a.person.phone_public for a in remaining)
        if holder.name and not hidden_holder and not _check_holder(holder, heading, errors):
            continue
        if not holder.name:  # a phone number alone: someone on file must have it
            if not is_personal_phone(holder.phone):
                _check_holder(Holder(name="", position="", phone=holder.phone), heading, errors)
                continue
            match = next((a for a in remaining if holder.phone in (a.person.phone, a.person.phone_alt)), None)
            candidates = [match.person] if match else people.by_phone(holder.phone)
            if len(candidates) != 1:
                errors.append(_("“%(heading)s”只填了电话 %(phone)s，没有找到唯一使用该电话的人员。"
                                "请同时填写姓名，例如“王示例 %(phone)s”。") % {"heading": heading, "phone": holder.phone})
                continue
            holder.name, holder.person = candidates[0].name, candidates[0]
            holder.phone = candidates[0].phone if holder.phone == candidates[0].phone_alt else holder.phone
        key = holder.name
        if key in seen:
            errors.append(_("“%(heading)s”中%(name)s出现了两次。") % {"heading": heading, "name": holder.name})
            continue
        seen.add(key)
        same = next((a for a in remaining if a.person.name == holder.name), None)
        if same is not None:
            remaining.remove(same)
            change.keep.append(same)
            person = same.person
            hidden = not person.phone_public and holder.phone == hotline
            if holder.phone != person.phone and not hidden:
                holder.updates[str(_("电话"))] = holder.phone
            if holder.position and holder.position != person.position:
                holder.updates[str(_("职务"))] = holder.position
            if holder.updates:
                holder.person = person
                change.update.append(holder)
            continue
        holder.person = holder.person or people.by_name_phone(holder.name, holder.phone)
        change.add.append(holder)
    change.end = remaining  # holders the row no longer names leave the role (all of them for “空缺”)
    for assignment in change.end:
        if assignment.start_date >= start_date:
            errors.append(_("%(name)s 自 %(date)s 起担任%(role)s，生效日期必须晚于该日期。") % {
                "name": assignment.person.name, "date": assignment.start_date.isoformat(),
                "role": Role(role).label})
    return change


def roster_parse(*, content: bytes, filename: str, start_date: datetime.date | None = None,
                 hotline: str = "") -> RosterPreview:
    """Read a roster file and check every row against the grids and people on file, saving nothing."""
    start_date = start_date or timezone.localdate()
    table = _read_table(content, filename)
    first = _find_data(table)
    places, people = _Places(), _People()
    current: dict[tuple[int, str], list[RoleAssignment]] = {}
    for assignment in RoleAssignment.objects.current(on=start_date).select_related("person").order_by("start_date", "id"):
        current.setdefault((assignment.grid_id, assignment.role), []).append(assignment)
    rows: list[RosterImportRow] = []
    seen_grids: dict[int, int] = {}
    township = None
    data = table[first:]
    if len(data) > MAX_ROWS:
        raise RosterFileError(_("文件有%(n)d行，超过%(max)d行的上限。") % {"n": len(data), "max": MAX_ROWS})
    for offset, raw in enumerate(data):
        cells = (raw + [""] * COLUMN_COUNT)[:COLUMN_COUNT]
        extra = [c for c in raw[COLUMN_COUNT:] if c]
        if not any(cells) and not extra:
            continue
        line = first + offset + 1
        row = RosterImportRow(line=line, place=cells[1])
        rows.append(row)
        if extra:
            row.errors.append(_("第%(n)d列之后还有内容，人员名单只有%(n)d列。") % {"n": COLUMN_COUNT})
        if not cells[1]:
            row.errors.append(_("“市、乡（镇）、村”一栏为空，请填写网格名称。"))
            continue
        grid, problem = places.find(cells[1], township)
        if grid is None:
            row.errors.append(problem)
            continue
        row.grid = grid
        if grid.level == GridLevel.TOWNSHIP:
            township = grid
        elif grid.level == GridLevel.VILLAGE:
            township = grid.parent
        if grid.pk in seen_grids:
            row.errors.append(_("%(name)s 已在第%(line)d行出现，每个网格只能有一行。") % {
                "name": grid.full_name, "line": seen_grids[grid.pk]})
            continue
        seen_grids[grid.pk] = line
        allowed = ROLES_OF_LEVEL[grid.level]
        for role in ROLE_COLUMNS:
            if role in allowed:
                continue
            columns = [c for c in ROLE_COLUMNS[role] if c is not None]
            if any(cells[c] for c in columns):
                row.errors.append(_("%(level)s的行不填“%(heading)s”，请把该栏留空。本行应填写：%(allowed)s。") % {
                    "level": grid.get_level_display(), "heading": ROLE_HEADING[role],
                    "allowed": "、".join(ROLE_HEADING[r] for r in allowed)})
        for role in allowed:
            errors: list[str] = []
            wanted = _holders_from_columns(cells, role, errors)
            if wanted is not None and not errors:
                change = _plan_role(grid=grid, role=role, wanted=wanted, current=current.get((grid.pk, role), []),
                                    people=people, hotline=hotline, start_date=start_date, errors=errors)
                row.changes.append(change)
            elif wanted is None and not errors:
                row.changes.append(RoleChange(role=role, keep=list(current.get((grid.pk, role), []))))
            row.errors.extend(errors)
        note = cells[NOTE_COLUMN]
        if len(note) > 200:
            row.errors.append(_("备注超过200个字。"))
        elif note and note != grid.note:
            row.note = note
    return RosterPreview(rows=rows, start_date=start_date)
