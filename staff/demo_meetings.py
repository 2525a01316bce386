"""Demo data for consultation meetings (问题会商): city and township meetings this year and last, with
outside experts, problems linked to the demo complaints, inspections and producers, and actions — most done,
some open, one overdue — plus a planned meeting. Runs once (nothing is added when a meeting exists)."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from complaints.models import Complaint
from disclosure.models import Grid, Producer, Role, RoleAssignment
from inspections.models import Inspection

EXPERTS = [("李示范", "昌吉州农产品质量安全检验检测中心高级农艺师"), ("周样例", "新疆农业大学植物保护学院副教授"),
           ("韩示例", "昌吉市市场监督管理局食品安全科科长")]


def _supervisor(grid: Grid, on: datetime.date):
    found = (RoleAssignment.objects.current(on).filter(grid=grid, role__in=[Role.SUPERVISOR, Role.CITY_FIRST])
             .select_related("person").first())
    return found.person if found else None


def _coordinators(township: Grid, on: datetime.date, n: int):
    return [a.person for a in RoleAssignment.objects.current(on).filter(grid__parent=township, role=Role.COORDINATOR)
            .select_related("person").order_by("grid__sort_order")[:n]]


def _problems(grid: Grid, held_on: datetime.date, texts: list[str]):
    """The problems, linked in turn to a complaint, an inspection that found shortcomings and a producer of the
    grid's area, each from before the meeting."""
    from gridwork.services.meetings import ProblemInput

    complaints = Complaint.objects.in_grid(grid).filter(submitted_at__date__lt=held_on).order_by("-submitted_at")
    inspections = (Inspection.objects.filter(failed_items__gt=0, inspected_on__lte=held_on).select_related("producer")
                   .order_by("-inspected_on"))
    if grid.level == "township":
        inspections = inspections.filter(township=grid)
    producers = Producer.objects.in_grid(grid).order_by("name")
    links = [{"complaint": complaints.first()}, {"inspection": inspections.first()},
             {"producer": producers.first()}, {}]
    return [ProblemInput(text=text, **{k: v for k, v in links[i % len(links)].items() if v is not None})
            for i, text in enumerate(texts)]


def _meeting(boss, grid: Grid, held_on: datetime.date, topic: str, *, people, experts, problems, minutes,
             actions=(), status="held"):
    """One meeting through the services; actions are (text, owner, days after the meeting, done after n days)."""
    from gridwork.services.meetings import action_add, action_done, meeting_save

    today = timezone.localdate()
    chair = _supervisor(grid, held_on)
    meeting = meeting_save(user=boss, grid=grid, held_on=held_on, place=f"{grid.name}农业农村工作会议室",
                           topic=topic, chair=chair.name if chair else "网格监管员", status=status, minutes=minutes,
                           people=[p for p in people if p], experts=experts, problems=problems)
    for text, owner, due_in, done_in in actions:
        if owner is None:
            continue
        action = action_add(user=boss, meeting=meeting, text=text, owner=owner,
                            due=held_on + datetime.timedelta(days=due_in))
        done_on = held_on + datetime.timedelta(days=done_in) if done_in is not None else None
        if done_on is not None and done_on <= today:
            action_done(user=boss, action=action, done_on=done_on, note="已按期落实，复查情况良好。")
    return meeting


@transaction.atomic
def load_meetings(out=None) -> int:
    """The demo meetings; returns how many were added (0 when meetings already exist)."""
    from gridwork.models import Meeting
    from gridwork.services.meetings import attendee_people

    boss = get_user_model().objects.filter(username="city_admin").first()
    if boss is None or Meeting.objects.exists():
        return 0
    today = timezone.localdate()
    jan1 = datetime.date(today.year, 1, 1)
    city = Grid.objects.city()
    townships = list(Grid.objects.townships().in_order())
    sangong = Grid.objects.get(code="652301101")  # 三工镇, the demo township account's
    second = next(t for t in townships if t != sangong and Complaint.objects.in_grid(t).exists())
    made = []
    # Last year's meetings fall after the demo people took their posts (400 days ago).
    for year, held_on in ((today.year - 1, today - datetime.timedelta(days=380)),
                          (today.year, max(jan1, today - datetime.timedelta(days=60)))):
        chiefs = [_supervisor(t, held_on) for t in townships[:5]]
        made.append(_meeting(
            boss, city, held_on, f"{year}年{held_on.month}月全市农产品质量安全问题会商",
            people=[_supervisor(city, held_on), *chiefs], experts=EXPERTS[:2],
            problems=_problems(city, held_on, ["群众反映部分大棚蔬菜使用禁限用农药，需统一部署排查",
                                      "速测阳性样品的复检和追溯不够及时",
                                      "部分合作社农药使用记录不全，承诺达标合格证开具不规范"]),
            minutes="会议通报了近期投诉举报和日常巡查情况，专家就禁限用农药快速检测和风险研判作了说明。"
                    "会议要求各乡镇对照问题清单逐项整改，按期报送整改情况。",
            actions=[("各乡镇开展禁限用农药专项排查并报送台账", chiefs[0], 30, 25),
                     ("速测阳性样品24小时内送检复核，建立追溯记录", chiefs[1], 45, 40),
                     ("组织合作社负责人开展承诺达标合格证培训", chiefs[2], 160 if year == today.year else 90,
                      None if year == today.year else 80)]))
    for year, held_on in ((today.year - 1, today - datetime.timedelta(days=370)),
                          (today.year, max(jan1, today - datetime.timedelta(days=30)))):
        coordinators = _coordinators(sangong, held_on, 4)
        chief = _supervisor(sangong, held_on)
        this_year = year == today.year
        made.append(_meeting(
            boss, sangong, held_on, f"{sangong.name}{year}年{held_on.month}月问题会商",
            people=[chief, *coordinators], experts=EXPERTS[2:],
            problems=_problems(sangong, held_on, ["群众举报村民在大棚内喷洒禁用农药", "巡查发现合作社农药台账不全、包装废弃物乱放",
                                         "个别种植户采收间隔期执行不到位"]),
            minutes="会议逐一分析了投诉举报和巡查发现的问题，明确由村级协管员协助排查，乡镇监管站开展抽样检测。",
            actions=[("对被举报大棚开展现场核查并抽样速测", coordinators[0] if coordinators else chief, 7, 5),
                     ("督促合作社补齐农药购销和使用台账", coordinators[1] if len(coordinators) > 1 else chief,
                      20, None if this_year else 15),
                     ("入户宣传采收安全间隔期", coordinators[2] if len(coordinators) > 2 else chief,
                      60 if this_year else 30, None if this_year else 28)]))
    held_on = max(jan1, today - datetime.timedelta(days=50))
    people = list(attendee_people(second, held_on)[:5])
    made.append(_meeting(
        boss, second, held_on, f"{second.name}农产品质量安全问题会商", people=people, experts=[],
        problems=_problems(second, held_on, ["养殖场兽药休药期执行情况", "农资店销售登记制度落实情况"]),
        minutes="会议研究了兽药休药期和农资销售登记问题，落实责任到人。",
        actions=[("对辖区养殖场开展休药期专项巡查", _supervisor(second, held_on), 30, 28)]))
    planned = min(today + datetime.timedelta(days=14), datetime.date(today.year, 12, 31))
    made.append(_meeting(boss, sangong, planned, f"{sangong.name}{today.year}年终问题会商", status="planned",
                         people=[_supervisor(sangong, today)], experts=[], problems=[], minutes=""))
    if out is not None:
        out.write(f"问题会商：{len(made)} 次\n")
    return len(made)
