"""Loading and keeping the banned and restricted substances list (国家禁用、限用农药（兽药）名录)."""

import csv
import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Substance
from ..models.substances import SubstanceCategory, SubstanceStatus

SUBSTANCES_CSV = Path(__file__).resolve().parent.parent / "data" / "banned_substances.csv"
COLUMNS = ("name_zh", "name_en", "category", "status", "restricted_scope_zh", "legal_basis_zh",
           "effective_date", "source")
VALUE_FIELDS = ("name_en", "restricted_scope", "legal_basis", "effective_date", "source", "staff_note",
                "sort_order")

# Remarks of whoever compiled the list ("number not found in the sources", "date not verified") that the
# file writes inside the legal basis: they are for staff, never for the public page.
_NOTE_MARKERS = ("未在所得来源", "未核实", "待核实")
_HEDGE = "来源称"
_PARENS = re.compile(r"[（(]([^（）()]*)[）)]")


def basis_split(text: str) -> tuple[str, str]:
    """(public legal basis, staff note) from a legal-basis text: clauses of a parenthesis that carry a
    compiler's remark move to the note (the parenthesis goes if nothing else is left in it), and a hedge
    such as “来源称” is dropped from the public text and noted."""
    notes: list[str] = []

    def keep_or_move(match: re.Match) -> str:
        inner = match.group(1)
        for clause in (c.strip() for c in re.split(r"[；，]", inner)):
            if clause and any(marker in clause for marker in _NOTE_MARKERS):
                notes.append(clause)
                inner = re.sub(rf"[；，]?\s*{re.escape(clause)}", "", inner, count=1).lstrip("；，")
        return f"{match.group(0)[0]}{inner.strip()}{match.group(0)[-1]}" if inner.strip() else ""

    public = _PARENS.sub(keep_or_move, text or "")
    if _HEDGE in public:
        public = public.replace(_HEDGE, "")
        notes.append(_("依据中的日期和措施转述自资料来源，未见公告原文。"))
    return public.strip(), "；".join(notes)


@dataclass
class SubstanceImport:
    """What a load did: entries created, overwritten with the file's facts, already equal, or kept as edited."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0


def _rows(path: Path) -> list[tuple[dict, dict]]:
    """(key, values) for every row of the file; every problem in the file at once, with its line number."""
    errors, rows, seen = [], [], set()
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise ValidationError(_("文件缺少列：%(cols)s。") % {"cols": "、".join(missing)})
        for order, row in enumerate(reader, start=1):
            line = order + 1  # the header is line 1
            name = (row["name_zh"] or "").strip()
            key = {"name_zh": name, "category": (row["category"] or "").strip(),
                   "status": (row["status"] or "").strip()}
            if not name:
                errors.append(_("第 %(line)d 行：缺少中文名称。") % {"line": line})
            if key["category"] not in SubstanceCategory.values:
                errors.append(_("第 %(line)d 行：类别“%(v)s”无效，应为 %(ok)s 之一。") % {
                    "line": line, "v": key["category"], "ok": "、".join(SubstanceCategory.values)})
            if key["status"] not in SubstanceStatus.values:
                errors.append(_("第 %(line)d 行：管理类别“%(v)s”无效，应为 %(ok)s 之一。") % {
                    "line": line, "v": key["status"], "ok": "、".join(SubstanceStatus.values)})
            raw_date = (row["effective_date"] or "").strip()
            effective = None
            if raw_date:
                try:
                    effective = datetime.date.fromisoformat(raw_date)
                except ValueError:
                    errors.append(_("第 %(line)d 行：施行日期“%(v)s”不是 YYYY-MM-DD 格式的日期。") % {
                        "line": line, "v": raw_date})
            identity = tuple(key.values())
            if identity in seen:
                errors.append(_("第 %(line)d 行：“%(name)s”在同一类别和管理类别中重复。") % {"line": line, "name": name})
            seen.add(identity)
            basis, note = basis_split((row["legal_basis_zh"] or "").strip())
            rows.append((key, {
                "name_en": (row["name_en"] or "").strip(),
                "restricted_scope": (row["restricted_scope_zh"] or "").strip(),
                "legal_basis": basis,
                # English for the English pages; optional columns (a file staff keep may have none).
                "restricted_scope_en": (row.get("restricted_scope_en") or "").strip(),
                "legal_basis_en": (row.get("legal_basis_en") or "").strip(),
                "effective_date": effective,
                "source": (row["source"] or "").strip(),
                "staff_note": note,
                "sort_order": order,
            }))
    if errors:
        raise ValidationError(errors)
    return rows


@transaction.atomic
def substances_import(*, path: Path = SUBSTANCES_CSV, overwrite: bool = False) -> SubstanceImport:
    """Load the list from the CSV of facts, all or nothing. Entries already present are kept as staff left
    them unless overwrite, which resets them to the file's facts (as a new revision, so the edit history
    shows it and staff can compare or revert)."""
    rows = _rows(path)
    existing = {(s.name_zh, s.category, s.status): s for s in Substance.objects.all()}
    result = SubstanceImport()
    for key, values in rows:
        entry = existing.get((key["name_zh"], key["category"], key["status"]))
        if entry is None:
            Substance.objects.create(**key, **values)
            result.created += 1
        elif all(getattr(entry, field) == value for field, value in values.items()):
            result.unchanged += 1
        elif overwrite:
            for field, value in values.items():
                setattr(entry, field, value)
            entry.save()
            entry.save_revision(changed=True, log_action=True)
            result.updated += 1
        else:
            result.kept += 1
    return result


def substances_load(*, path: Path = SUBSTANCES_CSV, overwrite: bool = False) -> int:
    """Load the list from the CSV of facts (see substances_import); returns the number of entries created."""
    return substances_import(path=path, overwrite=overwrite).created
