"""The region generator's lookup tables and producers: the unit's villages, townships and routing targets
numbered 1…n (so a row picks one by arithmetic), then producers with their public codes, credit ratings and
risk assessments, in a few INSERT … SELECT statements."""

import datetime
from dataclasses import dataclass

from disclosure.models import (
    CreditRating,
    Grid,
    Person,
    Producer,
    PublicCode,
    RiskAssessment,
    RoleAssignment,
)
from disclosure.models.producers import CODE_ALPHABET, CODE_LENGTH, STANDARD_COMMITMENT

from .places import GIVEN, SURNAMES
from .sql import (
    day,
    insert_select,
    lit,
    mix,
    pick,
    plus_days,
    postgres,
    run,
    series,
    table,
    temp_table,
    weighted,
)

PRODUCTS = ["蔬菜", "葡萄", "红枣", "棉花", "小麦", "玉米", "番茄", "辣椒", "苹果", "香梨", "核桃", "哈密瓜",
            "羊肉", "牛奶", "鸡蛋", "枸杞", "西甜瓜", "食用菌"]
BRANDS = ["丰收", "绿源", "天山", "金穗", "阳光", "瑞丰", "沃土", "雪莲", "福农", "昆仑"]
KINDS = [(5, "enterprise"), (10, "cooperative"), (12, "family_farm"), (20, "large_grower"), (40, "smallholder"),
         (8, "input_shop"), (5, "storage")]
NAMED = {"enterprise": "农业科技有限公司", "cooperative": "种植专业合作社", "family_farm": "家庭农场",
         "large_grower": "种植大户", "input_shop": "农资经营部", "storage": "果蔬保鲜库"}


@dataclass
class Shape:
    """What to generate: the unit, the sizes, and the years the records span (this year and those before)."""

    unit: Grid
    producers: int
    complaints: int
    inspections: int
    years: int
    samples_permille: int
    today: datetime.date

    @property
    def first_year(self) -> int:
        return self.today.year - self.years + 1

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.first_year, 1, 1)

    @property
    def span_days(self) -> int:
        """Days from the first of January of the first year to today, both counted."""
        return (self.today - self.start).days + 1


def lookups_make(unit: Grid) -> dict[str, int]:
    """Temporary tables numbering the unit's villages (gen_village), townships (gen_township), routing targets
    (gen_target: villages, townships, counties) and supervisors' accounts by grid (gen_user)."""
    grid = table(Grid)
    inside = f"g.path LIKE {lit(unit.path + '%')}"
    sizes = {
        "villages": temp_table("gen_village", "SELECT row_number() OVER (ORDER BY g.path) AS k, g.id, g.parent_id, "  # noqa: S608
                                              f"tw.parent_id AS county_id FROM {grid} g JOIN {grid} tw ON tw.id = g.parent_id "
                                              f"WHERE g.level = 'village' AND {inside}", index="k"),
        "townships": temp_table("gen_township", "SELECT row_number() OVER (ORDER BY g.path) AS k, g.id "  # noqa: S608
                                                f"FROM {grid} g WHERE g.level = 'township' AND {inside}", index="k"),
        "targets": temp_table("gen_target", f"""
            SELECT row_number() OVER (ORDER BY g.path) AS k, g.id AS grid_id,
                   CASE g.level WHEN 'village' THEN g.parent_id WHEN 'township' THEN g.id END AS township_id,
                   CASE g.level WHEN 'village' THEN tw.parent_id WHEN 'township' THEN g.parent_id ELSE g.id END
                     AS county_id
              FROM {grid} g LEFT JOIN {grid} tw ON tw.id = g.parent_id
             WHERE g.level IN ('village', 'township', 'city') AND {inside}""", index="k"),  # noqa: S608
    }
    temp_table("gen_user", f"""
        SELECT ra.grid_id, MIN(pe.user_id) AS user_id FROM {table(RoleAssignment)} ra
          JOIN {table(Person)} pe ON pe.id = ra.person_id
         WHERE ra.role = 'supervisor' AND ra.end_date IS NULL AND pe.user_id IS NOT NULL
         GROUP BY ra.grid_id""", index="grid_id")  # noqa: S608
    return sizes


def _code(i: str) -> str:
    """The i-th public code: an affine map of i modulo 25**6 (a bijection: the factor is prime to 5), in base 25."""
    space = len(CODE_ALPHABET) ** CODE_LENGTH
    x = f"((CAST({i} AS BIGINT) * 97654321 + 91300411) % {space})"
    digits = [f"substr({lit(CODE_ALPHABET)}, CAST(({x} / {len(CODE_ALPHABET) ** k}) % {len(CODE_ALPHABET)} AS INTEGER) + 1, 1)"
              for k in range(CODE_LENGTH)]
    return " || ".join(digits)


def producers_add(shape: Shape, *, villages: int) -> dict[str, int]:
    """`shape.producers` producers spread over the villages, each with a public code never issued before
    (recorded in PublicCode like PublicCode.objects.issue() does); graded ones with their rating, assessed
    ones with their risk assessment. Returns counts, and the first producer id as "base"."""
    n = shape.producers
    if n <= 0 or villages == 0:
        return {"producers": 0, "base": 0}
    issued = PublicCode.objects.count()
    wanted = n + issued + 10  # enough candidates even if every code issued so far is among them
    temp_table("gen_code", f"""
        SELECT row_number() OVER (ORDER BY c.i) AS k, c.code FROM (
          SELECT s.i, {_code('s.i')} AS code FROM {series(issued + 1, issued + wanted, 's')}) c
         WHERE NOT EXISTS (SELECT 1 FROM {table(PublicCode)} pc WHERE pc.code = c.code)""", index="k")  # noqa: S608
    insert_select(PublicCode, {"code": "c.code"}, f"gen_code c WHERE c.k <= {n}")
    base = Producer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    base += 1
    h = [mix("x.i", salt) for salt in range(8)]
    kind = weighted(mix("s.i", 0), [(w, lit(k)) for w, k in KINDS])
    brand = pick(h[1], BRANDS)
    name = ("CASE x.kind WHEN 'smallholder' THEN x.vname || " + pick(h[2], list(SURNAMES)) + " || "
            + pick(h[3], GIVEN) + " ELSE x.vname || " + brand + " || (CASE x.kind "
            + " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in NAMED.items()) + " END) || x.i END")
    main = "x.kind IN ('enterprise', 'cooperative', 'family_farm', 'large_grower', 'storage')"
    source = f"""(SELECT s.i, {kind} AS kind, c.code, v.id AS village_id, g.name AS vname,
                         {mix("s.i", 10)} % 100 AS trace, {mix("s.i", 11)} % 100 AS grade_h,
                         {mix("s.i", 12)} % 100 AS risk_h
                    FROM {series(1, n, 's')} JOIN gen_code c ON c.k = s.i
                    JOIN gen_village v ON v.k = 1 + {mix('s.i', 9)} % {villages}
                    JOIN {table(Grid)} g ON g.id = v.id) x"""  # noqa: S608
    grade = weighted("x.grade_h", [(55, "'A'"), (5, "'B'"), (1, "'C'"), (39, "'unrated'")])
    risk = weighted("x.risk_h", [(3, "'high'"), (17, "'medium'"), (40, "'low'"), (40, "''")])
    person = pick(h[2], list(SURNAMES)) + " || " + pick(h[3], GIVEN)
    insert_select(Producer, {
        "id": f"{base - 1} + x.i", "code": "x.code", "name": f"substr({name}, 1, 100)", "kind": "x.kind",
        "legal_representative": person, "phone": f"'13' || (100000000 + {h[7]} % 900000000)",
        "address": "x.vname || " + pick(h[1], ["一组", "二组", "三组", "四组", "五组", "六组"]),
        "village": "x.village_id",
        "products": f"CASE x.kind WHEN 'input_shop' THEN '农药、化肥、种子' ELSE {pick(h[5], PRODUCTS)} END",
        "on_traceability_platform": f"CASE WHEN {main} AND x.trace < 70 THEN TRUE ELSE FALSE END",
        "traceability_code": f"CASE WHEN {main} AND x.trace < 70 THEN 'ZS65' || ({base - 1} + x.i) ELSE '' END",
        "issues_certificates": f"CASE WHEN {main} AND x.trace < 85 THEN TRUE ELSE FALSE END",
        "self_commitment": "CASE WHEN x.trace < 90 THEN TRUE ELSE FALSE END",
        "commitment_text": lit(STANDARD_COMMITMENT),
        "commitment_signed_on": f"CASE WHEN x.trace < 90 THEN {day(shape.today, f'-({h[6]} % 700)')} END",
        "inspector_name": f"CASE WHEN {main} THEN {person} ELSE '' END",
        "inspector_phone": f"CASE WHEN {main} THEN '13' || (100000000 + {h[6]} % 900000000) ELSE '' END",
        "published": "CASE WHEN x.trace < 98 THEN TRUE ELSE FALSE END",
        "facts_confirmed_on": day(shape.today, f"-({h[4]} % 540)"),
        "grade": grade, "grade_since": f"CASE WHEN x.grade_h < 61 THEN {day(shape.today, f'-({h[7]} % 900)')} END",
        "risk_level": risk, "risk_since": f"CASE WHEN x.risk_h < 60 THEN {day(shape.today, f'-({h[5]} % 700)')} END",
    }, source)
    mine = f"{table(Producer)} p WHERE p.id >= {base}"
    ratings = insert_select(CreditRating, {
        "producer": "p.id", "grade": "p.grade", "effective_date": "p.grade_since",
        "basis": "'年度信用评价：日常巡查、抽检和投诉举报处理情况。'", "set_by_name": "'县农业农村局'",
        "next_review_date": plus_days("p.grade_since", "365")}, f"{mine} AND p.grade IN ('A', 'B', 'C')")
    risks = insert_select(RiskAssessment, {
        "producer": "p.id", "level": "p.risk_level", "effective_date": "p.risk_since",
        "reason": "'按生产规模、产品类别和近年巡查抽检结果评定。'", "set_by_name": "'乡镇监管站'"},
        f"{mine} AND p.risk_level <> ''")
    run("DROP TABLE IF EXISTS gen_code")
    return {"producers": n, "base": base, "ratings": ratings, "risk assessments": risks}


def vacuum_analyse(models_: list) -> None:
    """What autovacuum would do after a bulk load (statistics, and on PostgreSQL the visibility map that
    index-only scans need), so that measurements right after generating see a settled database."""
    from django.db import connection

    vacuum = postgres() and not connection.in_atomic_block  # VACUUM cannot run inside a transaction (tests)
    for model in models_:
        run(f"{'VACUUM ANALYZE' if vacuum else 'ANALYZE'} {table(model)}")
