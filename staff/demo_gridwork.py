"""Demo data for running the grid (gridwork): quotas with rapid tests, training, oversight of townships —
for the current and the previous year, with some townships behind. Each part is idempotent."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from disclosure.models import Grid, Producer

# How each township keeps up with its quota, in township order: some are behind.
PACE = [1.15, 1.0, 0.55, 1.05, 0.9, 0.7, 1.2, 1.0, 0.45, 0.95]
SAMPLE_PRODUCTS = ["黄瓜", "番茄", "辣椒", "芹菜", "韭菜", "葡萄", "西瓜", "哈密瓜", "羊肉", "鸡蛋", "牛奶", "小麦"]


def _boss():
    return get_user_model().objects.filter(username="city_admin").first()


def load_gridwork(today: datetime.date) -> dict[str, int]:
    """All of gridwork's demo data; returns counts of what was added."""
    from gridwork.services.scope import gridwork_permissions_grant

    gridwork_permissions_grant()
    boss = _boss()
    if boss is None:
        return {}
    return {"quotas": load_quotas(today, boss), "vacancies": load_vacancies(today),
            "training": load_training(today, boss), "oversight": load_oversight(today, boss)}


@transaction.atomic
def load_quotas(today: datetime.date, boss) -> int:
    """Each station's quota for this year and last, and samples rapid-tested at each township's own pace."""
    from gridwork.models import StationQuota
    from gridwork.services.quotas import quota_set
    from inspections.services.records import rapid_test_record, sample_take

    rng = random.Random(2024)
    now = timezone.now()
    townships = list(Grid.objects.townships().in_order())
    added = 0
    for year in (today.year - 1, today.year):
        if StationQuota.objects.filter(year=year).exists():
            continue
        values = {}
        for index, township in enumerate(townships):
            values[(township.pk, "")] = 60 + 12 * (index % 4)
            if index % 3 == 0:
                values[(township.pk, "vegetable")] = 24
        quota_set(year=year, values=values, user=boss)
        last = datetime.date(year, 12, 31) if year < today.year else today
        for index, township in enumerate(townships):
            producers = list(Producer.objects.filter(village__parent=township)[:20])
            if not producers:
                continue
            days = (last - datetime.date(year, 1, 1)).days + 1
            count = round(values[(township.pk, "")] * days / 365 * PACE[index % len(PACE)])
            for _n in range(count):
                day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(days))
                taken_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + rng.randrange(8))))
                taken_at = min(taken_at, now - datetime.timedelta(minutes=5))  # early in the morning of today
                sample = sample_take(producer=rng.choice(producers), user=boss, product=rng.choice(SAMPLE_PRODUCTS),
                                     taken_at=taken_at).obj
                rapid_test_record(sample=sample, user=boss, method="gold", target="克百威",
                                  result="positive" if rng.random() < 0.02 else "negative", tested_on=day)
                added += 1
    return added


@transaction.atomic
def load_vacancies(today: datetime.date) -> int:
    """A station tester and two village coordinators who left recently without a successor, so the city's
    home panel, the roster and the posters show 空缺 (once: nothing is ended when a vacancy exists)."""
    from disclosure.models import Role, RoleAssignment
    from disclosure.services.grids import grids_unstaffed, role_end

    if grids_unstaffed():
        return 0
    ended = 0
    townships = list(Grid.objects.townships().in_order())
    picks = [(townships[5], Role.TESTER)] + [(t.children.order_by("code").last(), Role.COORDINATOR)
                                             for t in (townships[2], townships[8])]
    for grid, role in picks:
        assignment = RoleAssignment.objects.current().filter(grid=grid, role=role).first()
        if assignment is not None and assignment.start_date < today - datetime.timedelta(days=12):
            role_end(assignment=assignment, end_date=today - datetime.timedelta(days=12))
            ended += 1
    return ended


TOPICS = [("农药安全使用与安全间隔期", "市农业技术推广中心 王示例"), ("食用农产品承诺达标合格证制度", "市农业农村局 李示例"),
          ("农产品快速检测操作规范", "市农产品质量安全检测中心 张示例"), ("日常巡查七项内容与记录", "市农业农村局 刘示例")]
# Share of each township's people who attended its session, in township order: some townships fall short.
TRAINED_SHARE = [1.0, 1.0, 0.6, 1.0, 0.8, 0.5, 1.0, 1.0, 0.4, 0.9]


@transaction.atomic
def load_training(today: datetime.date, boss) -> int:
    """A city session and one per township, each year, with attendance (some people untrained, one
    attendee without a grid role) and a handout; once per year."""
    from django.core.files.base import ContentFile

    from disclosure.models import Person
    from gridwork.models import TrainingSession
    from gridwork.services.training import attendance_set, session_people, session_save

    rng = random.Random(7)
    city = Grid.objects.city()
    townships = list(Grid.objects.townships().in_order())
    added = 0
    for year in (today.year - 1, today.year):
        if TrainingSession.objects.in_year(year).exists():
            continue
        held = min(datetime.date(year, 3, 15), today)
        topic, trainer = TOPICS[year % len(TOPICS)]
        handout = ContentFile(f"{topic}\n\n（演示讲义）".encode(), name="讲义.txt")
        session = session_save(user=boss, grid=city, held_on=held, topic=f"{year}年网格监管员{topic}培训班",
                               trainer=trainer, place="昌吉市农业农村局三楼会议室", files=[handout])
        city_people = list(session_people(session).filter(assignments__grid__level__in=["city", "township"])
                           .distinct())
        attendance_set(session=session, user=boss, marks={p.pk: "present" for p in city_people})
        added += 1
        for index, township in enumerate(townships):
            day = min(datetime.date(year, 4 + index % 6, 10 + index), today)
            topic, trainer = TOPICS[(year + index) % len(TOPICS)]
            session = session_save(user=boss, grid=township, held_on=day, topic=f"{township.name}协管员{topic}培训",
                                   trainer=trainer, place=f"{township.name}人民政府会议室")
            marks = {}
            for person in session_people(session):
                if rng.random() < TRAINED_SHARE[index % len(TRAINED_SHARE)]:
                    marks[person.pk] = "present"
                elif rng.random() < 0.5:
                    marks[person.pk] = rng.choice(["absent", "excused"])
            if index == 1:
                visitor = Person.objects.filter(assignments__isnull=True).first() or Person.objects.create(
                    name="候任示例", position="后备协管员", phone="0994-0999001")
                marks[visitor.pk] = "present"
            attendance_set(session=session, user=boss, marks=marks)
            added += 1
    return added


@transaction.atomic
def load_oversight(today: datetime.date, boss) -> int:
    """The city's checks of townships this year and last: most fine, some with a summons — one corrected,
    one still open and past its deadline, one open in time (once)."""
    from gridwork.models import TownshipCheck
    from gridwork.services.oversight import check_record, summons_follow_up, summons_issue

    if TownshipCheck.objects.exists():
        return 0
    townships = list(Grid.objects.townships().in_order())
    day = datetime.timedelta(days=1)
    plan = [  # (township index, days ago, shortcomings?, summons: None / "done" / "overdue" / "open")
        (0, 420, False, None), (2, 400, True, "done"), (5, 380, False, None), (8, 90, True, "overdue"),
        (3, 75, False, None), (2, 40, True, "open"), (6, 20, False, None),
    ]
    for index, ago, short, summons in plan:
        township = townships[index]
        checked = today - ago * day
        check = check_record(
            user=boss, township=township, checked_on=checked,
            scope="年度巡查计划执行、巡查记录填写、速测台账和整改复查情况",
            outcome="shortcomings" if short else "satisfactory",
            findings="部分生产主体未按计划频次巡查，巡查记录缺少现场照片，整改复查无台账。" if short else "")
        if summons is None:
            continue
        held = checked + 7 * day
        due = held + (30 if summons != "open" else 60) * day
        made = summons_issue(user=boss, check=check, held_on=held, official=f"{township.name}农业服务中心主任 示例",
                             interviewer="市农业农村局分管负责同志", due=due,
                             requirements="一个月内补齐未完成的巡查，完善巡查记录和整改复查台账，书面报告整改情况。")
        if summons == "done":
            summons_follow_up(user=boss, summons=made, passed=True, findings="已补齐巡查并建立复查台账。",
                              checked_on=due - 2 * day)
    return len(plan)
