"""The region generator's inspections: a yearly plan per township with the visits the rules ask of each
producer (附件1 第五条), inspections for most visits already due (linked to them), unplanned inspections up
to the number asked, and samples with a rapid test (laboratory tests for most positives)."""

from disclosure.models import Grid, Producer
from inspections.models import Inspection, InspectionPlan, LabTest, PlannedVisit, RapidTest, Sample
from inspections.services.plans import rules

from .places import GIVEN, SURNAMES
from .producers import Shape
from .sql import at_hour, day, insert_select, make_date, mix, pick, run, scalar, series, table, weighted

DONE_SHARE = 0.85  # of the planned visits already due, the share done
CHUNK = 1_000_000
PRODUCTS = ["芹菜", "韭菜", "番茄", "黄瓜", "辣椒", "豇豆", "葡萄", "苹果", "香梨", "红枣", "羊肉", "鸡蛋"]


def _names(h: str) -> str:
    return f"{pick(h, list(SURNAMES))} || {pick(h + ' / 7', GIVEN)} || '、' || {pick(h + ' / 13', list(SURNAMES))} || {pick(h + ' / 17', GIVEN)}"


def _requirement(r) -> str:
    """Visits a producer needs a year (as coverage counts them), spot checks for a share of small growers."""
    return f"""CASE WHEN p.grade IN ('B', 'C') OR p.risk_level = 'high' THEN {r.key_per_year}
                    WHEN p.kind IN ('enterprise', 'cooperative', 'family_farm', 'storage') THEN {r.main_per_year}
                    WHEN p.kind = 'large_grower' THEN {r.scale_per_year}
                    WHEN p.kind = 'input_shop' THEN {r.input_shop_per_year}
                    WHEN p.kind = 'smallholder' AND {mix('p.id', 13)} % 100 < {r.small_share_default} THEN 1
                    ELSE 0 END"""


def plans_add(shape: Shape, *, producer_base: int) -> dict[str, int]:
    """A plan per township and year, and its visits: month by month through the year for each producer."""
    years = shape.years
    plans = insert_select(InspectionPlan, {
        "township": "t.id", "year": f"{shape.first_year} + y.i", "small_share": str(rules().small_share_default),
        "peak_months": "''"},
        f"""gen_township t CROSS JOIN {series(0, years - 1, 'y')} WHERE NOT EXISTS (
              SELECT 1 FROM {table(InspectionPlan)} pl WHERE pl.township_id = t.id AND pl.year = {shape.first_year} + y.i)""")  # noqa: S608
    if not producer_base:
        return {"plans": plans, "visits": 0, "visit_base": 0}
    r = rules()
    most = max(r.key_per_year, r.main_per_year, r.scale_per_year, r.input_shop_per_year, 1)
    visit_base = int(scalar(f"SELECT COALESCE(MAX(id), 0) FROM {table(PlannedVisit)}") or 0) + 1  # noqa: S608
    span = "(12 / x.r)"
    month = (f"CASE WHEN x.r >= 12 THEN 1 + ((j.i - 1) * 12) / x.r "
             f"ELSE 1 + (j.i - 1) * {span} + {mix('x.pid * 7 + j.i', 14)} % {span} END")
    why = ("CASE WHEN x.is_key = 1 THEN 'key' WHEN x.kind = 'smallholder' THEN 'spot' ELSE 'required' END")
    visits = insert_select(PlannedVisit, {
        "id": f"{visit_base} + ((x.pid - {producer_base}) * {years} + y.i) * {most} + j.i - 1",
        "plan": "pl.id", "producer": "x.pid", "month": month, "reason": why},
        f"""(SELECT p.id AS pid, g.parent_id AS tid, p.kind, {_requirement(r)} AS r,
                    CASE WHEN p.grade IN ('B', 'C') OR p.risk_level = 'high' THEN 1 ELSE 0 END AS is_key
               FROM {table(Producer)} p JOIN {table(Grid)} g ON g.id = p.village_id
              WHERE p.id >= {producer_base}) x
            CROSS JOIN {series(0, years - 1, 'y')} CROSS JOIN {series(1, most, 'j')}
            JOIN {table(InspectionPlan)} pl ON pl.township_id = x.tid AND pl.year = {shape.first_year} + y.i
           WHERE j.i <= x.r""")  # noqa: S608
    return {"plans": plans, "visits": visits, "visit_base": visit_base}


def _inspection_values(date_sql: str, h: str, confirmed: str = "1 = 1") -> dict[str, str]:
    return {"inspected_on": date_sql, "inspector_names": _names(h),
            "failed_items": weighted(f"{h} / 3", [(92, "0"), (6, "1"), (2, "2")]),
            "confirmed": f"CASE WHEN {confirmed} THEN TRUE ELSE FALSE END",
            "confirmed_at": f"CASE WHEN {confirmed} THEN {at_hour(date_sql, 18)} END",
            "recorded_at": at_hour(date_sql, 17)}


def inspections_add(shape: Shape, *, producer_base: int, visit_base: int, report=print) -> dict[str, int]:
    """Inspections: DONE_SHARE of the due planned visits (linked to them), then unplanned ones up to
    shape.inspections, on random days of the years, by random producers."""
    total, producers = shape.inspections, shape.producers
    if total <= 0 or not producer_base:
        return {"inspections": 0, "from plans": 0, "base": 0}
    base = int(scalar(f"SELECT COALESCE(MAX(id), 0) FROM {table(Inspection)}") or 0) + 1  # noqa: S608
    visits, plans = table(PlannedVisit), table(InspectionPlan)
    due = (f"(pl.year < {shape.today.year} OR pv.month < {shape.today.month}) AND pv.id >= {visit_base}"
           if visit_base else "1 = 0")
    count_due = int(scalar(f"SELECT COUNT(*) FROM {visits} pv JOIN {plans} pl ON pl.id = pv.plan_id WHERE {due}") or 0)  # noqa: S608
    planned = min(round(count_due * DONE_SHARE), total)
    h = mix("d.vid", 15)
    done = 0
    if planned:
        done = insert_select(Inspection, {
            "id": f"{base} + d.vid - {visit_base}", "producer": "d.producer_id", "township": "d.township_id",
            "kind": "'routine'", **_inspection_values(make_date("d.year", "d.month", f"1 + {h} % 28"), h)},
            f"""(SELECT pv.id AS vid, pv.producer_id, pl.township_id, pl.year, pv.month,
                        row_number() OVER (ORDER BY {mix('pv.id', 16)}, pv.id) AS r
                   FROM {visits} pv JOIN {plans} pl ON pl.id = pv.plan_id WHERE {due}) d
              WHERE d.r <= {planned}""")  # noqa: S608
        inspections = table(Inspection)
        run(f"""UPDATE {visits} SET inspection_id = id - {visit_base} + {base}
                 WHERE id >= {visit_base} AND EXISTS (SELECT 1 FROM {inspections} i
                                                      WHERE i.id = {visits}.id - {visit_base} + {base})""")  # noqa: S608
        report(f"  {done:,} inspections of planned visits")
    first_free = int(scalar(f"SELECT COALESCE(MAX(id), 0) FROM {table(Inspection)}") or 0) + 1  # noqa: S608
    rest = total - done
    for start in range(1, rest + 1, CHUNK):
        stop = min(start + CHUNK - 1, rest)
        h = mix("s.i", 17)
        kind = weighted(mix("s.i", 18), [(80, "'routine'"), (5, "'follow_up'"), (15, "'hazard'")])
        insert_select(Inspection, {
            "id": f"{first_free - 1} + s.i", "producer": "p.id", "township": "g.parent_id", "kind": kind,
            **_inspection_values(day(shape.start, f"{mix('s.i', 20)} % {max(shape.span_days - 1, 1)}"), h,
                                 confirmed=f"{mix('s.i', 19)} % 100 >= 3")},
            f"""{series(start, stop, 's')}
                JOIN {table(Producer)} p ON p.id = {producer_base} + {mix('s.i', 21)} % {producers}
                JOIN {table(Grid)} g ON g.id = p.village_id""")  # noqa: S608
        report(f"  {stop:,} of {rest:,} unplanned inspections")
    return {"inspections": total, "from plans": done, "base": base}


def samples_add(shape: Shape, *, inspection_base: int) -> dict[str, int]:
    """A sample with a rapid test for shape.samples_permille of the inspections; a laboratory test for 70 %
    of the positive or suspect ones."""
    if not inspection_base or shape.samples_permille <= 0:
        return {"samples": 0}
    sample_base = int(scalar(f"SELECT COALESCE(MAX(id), 0) FROM {table(Sample)}") or 0) + 1  # noqa: S608
    samples = insert_select(Sample, {
        "id": f"{sample_base} + i.id - {inspection_base}", "number": f"'YPG' || ({sample_base} + i.id - {inspection_base})",
        "producer": "i.producer_id", "township": "i.township_id", "inspection": "i.id",
        "product": pick(mix("i.id", 22), PRODUCTS), "place": pick(mix("i.id", 23), ["田间", "基地", "大棚", "仓库"]),
        "quantity": "'1 kg'", "taken_at": at_hour("i.inspected_on", 11), "taken_by_name": _names(mix("i.id", 24))},
        f"{table(Inspection)} i WHERE i.id >= {inspection_base} AND {mix('i.id', 25)} % 1000 < {shape.samples_permille}")  # noqa: S608
    test_base = int(scalar(f"SELECT COALESCE(MAX(id), 0) FROM {table(RapidTest)}") or 0) + 1  # noqa: S608
    method = weighted(mix("s.id", 26), [(80, "'enzyme'"), (20, "'gold'")])
    tests = insert_select(RapidTest, {
        "id": f"{test_base} + s.id - {sample_base}", "sample": "s.id", "method": method,
        "target": f"CASE {method} WHEN 'enzyme' THEN '有机磷和氨基甲酸酯类农药' ELSE '克伦特罗' END",
        "result": weighted(mix("s.id", 27), [(96, "'negative'"), (2, "'positive'"), (2, "'suspect'")]),
        "tested_on": "i.inspected_on", "tested_by_name": _names(mix("s.id", 28))},
        f"{table(Sample)} s JOIN {table(Inspection)} i ON i.id = s.inspection_id WHERE s.id >= {sample_base}")  # noqa: S608
    detected = f"{mix('r.id', 29)} % 100 < 50"
    labs = insert_select(LabTest, {
        "sample": "r.sample_id", "rapid_test": "r.id", "lab": "'县农产品质量安全检验检测站'",
        "report_number": "'JC' || r.id", "target": "r.target",
        "value": f"CASE WHEN {detected} THEN 0.12 END", "limit": "0.05", "unit": "'mg/kg'",
        "verdict": f"CASE WHEN {detected} THEN 'fail' ELSE 'pass' END", "reported_on": "r.tested_on"},
        f"{table(RapidTest)} r WHERE r.id >= {test_base} AND r.result IN ('positive', 'suspect') "
        f"AND {mix('r.id', 30)} % 100 < 70")  # noqa: S608
    return {"samples": samples, "rapid tests": tests, "lab tests": labs}


