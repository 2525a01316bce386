"""The region generator's complaints (投诉举报): received evenly over the years (so that a later internal
number is a later complaint), routed like complaint_submit() routes them — to a named producer's village,
else to the village, township or county given — and in the states their age makes likely, with the dates,
deadlines and current deadline (due_on) that the lifecycle services would have kept."""

import datetime

from django.utils import timezone

from complaints.models import Complaint
from complaints.models.complaints import TRACKING_ALPHABET, TRACKING_LENGTH
from disclosure.models import Producer

from .places import GIVEN, SURNAMES
from .producers import Shape
from .sql import day, insert_select, lit, mix, moment, pick, scalar, series, table, weighted

CHUNK = 1_000_000
TEXTS = ["看到有人在大棚里喷洒禁用农药，气味很冲。", "养殖户说羊刚打完针就要卖，好像没有等休药期。",
         "在市场买的芹菜吃了以后嘴里发麻，担心农药残留超标。", "合作社卖菜没有开合格证，问了说不用开。",
         "附近一家农资店私下卖禁用农药，说是老客户才卖。", "有人在葡萄上抹药水保鲜，不知道是什么。",
         "地头堆着很多空农药瓶，没有回收，下雨流进水渠。", "孩子吃了草莓后肚子疼，请帮忙查一下。"]
CATEGORIES = ["banned_pesticide", "vet_drug", "residue", "certificate", "input_shop", "illegal_additive", "other",
              "residue"]  # matching TEXTS
IN_HAND = "('accepted', 'assigned', 'investigating', 'rectifying', 'rectified', 'referred', 'reply_drafted', 'reply_approved', 'reopened')"
HANDLED = "('assigned', 'investigating', 'rectifying', 'rectified', 'referred', 'reply_drafted', 'reply_approved', 'closed')"
VERSIONS = {"submitted": 1, "accepted": 2, "not_accepted": 2, "transferred": 2, "assigned": 3, "investigating": 4,
            "rectifying": 5, "rectified": 6, "referred": 5, "reply_drafted": 5, "reply_approved": 6, "closed": 7}


def _states(h: str) -> str:
    """The state, by age in days (a.age): old complaints are mostly finished, the last fortnight's mostly open."""
    old = weighted(h, [(88, "'closed'"), (5, "'not_accepted'"), (4, "'transferred'"), (1, "'investigating'"),
                       (1, "'rectifying'"), (1, "'referred'")])
    recent = weighted(h, [(50, "'closed'"), (4, "'not_accepted'"), (3, "'transferred'"), (2, "'accepted'"),
                          (8, "'assigned'"), (15, "'investigating'"), (8, "'rectifying'"), (2, "'rectified'"),
                          (2, "'referred'"), (4, "'reply_drafted'"), (2, "'reply_approved'")])
    fresh = weighted(h, [(40, "'submitted'"), (15, "'accepted'"), (15, "'assigned'"), (15, "'investigating'"),
                         (5, "'not_accepted'"), (3, "'transferred'"), (7, "'closed'")])
    return (f"CASE WHEN a.age = 0 THEN 'submitted' WHEN a.age > 120 THEN {old} "
            f"WHEN a.age > 14 THEN {recent} ELSE {fresh} END")


def _tracking(i: str, offset: int) -> str:
    """12 characters: the first six an affine bijection of the running number (so codes are unique), the
    rest pseudo-random."""
    n = len(TRACKING_ALPHABET)
    half = TRACKING_LENGTH // 2
    first = f"((CAST({i} AS BIGINT) + {offset}) * 146484371 + 7) % {n ** half}"
    second = f"{mix(i, 31)} % {n ** half}"
    return " || ".join(f"substr({lit(TRACKING_ALPHABET)}, CAST((({x}) / {n ** k}) % {n} AS INTEGER) + 1, 1)"
                       for x in (first, second) for k in range(half))


def complaints_add(shape: Shape, *, targets: int, producer_base: int, report=print) -> dict[str, int]:
    """shape.complaints complaints, in chunks; returns their count and the first id."""
    total = shape.complaints
    if total <= 0 or targets == 0:
        return {"complaints": 0}
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(shape.start, datetime.time.min, tzinfo=tz)
    seconds = int((timezone.now() - start).total_seconds()) - 60
    last_day = (shape.today - shape.start).days
    base = int(scalar(f"SELECT COALESCE(MAX(id), 0) FROM {table(Complaint)}") or 0) + 1  # noqa: S608
    offset = Complaint.objects.count()
    producers = shape.producers if producer_base else 0
    about = f"CASE WHEN {producers} > 0 AND {mix('a.i', 32)} % 100 < 70 THEN 1 ELSE 0 END"
    lag = "(CASE WHEN a.age < 3 THEN " + mix("a.i", 33) + " % a.age ELSE " + mix("a.i", 33) + " % 3 END)"
    def source(first: int, last: int) -> str:
        return f"""
      (SELECT x.*, x.lag + {mix('x.i', 34)} % (CASE WHEN x.age - x.lag > 100 THEN 100
                                                      WHEN x.age - x.lag < 1 THEN 1 ELSE x.age - x.lag END) AS delay
         FROM (SELECT a.*, {_states(mix('a.i', 35))} AS state,
                      CASE WHEN a.age = 0 THEN 0 ELSE {lag} END AS lag, {about} AS about,
                      {producer_base or 0} + {mix('a.i', 36)} % {max(producers, 1)} AS pid,
                      1 + {mix('a.i', 37)} % {targets} AS tk, {mix('a.i', 38)} % 100 AS h
                 FROM (SELECT b.i, b.secs, b.secs / 86400 AS d, {last_day} - b.secs / 86400 AS age
                         FROM (SELECT s.i, CAST(s.i - 1 AS BIGINT) * {seconds} / {total} AS secs
                                 FROM {series(first, last, 's')}) b) a) x) y
      LEFT JOIN {table(Producer)} p ON y.about = 1 AND p.id = y.pid
      LEFT JOIN gen_village pv ON pv.id = p.village_id
      LEFT JOIN gen_target t ON y.about = 0 AND t.k = y.tk
      LEFT JOIN gen_user u ON u.grid_id = COALESCE(pv.parent_id, t.township_id, t.grid_id)"""  # noqa: S608

    submitted = moment(start, "y.secs")
    accepted = moment(start, "y.secs + y.lag * 86400 + 3600")
    finished = moment(start, "y.secs + (CASE WHEN y.state = 'closed' THEN y.delay ELSE y.lag END) * 86400 + 7200")
    clock = day(shape.start, "y.d + y.lag + 1")
    finish_due = day(shape.start, "y.d + y.lag + 85")
    is_in_hand = f"y.state IN {IN_HAND}"
    accepted_states = "y.state NOT IN ('submitted', 'not_accepted', 'transferred')"
    rated = "y.state = 'closed' AND y.h < 40 AND y.age - y.delay >= 2"
    text = mix("y.i", 39)
    values = {
        "id": f"{base - 1} + y.i", "tracking_code": _tracking("y.i", offset),
        "kind": f"CASE WHEN {text} % 2 = 0 THEN 'report' ELSE 'complaint' END",
        "category": pick(text, CATEGORIES), "description": pick(text, TEXTS),
        "channel": weighted(mix("y.i", 40), [(60, "'web'"), (15, "'phone'"), (15, "'hotline_12345'"),
                                               (5, "'in_person'"), (5, "'letter'")]),
        "producer": "p.id", "grid": "COALESCE(p.village_id, t.grid_id)",
        "township": "COALESCE(pv.parent_id, t.township_id)", "county": "COALESCE(pv.county_id, t.county_id)",
        "place_village": "COALESCE(p.village_id, CASE WHEN t.grid_id <> t.township_id THEN t.grid_id END)",
        "place_township": "COALESCE(pv.parent_id, t.township_id)",
        "anonymous": "CASE WHEN y.h % 10 < 3 THEN TRUE ELSE FALSE END",
        "reporter_name": f"CASE WHEN y.h % 10 >= 6 THEN {pick('y.h', list(SURNAMES))} || {pick('y.i', GIVEN)} ELSE '' END",
        "reporter_phone": f"CASE WHEN y.h % 10 >= 3 THEN '13' || (100000000 + {mix('y.i', 41)} % 900000000) ELSE '' END",
        "consent_at": f"CASE WHEN y.h % 10 >= 3 THEN {submitted} END",
        "state": "y.state", "version": "CASE y.state " + " ".join(
            f"WHEN '{s}' THEN {v}" for s, v in VERSIONS.items()) + " ELSE 1 END",
        "assignee": f"CASE WHEN y.state IN {HANDLED} THEN u.user_id END",
        "submitted_at": submitted, "accepted_at": f"CASE WHEN {accepted_states} THEN {accepted} END",
        "closed_at": f"CASE WHEN y.state IN ('closed', 'not_accepted', 'transferred') THEN {finished} END",
        "accept_due": day(shape.start, "y.d + 9"),
        "clock_started_on": f"CASE WHEN {accepted_states} THEN {clock} END",
        "finish_due": f"CASE WHEN {accepted_states} THEN {finish_due} END",
        "due_on": f"CASE WHEN y.state = 'submitted' THEN {day(shape.start, 'y.d + 9')} "
                  f"WHEN {is_in_hand} THEN {finish_due} END",
        "rectification_due": f"CASE WHEN y.state IN ('rectifying', 'rectified') THEN {day(shape.start, 'y.d + y.lag + 31')} END",
        "transferred_to": "CASE WHEN y.state = 'transferred' THEN '县市场监督管理局' ELSE '' END",
        "referred_to": "CASE WHEN y.state = 'referred' THEN '县农业综合行政执法大队' ELSE '' END",
        "reply_text": "CASE WHEN y.state IN ('closed', 'reply_drafted', 'reply_approved') "
                      "THEN '经调查核实，已依法处理，并责令整改、复查合格。' ELSE '' END",
        "reply_drafted_by": "CASE WHEN y.state = 'reply_drafted' THEN u.user_id END",
        "reply_approved_by": "CASE WHEN y.state IN ('reply_approved', 'closed') THEN u.user_id END",
        "reply_approved_at": f"CASE WHEN y.state = 'closed' THEN {finished} END",
        "closed_on_time": "CASE WHEN y.state <> 'closed' THEN NULL WHEN y.delay - y.lag <= 85 THEN TRUE ELSE FALSE END",
        "rating": f"CASE WHEN {rated} THEN " + weighted(mix("y.i", 42), [(40, "5"), (35, "4"), (15, "3"), (7, "2"), (3, "1")]) + " END",
        "rated_at": f"CASE WHEN {rated} THEN {moment(start, 'y.secs + (y.delay + 1) * 86400 + 7200')} END",
        "updated_at": submitted,
    }
    done = 0
    for first in range(1, total + 1, CHUNK):
        last = min(first + CHUNK - 1, total)
        done += insert_select(Complaint, values, source(first, last))
        report(f"  {last:,} of {total:,} complaints")
    return {"complaints": done, "base": base}
