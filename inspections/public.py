"""What a producer's public page says about its inspections and tests (issue 10, item 8).

Registered as a section of the producer page (disclosure.sections) from InspectionsConfig.ready(). The
loader runs the same five queries whatever the producer's history: the last four confirmed inspections,
the failed items among them, the last four rapid tests, the last four quantitative tests, and the
rectification orders that came from inspections or tests. It never reads inspectors' names, notes,
photos, the representative present or anything else about people: dates, items and results only.
"""

import datetime
import decimal
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from casework.models import Rectification, RectificationState

from .models import (
    Inspection,
    InspectionItem,
    Item,
    Kind,
    LabTest,
    Outcome,
    RapidTest,
    Result,
    Sample,
    Verdict,
)

RECENT = 4
TEMPLATE = "inspections/producer_section.html"

# Short public names of the seven items (附件1 第六条); the full wording is on the inspector's form.
ITEM_SHORT = {
    Item.RECORDS: gettext_lazy("生产记录"),
    Item.INPUT_PURCHASE: gettext_lazy("投入品购买管理"),
    Item.DRUG_USE: gettext_lazy("农药兽药使用"),
    Item.ADDITIVES: gettext_lazy("保鲜剂、防腐剂、添加剂使用"),
    Item.WASTE: gettext_lazy("投入品废弃物处置"),
    Item.CERTIFICATES: gettext_lazy("合格证和追溯凭证"),
    Item.OTHER: gettext_lazy("其他情况"),
}
KIND_PUBLIC = {
    Kind.ROUTINE: gettext_lazy("日常巡查"),
    Kind.FOLLOW_UP: gettext_lazy("整改复查"),
    Kind.HAZARD: gettext_lazy("隐患排查"),
}


@dataclass
class Entry:
    """One line of the short list: a date, what happened, and its outcome in plain words."""

    on: datetime.date
    what: str
    outcome: str
    state: str  # "ok", "bad" or "pending": a word-free hint for the page's styling, never the only signal
    order: int = 0


def _number(value: decimal.Decimal) -> str:
    """0.0500 → "0.05", 1.0000 → "1"."""
    return format(value.normalize(), "f")


def _source_types() -> list[int]:
    """Content types of what can open a rectification here (cached by Django after the first call)."""
    return [ct.pk for ct in ContentType.objects.get_for_models(Inspection, Sample, RapidTest, LabTest).values()]


def _rectification_words(order: Rectification | None) -> str:
    if order is None:
        return ""
    if order.state == RectificationState.OPEN:
        return _("已限期整改至 %(due)s") % {"due": order.due.isoformat()}
    if order.state == RectificationState.DONE:
        return _("经复查已整改到位") if order.closed_on is None else (
            _("%(day)s复查，已整改到位") % {"day": order.closed_on.isoformat()})
    return _("整改不到位，已移送执法部门")


def inspection_outcome(inspection: Inspection, failed: list[int], order: Rectification | None) -> str:
    """"7 项均符合" / "6 项符合，1 项不适用" / "1 项不符合（投入品废弃物处置），已限期整改至 …"."""
    if inspection.failed_items:
        separator = ", " if (get_language() or "").startswith("en") else "、"
        names = separator.join(str(ITEM_SHORT[i]) for i in failed) if failed else ""
        n = inspection.failed_items
        words = (ngettext("%(n)d 项不符合（%(items)s）", "%(n)d 项不符合（%(items)s）", n) % {"n": n, "items": names}
                 if names else ngettext("%(n)d 项不符合", "%(n)d 项不符合", n) % {"n": n})
        action = _rectification_words(order)
        return _("%(words)s，%(action)s") % {"words": words, "action": action} if action else words
    na = getattr(inspection, "na_count", 0)
    if na:
        return _("%(ok)d 项符合，%(na)d 项不适用") % {"ok": len(Item) - na, "na": na}
    return _("%(n)d 项均符合") % {"n": len(Item)}


def _rapid_entry(test: RapidTest) -> Entry:
    what = _("快速检测 %(product)s（%(target)s）") % {"product": test.sample.product, "target": test.target}
    if test.result == Outcome.NEGATIVE:
        return Entry(test.tested_on, what, _("阴性，未发现问题"), "ok", 1)
    word = _("阳性") if test.result == Outcome.POSITIVE else _("可疑")
    if test.lab_count:
        return Entry(test.tested_on, what, _("%(word)s，已送实验室定量检测") % {"word": word}, "pending", 1)
    return Entry(test.tested_on, what, _("%(word)s，等待实验室定量检测确认") % {"word": word}, "pending", 1)


def _lab_entry(test: LabTest) -> Entry:
    what = _("定量检测 %(product)s（%(target)s）") % {"product": test.sample.product, "target": test.target}
    limit = f"{_number(test.limit)} {test.unit}"
    if test.value is None:
        return Entry(test.reported_on, what, _("合格，未检出（限量 %(limit)s）") % {"limit": limit}, "ok", 2)
    value = f"{_number(test.value)} {test.unit}"
    if test.verdict == Verdict.FAIL:
        return Entry(test.reported_on, what, _("不合格：检测值 %(value)s，超过限量 %(limit)s")
                     % {"value": value, "limit": limit}, "bad", 2)
    return Entry(test.reported_on, what, _("合格：检测值 %(value)s，限量 %(limit)s") % {"value": value, "limit": limit},
                 "ok", 2)


def producer_inspections(producer) -> dict:
    """The section's context: the last inspection in words, the last four inspections and tests, and the
    open rectification orders with what they mean. Five queries whatever the history."""
    inspections = list(Inspection.objects.confirmed().filter(producer=producer)
                       .annotate(na_count=Count("items", filter=Q(items__result=Result.NA)))
                       .order_by("-inspected_on", "-id")[:RECENT])
    failed: dict[int, list[int]] = {}
    if inspections:  # run whether or not one failed, so that the count of queries does not vary
        shown = [i.pk for i in inspections]
        for inspection_id, item in (InspectionItem.objects.filter(inspection_id__in=shown, result=Result.FAIL)
                                    .order_by("item").values_list("inspection_id", "item")):
            failed.setdefault(inspection_id, []).append(item)
    rapid = list(RapidTest.objects.filter(sample__producer=producer).select_related("sample")
                 .annotate(lab_count=Count("lab_tests")).order_by("-tested_on", "-id")[:RECENT])
    lab = list(LabTest.objects.filter(sample__producer=producer).select_related("sample")
               .order_by("-reported_on", "-id")[:RECENT])
    types = _source_types()
    inspection_type = ContentType.objects.get_for_model(Inspection).pk
    orders = list(Rectification.objects.filter(producer=producer, source_type_id__in=types)
                  .filter(Q(state=RectificationState.OPEN)
                          | Q(source_type_id=inspection_type, source_id__in=[i.pk for i in inspections]))
                  .order_by("due", "id"))
    by_inspection = {o.source_id: o for o in orders if o.source_type_id == inspection_type}

    outcomes = {i.pk: inspection_outcome(i, failed.get(i.pk, []), by_inspection.get(i.pk)) for i in inspections}
    entries = [Entry(i.inspected_on, str(KIND_PUBLIC.get(i.kind, _("巡查"))), outcomes[i.pk],
                     "bad" if i.failed_items else "ok") for i in inspections]
    entries += [_rapid_entry(t) for t in rapid] + [_lab_entry(t) for t in lab]
    entries.sort(key=lambda e: (e.on, -e.order), reverse=True)

    last = inspections[0] if inspections else None
    open_orders = [o for o in orders if o.state == RectificationState.OPEN]
    return {
        "last": last,
        "last_kind": str(KIND_PUBLIC.get(last.kind, "")) if last else "",
        "last_outcome": outcomes[last.pk] if last else "",
        "last_ok": bool(last) and not last.failed_items,
        "recent": entries[:RECENT],
        "open_orders": [{"due": o.due, "ordered_on": o.ordered_on, "overdue": o.is_overdue} for o in open_orders],
    }
