"""Open data of the inspections (issue 10, item 8): /api/v1/inspections/ and /api/v1/coverage/.

Served by the portal's /api/v1/ through disclosure.api.extensions (registered from InspectionsConfig.ready()),
so they share its OpenAPI description, paging, ETags, CORS and errors. Only confirmed inspections of
published producers; dates, items and results only — no inspectors, representatives, notes or photos.
"""

import datetime
from functools import cache
from typing import Literal

from django.db.models import Count, Max, Prefetch, Sum
from django.utils import timezone, translation
from ninja import Field, Query, Router
from ninja.decorators import decorate_view

from disclosure.api.extensions import (
    ERROR_RESPONSES,
    YEAR_RULE,
    LangQuery,
    Out,
    PageMeta,
    PageQuery,
    PlaceRef,
    cached,
    check_parameters,
    invalid_parameter,
    paginate,
    place,
    state,
    township_param,
    with_query_schema,
)
from disclosure.models import Producer
from disclosure.models.producers import CODE_ALPHABET, CODE_LENGTH
from portal.qr import absolute_url

from .models import (
    Inspection,
    InspectionPlan,
    Item,
    Kind,
    LabTest,
    Method,
    Outcome,
    PlannedVisit,
    RapidTest,
    Result,
    Verdict,
)
from .public import KIND_PUBLIC
from .services.coverage import CoverageError, CoverageRow, coverage_for, rules, year_check

router = Router(tags=["inspections"])

PARAMETER_RULES = {
    "since": ("起始日期 since 须为 ISO 8601 格式的日期，例如 2026-01-01。",
              "since must be an ISO 8601 date, e.g. 2026-01-01."),
    "producer": ("生产主体 producer 须为 6 位公示编码，例如 3C7KXM。", "producer must be a 6-character public code."),
}


# --- shapes -----------------------------------------------------------------------------------------

class InspectionQuery(PageQuery):
    township: str | None = Field(None, description="乡镇区划代码或网址名，如 652301101 或 sangong / township code or slug")
    producer: str | None = Field(None, description="生产主体公示编码，如 3C7KXM / producer's public code")
    year: str | None = Field(None, description="巡查年度，如 2026 / year inspected")
    since: datetime.date | None = Field(None, description="只列出此日期及以后的巡查（ISO 8601 日期）/ inspected on or after")


class CoverageQuery(LangQuery):
    year: str | None = Field(None, description="年度，默认今年，如 2026 / year, this year by default")


class ProducerRef(Out):
    code: str = Field(description="公示编码 / public code")
    name: str = Field(description="名称 / name")
    page_url: str = Field(description="公开页面 / public page")


class ItemOut(Out):
    item: int = Field(description="巡查内容编号（附件1 第六条，1–7）/ checklist item number")
    label: str = Field(description="巡查内容 / checklist item")
    result: Literal[tuple(Result.values)] = Field(description="pass 符合、fail 不符合、na 不适用 / result")
    result_label: str = Field(description="结果 / result, in words")


class RapidOut(Out):
    sample_number: str = Field(description="样品编号 / sample number")
    product: str = Field(description="样品名称 / product sampled")
    tested_on: datetime.date = Field(description="检测日期 / date tested")
    method: Literal[tuple(Method.values)] = Field(description="检测方法代码 / method")
    method_label: str = Field(description="检测方法 / method, in words")
    target: str = Field(description="检测项目（药物或类别）/ substance or group tested for")
    substance_id: int | None = Field(description="禁限用药物名录中的条目编号（/api/v1/substances/），无则为 null")
    result: Literal[tuple(Outcome.values)] = Field(description="negative 阴性、positive 阳性、suspect 可疑 / result")
    result_label: str = Field(description="结果 / result, in words")
    inhibition_rate: float | None = Field(description="抑制率（%），酶抑制法才有 / inhibition rate, enzyme method only")


class LabOut(Out):
    sample_number: str = Field(description="样品编号 / sample number")
    product: str = Field(description="样品名称 / product sampled")
    reported_on: datetime.date = Field(description="报告日期 / report date")
    lab: str = Field(description="检测机构 / laboratory")
    report_number: str = Field(description="检测报告编号 / report number")
    target: str = Field(description="检测项目 / substance measured")
    substance_id: int | None = Field(description="禁限用药物名录中的条目编号，无则为 null / entry on the list")
    value: float | None = Field(description="检测值，未检出为 null / measured value, null when not detected")
    limit: float = Field(description="限量值 / maximum residue limit")
    unit: str = Field(description="单位，如 mg/kg / unit")
    verdict: Literal[tuple(Verdict.values)] = Field(description="pass 合格、fail 不合格 / verdict")
    verdict_label: str = Field(description="结论 / verdict, in words")


class InspectionOut(Out):
    id: int = Field(description="巡查记录编号 / record id")
    producer: ProducerRef = Field(description="生产主体 / producer")
    township: PlaceRef = Field(description="巡查时主体所在乡镇 / township at the time")
    inspected_on: datetime.date = Field(description="巡查日期 / date inspected")
    kind: Literal[tuple(Kind.values)] = Field(description="routine 日常巡查、follow_up 整改复查、hazard 隐患排查")
    kind_label: str = Field(description="类型 / kind, in words")
    failed_items: int = Field(description="不符合项数 / items not compliant")
    items: list[ItemOut] = Field(description="七项巡查内容的结果 / the seven items' results")
    rapid_tests: list[RapidOut] = Field(description="这次巡查所抽样品的快速检测 / rapid tests of samples taken")
    lab_tests: list[LabOut] = Field(description="这些样品的委托定量检测 / quantitative tests of those samples")


class InspectionPage(PageMeta):
    results: list[InspectionOut]


class MonthOut(Out):
    month: int = Field(description="月份 / month")
    planned: int = Field(description="计划巡查次数 / visits planned")
    done: int = Field(description="完成巡查次数（已确认的巡查记录）/ confirmed inspections")


class CoverageRowOut(Out):
    township: PlaceRef | None = Field(description="乡镇；全市合计为 null / township, null for the city total")
    has_plan: bool = Field(description="已制定年度巡查计划 / has a yearly plan")
    producers: int = Field(description="名录中的生产主体数 / producers on the registry")
    producers_required: int = Field(description="按规则需要巡查的主体数 / producers the rules ask visits of")
    required: int = Field(description="按规则全年应巡查次数（含高峰期加密和已列入计划的散户抽查）/ visits required")
    planned: int = Field(description="计划巡查次数 / visits planned")
    done: int = Field(description="已完成巡查次数 / confirmed inspections this year")
    due: int = Field(description="已过月份的计划巡查次数 / planned visits of the months already over")
    due_done: int = Field(description="其中已完成的 / of which done")
    producers_at_frequency: int = Field(description="全年巡查次数已达到规定频次的主体数 / producers at frequency")
    share_at_frequency: float | None = Field(description="达标主体占比（0–1），无需巡查的为 null / share at frequency")
    overdue_producers: int = Field(description="有逾期未巡查计划的主体数 / producers with an overdue visit")
    behind_plan: bool = Field(description="进度落后于计划（已过月份完成不足九成）或未制定计划 / behind plan")
    rapid_tests: int = Field(description="快速检测次数 / rapid tests done")
    open_rectifications: int = Field(description="巡查和检测发现问题、尚在整改中的 / open rectification orders")
    months: list[MonthOut] = Field(description="逐月计划和完成 / planned and done by month")


class CoverageOut(Out):
    year: int = Field(description="年度 / year")
    as_of: datetime.date = Field(description="统计日期 / figures as of")
    months_over: int = Field(description="已过去的整月数 / months of the year already over")
    townships: list[CoverageRowOut] = Field(description="各乡镇 / per township")
    city: CoverageRowOut = Field(description="全市合计 / city total")


# --- /api/v1/inspections/ ------------------------------------------------------------------------------

@cache
def _labels(choices) -> dict:
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in choices.choices}


def _number(value):
    return float(value) if value is not None else None


def _inspection(i: Inspection) -> dict:
    rapid, lab = [], []
    for sample in i.samples.all():
        rapid += [{"sample_number": sample.number, "product": sample.product, "tested_on": t.tested_on,
                   "method": t.method, "method_label": _labels(Method)[t.method], "target": t.target,
                   "substance_id": t.substance_id, "result": t.result, "result_label": _labels(Outcome)[t.result],
                   "inhibition_rate": _number(t.inhibition_rate)} for t in sample.rapid_tests.all()]
        lab += [{"sample_number": sample.number, "product": sample.product, "reported_on": t.reported_on,
                 "lab": t.lab, "report_number": t.report_number, "target": t.target, "substance_id": t.substance_id,
                 "value": _number(t.value), "limit": float(t.limit), "unit": t.unit, "verdict": t.verdict,
                 "verdict_label": _labels(Verdict)[t.verdict]} for t in sample.lab_tests.all()]
    producer = i.producer
    return {
        "id": i.pk, "inspected_on": i.inspected_on, "kind": i.kind, "kind_label": str(KIND_PUBLIC[i.kind]),
        "producer": {"code": producer.code, "name": producer.name, "page_url": absolute_url(f"/p/{producer.code}/")},
        "township": place(i.township), "failed_items": i.failed_items,
        "items": [{"item": it.item, "label": _labels(Item)[it.item], "result": it.result,
                   "result_label": _labels(Result)[it.result]} for it in i.items.all()],
        "rapid_tests": rapid, "lab_tests": lab,
    }


def _inspections_state():
    return [*state(Producer.objects.all()),
            Inspection.objects.filter(confirmed=True).aggregate(n=Count("id"), t=Max("id"), c=Max("confirmed_at"))]


def _year(request, value) -> int:
    try:
        return year_check(value)
    except CoverageError as exc:
        raise invalid_parameter("year", exc.value, YEAR_RULE, first=exc.first, last=exc.last,
                   example=timezone.localdate().year) from None


@router.get("/inspections/", response={200: InspectionPage, **ERROR_RESPONSES}, summary="巡查记录 / inspections",
            description="已确认的日常巡查记录（公开的生产主体），新的在前：日期、乡镇、七项巡查内容的结果、所抽样品的快速检测和"
                        "定量检测结果。不含巡查人员、在场人员、说明和照片。/ Confirmed inspections with item and test "
                        "results; no people, notes or photos.")
@decorate_view(with_query_schema(InspectionQuery))
@cached(_inspections_state)
def inspections(request, filters: Query[InspectionQuery]):
    check_parameters(request, InspectionQuery)
    found = Inspection.objects.filter(confirmed=True, producer__published=True)
    if filters.township:
        found = found.filter(township=township_param(request, filters.township))
    if filters.producer:
        code = filters.producer.strip().upper()
        if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
            raise invalid_parameter("producer", filters.producer, PARAMETER_RULES["producer"])
        found = found.filter(producer__code=code)
    if filters.year:
        year = _year(request, filters.year)
        found = found.filter(inspected_on__gte=datetime.date(year, 1, 1), inspected_on__lt=datetime.date(year + 1, 1, 1))
    if filters.since:
        found = found.filter(inspected_on__gte=filters.since)
    found = (found.select_related("producer", "township")
             .prefetch_related("items", Prefetch("samples__rapid_tests", RapidTest.objects.order_by("tested_on", "id")),
                               Prefetch("samples__lab_tests", LabTest.objects.order_by("reported_on", "id")))
             .order_by("-inspected_on", "-id"))
    return paginate(request, found, filters, _inspection)


# --- /api/v1/coverage/ ------------------------------------------------------------------------------

def _row(row: CoverageRow) -> dict:
    return {
        "township": place(row.township) if row.township else None, "has_plan": row.has_plan,
        "producers": row.producers, "producers_required": row.producers_required, "required": row.required,
        "planned": row.planned, "done": row.done, "due": row.due, "due_done": row.due_done,
        "producers_at_frequency": row.producers_at_frequency,
        "share_at_frequency": round(row.share_at_frequency, 4) if row.share_at_frequency is not None else None,
        "overdue_producers": row.overdue_producers, "behind_plan": row.behind or row.unplanned,
        "rapid_tests": row.rapid_tests, "open_rectifications": row.open_rectifications,
        "months": [{"month": m, "planned": cell.planned, "done": cell.done} for m, cell in enumerate(row.months, 1)],
    }


def _coverage_state():
    r = rules()
    return [timezone.localdate(), [r.main_per_year, r.scale_per_year, r.key_per_year, r.input_shop_per_year,
                                   r.peak_extra_visits],
            *state(Producer.objects.all()), InspectionPlan.objects.aggregate(n=Count("id"), t=Max("updated_at")),
            PlannedVisit.objects.aggregate(n=Count("id"), t=Max("id"), v=Sum("version")),
            Inspection.objects.aggregate(n=Count("id"), t=Max("id"), c=Max("confirmed_at"))]


@router.get("/coverage/", response={200: CoverageOut, **ERROR_RESPONSES}, summary="巡查频次达标 / coverage",
            description="某一年度各乡镇和全市的日常巡查情况：按规则应巡查次数、计划和完成次数（逐月）、达到规定频次的主体占比、"
                        "逾期未巡查的主体数、快速检测次数。year 默认今年。/ Per township and the city: visits required, "
                        "planned and done by month, share of producers at their required frequency.")
@decorate_view(with_query_schema(CoverageQuery))
@cached(_coverage_state)
def coverage(request, filters: Query[CoverageQuery]):
    check_parameters(request, CoverageQuery)
    year = _year(request, filters.year) if filters.year is not None else timezone.localdate().year
    figures = coverage_for(year=year)
    return {"year": year, "as_of": figures.on, "months_over": figures.months_over,
            "townships": [_row(r) for r in figures.townships], "city": _row(figures.city)}
