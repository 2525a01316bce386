"""Importing the producer registry (生产主体名录) from a spreadsheet: preview every row, then all or nothing.

`registry_parse` reads an XLSX or CSV file and checks every row without saving anything; staff see each
row with its errors. `registry_import` saves all rows in one transaction, and only when no row has an
error. A row updates an existing producer when it names its public code (公示编码) or its unified social
credit code; otherwise it adds a new producer, which receives a fresh code.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.spreadsheets import SpreadsheetError, read_table

from ..models import Grid, GridLevel, Producer, ProducerKind
from ..models.producers import STANDARD_COMMITMENT

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024

# (column heading, model field, required). The first heading is the one the template file uses.
COLUMNS = [
    ("公示编码", "code", False),
    ("名称", "name", True),
    ("单位类型", "kind", True),
    ("统一社会信用代码", "credit_code", False),
    ("法定代表人/负责人", "legal_representative", False),
    ("联系电话", "phone", False),
    ("地址", "address", False),
    ("乡镇", "township", True),
    ("村", "village", True),
    ("主要产品", "products", False),
    ("已在国家追溯平台开展追溯", "on_traceability_platform", False),
    ("追溯平台主体码", "traceability_code", False),
    ("已开具合格证", "issues_certificates", False),
    ("进行自我承诺", "self_commitment", False),
    ("承诺书签署日期", "commitment_signed_on", False),
    ("单位内检员姓名", "inspector_name", False),
    ("单位内检员电话", "inspector_phone", False),
    ("信息核实日期", "facts_confirmed_on", False),
    ("公开", "published", False),
]
ALIASES = {
    "生产主体名称": "name", "单位名称": "name", "主体名称": "name", "类型": "kind", "主体类型": "kind",
    "信用代码": "credit_code", "法定代表人": "legal_representative", "负责人": "legal_representative",
    "电话": "phone", "乡镇（街道）": "township", "乡镇名称": "township", "村名": "village", "行政村": "village",
    "产品": "products", "追溯": "on_traceability_platform", "国家追溯平台": "on_traceability_platform",
    "合格证": "issues_certificates", "自我承诺": "self_commitment", "内检员": "inspector_name",
    "内检员电话": "inspector_phone", "核实日期": "facts_confirmed_on", "编码": "code",
}
HEADINGS = {heading: name for heading, name, _required in COLUMNS} | ALIASES
FIELD_LABEL = {name: heading for heading, name, _required in COLUMNS}
BOOLEAN_FIELDS = {"on_traceability_platform", "issues_certificates", "self_commitment", "published"}
DATE_FIELDS = {"commitment_signed_on", "facts_confirmed_on"}
TRUE_WORDS = {"是", "有", "已", "y", "yes", "true", "1", "✓", "√", "已开展", "已开具", "已承诺", "公开"}
FALSE_WORDS = {"否", "无", "未", "n", "no", "false", "0", "×", "✗", "未开展", "未开具", "不公开"}
KIND_WORDS = {str(label): value for value, label in ProducerKind.choices} | {
    "企业": ProducerKind.ENTERPRISE, "合作社": ProducerKind.COOPERATIVE, "专业合作社": ProducerKind.COOPERATIVE,
    "种养大户": ProducerKind.LARGE_GROWER, "规模户": ProducerKind.LARGE_GROWER, "种植养殖户": ProducerKind.LARGE_GROWER,
    "农资店": ProducerKind.INPUT_SHOP, "农资经营户": ProducerKind.INPUT_SHOP,
    "储藏保鲜": ProducerKind.STORAGE, "储藏、保鲜": ProducerKind.STORAGE, "冷库": ProducerKind.STORAGE,
    "初级产品储藏、保鲜": ProducerKind.STORAGE, "储藏保鲜经营主体": ProducerKind.STORAGE,
} | {value: value for value in ProducerKind.values}


class RegistryFileError(ValueError):
    """The file as a whole cannot be read (wrong type, no heading row, too large)."""


@dataclass
class RegistryRow:
    """One row of the spreadsheet, checked: what it would do and what is wrong with it."""

    line: int
    values: dict[str, str]
    producer: Producer | None = None
    is_new: bool = True
    errors: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        return str(gettext_lazy("新增") if self.is_new else gettext_lazy("更新"))


@dataclass
class RegistryPreview:
    rows: list[RegistryRow]
    unknown_columns: list[str]

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and self.error_count == 0

    @property
    def new_count(self) -> int:
        return sum(1 for row in self.rows if row.is_new)


def _read_rows(content: bytes, filename: str) -> list[list[str]]:
    try:
        return read_table(content, filename, max_bytes=MAX_BYTES, max_rows=MAX_ROWS + 1,  # + the heading row
                          too_large=_("文件超过5MB，请分批导入。"))
    except SpreadsheetError as exc:
        raise RegistryFileError(str(exc)) from exc


def _boolean(raw: str, label: str, errors: list[str], default: bool) -> bool:
    word = raw.strip().lower()
    if not word:
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    errors.append(_("%(label)s：“%(value)s”无法识别，请填写“是”或“否”。") % {"label": label, "value": raw})
    return default


def _date(raw: str, label: str, errors: list[str]) -> datetime.date | None:
    text = raw.strip().replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    if not text:
        return None
    try:
        year, month, day = (int(part) for part in text.split(" ")[0].split("-"))
        value = datetime.date(year, month, day)
    except (ValueError, TypeError):
        errors.append(_("%(label)s：“%(value)s”不是有效日期，请写成 2024-03-15 的格式。") % {
            "label": label, "value": raw})
        return None
    if value > timezone.localdate():
        errors.append(_("%(label)s：%(value)s 晚于今天。") % {"label": label, "value": value.isoformat()})
    return value


def _messages(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    out = []
    for name, errors in exc.message_dict.items():
        label = FIELD_LABEL.get(name) or (
            str(Producer._meta.get_field(name).verbose_name) if name != "__all__" else "")
        out.extend(f"{label}：{message}" if label else message for message in errors)
    return out


def registry_parse(*, content: bytes, filename: str) -> RegistryPreview:
    """Read and check every row of a registry spreadsheet without saving anything."""
    table = [row for row in _read_rows(content, filename) if any(cell for cell in row)]
    if not table:
        raise RegistryFileError(_("文件是空的。"))
    header = [cell.strip().replace(" ", "") for cell in table[0]]
    columns = {index: HEADINGS[h] for index, h in enumerate(header) if h in HEADINGS}
    unknown = [h for h in header if h and h not in HEADINGS]
    missing = [heading for heading, name, required in COLUMNS if required and name not in columns.values()]
    if missing:
        raise RegistryFileError(_("第一行必须是列标题；缺少必填列：%(cols)s。请使用导入模板。") % {
            "cols": "、".join(missing)})
    if len(table) - 1 > MAX_ROWS:
        raise RegistryFileError(_("一次最多导入 %(n)d 行，请分批导入。") % {"n": MAX_ROWS})

    grids = list(Grid.objects.filter(level__in=[GridLevel.TOWNSHIP, GridLevel.VILLAGE]))
    townships = {g.name: g for g in grids if g.level == GridLevel.TOWNSHIP}
    townships.update({g.slug: g for g in grids if g.level == GridLevel.TOWNSHIP})
    villages = {(g.parent_id, g.name): g for g in grids if g.level == GridLevel.VILLAGE}
    values_list = [{name: (row[i] if i < len(row) else "") for i, name in columns.items()} for row in table[1:]]
    codes = {v["code"].strip().upper() for v in values_list if v.get("code", "").strip()}
    credit_codes = {v["credit_code"].strip().upper() for v in values_list if v.get("credit_code", "").strip()}
    by_code = {p.code: p for p in Producer.objects.filter(code__in=codes)}
    by_credit = {p.credit_code: p for p in Producer.objects.filter(credit_code__in=credit_codes)}
    seen_codes: dict[str, int] = {}
    seen_credit: dict[str, int] = {}

    rows = []
    for offset, values in enumerate(values_list, start=2):
        row = RegistryRow(line=offset, values=values)
        errors = row.errors
        for heading, name, required in COLUMNS:
            if required and not values.get(name, "").strip():
                errors.append(_("%(label)s：必填。") % {"label": heading})
        code = values.get("code", "").strip().upper()
        credit = values.get("credit_code", "").strip().upper()
        existing = None
        if code:
            existing = by_code.get(code)
            if existing is None:
                errors.append(_("公示编码：%(code)s 不存在。新增的生产主体请留空，系统会自动编码。") % {"code": code})
            if code in seen_codes:
                errors.append(_("公示编码：与第 %(line)d 行重复。") % {"line": seen_codes[code]})
            seen_codes.setdefault(code, offset)
        if credit:
            if credit in seen_credit:
                errors.append(_("统一社会信用代码：与第 %(line)d 行重复。") % {"line": seen_credit[credit]})
            seen_credit.setdefault(credit, offset)
            if existing is None and not code:
                existing = by_credit.get(credit)
        producer = existing or Producer(commitment_text=STANDARD_COMMITMENT)
        row.is_new = existing is None

        kind_raw = values.get("kind", "").strip()
        if kind_raw:
            kind = KIND_WORDS.get(kind_raw)
            if kind is None:
                errors.append(_("单位类型：“%(value)s”无法识别，可填：%(choices)s。") % {
                    "value": kind_raw, "choices": "、".join(str(label) for label in ProducerKind.labels)})
            else:
                producer.kind = kind
        township = townships.get(values.get("township", "").strip())
        if values.get("township", "").strip() and township is None:
            errors.append(_("乡镇：没有名为“%(value)s”的乡镇。") % {"value": values["township"]})
        village_name = values.get("village", "").strip()
        if township and village_name:
            village = villages.get((township.pk, village_name)) or villages.get((township.pk, village_name + "村"))
            if village is None:
                errors.append(_("村：%(township)s没有名为“%(value)s”的村。") % {
                    "township": township.name, "value": village_name})
            else:
                producer.village = village
        for name in ("name", "legal_representative", "phone", "address", "products", "traceability_code",
                     "inspector_name", "inspector_phone"):
            if name in values:
                setattr(producer, name, values[name].strip())
        if "credit_code" in values:
            producer.credit_code = credit
        for name in BOOLEAN_FIELDS:
            if name in values:
                setattr(producer, name, _boolean(values[name], FIELD_LABEL[name], errors,
                                                 default=getattr(producer, name)))
        for name in DATE_FIELDS:
            if values.get(name, "").strip():
                setattr(producer, name, _date(values[name], FIELD_LABEL[name], errors) or getattr(producer, name))
        if "facts_confirmed_on" not in values or not values.get("facts_confirmed_on", "").strip():
            # Importing the registry is confirming its facts today.
            producer.facts_confirmed_on = timezone.localdate()
        try:
            exclude = ["code"] if row.is_new else []
            if producer.village_id is None:
                exclude.append("village")
            producer.full_clean(exclude=exclude)
        except ValidationError as exc:
            errors.extend(m for m in _messages(exc) if m not in errors)
        row.producer = producer
        rows.append(row)
    return RegistryPreview(rows=rows, unknown_columns=unknown)


@transaction.atomic
def registry_import(*, preview: RegistryPreview, by=None) -> dict[str, int]:
    """Save every row of a checked preview in one transaction; refuse if any row has an error."""
    if not preview.rows:
        raise ValidationError(_("没有可导入的行。"))
    if preview.error_count:
        raise ValidationError(_("有 %(n)d 行存在错误，未导入任何数据。请修改后重新上传。") % {"n": preview.error_count})
    created = updated = 0
    for row in preview.rows:
        producer = row.producer
        producer.save()
        producer.save_revision(user=by, log_action=True)
        if row.is_new:
            created += 1
        else:
            updated += 1
    return {"created": created, "updated": updated}


def registry_template_csv() -> bytes:
    """An empty registry file with the column headings and one example row (UTF-8 with BOM for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([heading for heading, _name, _required in COLUMNS])
    # The example row names a real township and village of this portal's tree, as a row to copy would.
    village = Grid.objects.filter(level=GridLevel.VILLAGE).select_related("parent").order_by("parent__sort_order",
                                                                                             "parent__code", "code").first()
    township_name, village_name = (village.parent.name, village.name) if village else ("示例镇", "示例村")
    writer.writerow(["", "示例蔬菜专业合作社", "农民合作社", "", "王示例", "0994-0000000", f"{township_name}{village_name}3组",
                     township_name, village_name, "蔬菜", "是", "65230100000001", "是", "是", "2024-03-15", "李示例",
                     "0994-0000001", "", "是"])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
