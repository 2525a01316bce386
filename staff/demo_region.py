"""The two-county demo (`manage.py load_demo_region`): 昌吉市 as `load_demo` makes it, and beside it 阜康市 at
its own host name with its own people, producers, complaints, news, hotline and office, and their
prefecture 昌吉回族自治州 at a third host name, whose pages list both counties with their figures.

Idempotent. The place list has 阜康市's towns and townships but none of its villages yet, so the demo gives
each township two villages of its own (marked as demo data in their note).
"""

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from complaints.models import Category, Kind
from complaints.services import complaint_submit
from disclosure.models import Grade, Grid, GridLevel, Producer, ProducerKind, Role, RoleAssignment
from disclosure.models.producers import STANDARD_COMMITMENT
from disclosure.services.grids import role_assign
from disclosure.services.places import place_slug, places_load
from disclosure.services.producers import rating_set
from disclosure.services.sites import grid_site_add
from gridwork.services.rollups import figures_refresh_all
from portal.models import NewsPage
from portal.services import page_translate

from .demo import CREDENTIALS_FILE, Demo, _person, load_all, read_credentials

COUNTY = "652302"  # 阜康市
VILLAGE_NUMBERS = ["一", "二"]
HOTLINE = "0994-3212316"
PRODUCTS = [(ProducerKind.COOPERATIVE, "葡萄"), (ProducerKind.FAMILY_FARM, "设施蔬菜"), (ProducerKind.LARGE_GROWER, "小麦"),
            (ProducerKind.ENTERPRISE, "枸杞"), (ProducerKind.SMALLHOLDER, "土鸡蛋"), (ProducerKind.INPUT_SHOP, "农药、化肥")]
NEWS = [
    ("阜康市启动农产品质量安全网格化管理", "阜康市各乡镇明确网格监管员和村级协管员，网格图上墙公示。",
     "Fukang City starts grid management of farm produce quality and safety",
     "Each town and township of Fukang City has named its grid supervisors and village coordinators."),
    ("甘河子镇开展葡萄种植基地用药巡查", "网格监管员逐户检查农药购买使用记录和安全间隔期执行情况。", "", ""),
]
ACCOUNTS = [
    ("fukang_city", "阜康市市级网格监管员", "city_supervisor", Role.SUPERVISOR, COUNTY),
    ("changjizhou_overseer", "昌吉州督导员（只读）", "overseer", Role.OVERSEER, "6523"),
]


def load_region_demo(*, suffix: str = "localhost", port: int = 8000) -> dict[str, int]:
    if not Producer.objects.exists():
        load_all()
    today = timezone.localdate()
    demo = Demo(seed=20260652302)
    demo.phone_serial = demo.name_serial = 5000  # other numbers and names than 昌吉市's demo people
    counts = {"grids": places_load(code=COUNTY, level="county")}
    county = Grid.objects.get(code=COUNTY)
    prefecture = county.parent
    counts["villages"] = _villages(county)
    counts["sites"] = _sites(county, prefecture, suffix, port)
    counts["people"] = _people(demo, county, prefecture, today - datetime.timedelta(days=200))
    counts["producers"] = _producers(demo, county, today)
    counts["complaints"] = _complaints(county)
    counts["news"] = _news(county)
    counts["accounts"] = _accounts()
    counts["assessment_scores"] = _assessment(county, today.year)
    counts["county_figures"] = figures_refresh_all(year=today.year)
    return counts


def _villages(county: Grid) -> int:
    made = 0
    for township in Grid.objects.within(county).townships().in_order():
        if township.children.exists():
            continue
        core = township.name.removesuffix("哈萨克族乡").removesuffix("镇").removesuffix("乡")
        for n, number in enumerate(VILLAGE_NUMBERS, start=1):
            Grid(level=GridLevel.VILLAGE, code=f"{township.code}{200 + n}", name=f"{core}{number}村",
                 slug=f"{place_slug(core + '村')}-{n}", parent=township, sort_order=n,
                 note="演示数据（地方名录暂无该县的村）").save()
            made += 1
    return made


def _sites(county: Grid, prefecture: Grid, suffix: str, port: int) -> int:
    grid_site_add(grid=county, hostname=f"fukang.{suffix}", port=port, hotline=HOTLINE,
                  org_name="阜康市农业农村局", org_name_en="Fukang City Bureau of Agriculture and Rural Affairs",
                  office_hours="工作日 9:30–13:30，15:30–19:30")
    grid_site_add(grid=prefecture, hostname=f"changjizhou.{suffix}", port=port, hotline="0994-12316",
                  org_name="昌吉回族自治州农业农村局",
                  org_name_en="Changji Hui Autonomous Prefecture Bureau of Agriculture and Rural Affairs")
    return 2


@transaction.atomic
def _people(demo: Demo, county: Grid, prefecture: Grid, start: datetime.date) -> int:
    if RoleAssignment.objects.filter(grid__path__startswith=county.path).exists():
        return 0
    made = [role_assign(person=_person(demo, "副局长", "阜康市农业农村局"), grid=county, role=Role.CITY_FIRST,
                        start_date=start),
            role_assign(person=_person(demo, "质量安全科科长", "阜康市农业农村局"), grid=county,
                        role=Role.SUPERVISOR, start_date=start),
            role_assign(person=_person(demo, "督导员", "昌吉回族自治州农业农村局"), grid=prefecture,
                        role=Role.OVERSEER, start_date=start)]
    for township in Grid.objects.within(county).townships().in_order():
        made.append(role_assign(person=_person(demo, "网格监管员", f"{township.name}农业（畜牧业）发展服务中心"),
                                grid=township, role=Role.SUPERVISOR, start_date=start))
        made.append(role_assign(person=_person(demo, "检测员", f"{township.name}农产品质量安全监管站"),
                                grid=township, role=Role.TESTER, start_date=start))
        for village in township.children.in_order():
            made.append(role_assign(person=_person(demo, "村委委员", f"{village.name}村民委员会"), grid=village,
                                    role=Role.COORDINATOR, start_date=start))
    return len(made)


@transaction.atomic
def _producers(demo: Demo, county: Grid, today: datetime.date) -> int:
    if Producer.objects.in_grid(county).exists():
        return 0
    villages = list(Grid.objects.within(county).villages().select_related("parent").in_order())
    made = 0
    for n, village in enumerate(villages * 3):
        kind, product = PRODUCTS[n % len(PRODUCTS)]
        base = village.name.removesuffix("村")
        name = {ProducerKind.COOPERATIVE: f"阜康市{base}{product}示例专业合作社",
                ProducerKind.FAMILY_FARM: f"{base}{demo.name()}家庭农场",
                ProducerKind.ENTERPRISE: f"阜康市{base}{product}示例有限公司",
                ProducerKind.INPUT_SHOP: f"{base}示例农资经营部"}.get(kind, f"{demo.name()}（{product}）")
        formal = kind in (ProducerKind.COOPERATIVE, ProducerKind.FAMILY_FARM, ProducerKind.ENTERPRISE,
                          ProducerKind.INPUT_SHOP)
        producer = Producer(name=name, kind=kind, credit_code=demo.credit_code(9000 + n) if formal else "",
                            legal_representative=demo.name(), phone=demo.phone(),
                            address=f"{village.parent.name}{village.name}{n % 6 + 1}组", village=village,
                            products=product, self_commitment=True, commitment_text=STANDARD_COMMITMENT,
                            commitment_signed_on=today - datetime.timedelta(days=30 + n),
                            facts_confirmed_on=today - datetime.timedelta(days=20 + n), published=True)
        producer.save()
        if n % 4 != 3:
            rating_set(producer=producer, grade=Grade.A if n % 7 else Grade.B,
                       basis="年度日常巡查未发现问题。" if n % 7 else "生产记录不全，已责令限期整改。",
                       effective_date=today - datetime.timedelta(days=60))
        made += 1
    return made


def _complaints(county: Grid) -> int:
    producers = list(Producer.objects.in_grid(county).published().order_by("id")[:3])
    if not producers or producers[0].complaints.exists():
        return 0
    texts = ["葡萄园旁边有人晚上喷药，气味很大，担心用了禁用农药。", "买的鸡蛋没有合格证，摊主说是自己家的。",
             "农资店在卖没有标签的农药。"]
    for producer, text in zip(producers, texts, strict=False):
        complaint_submit(kind=Kind.REPORT, category=Category.BANNED_PESTICIDE, description=text, producer=producer,
                         reporter_name="反映人示例", reporter_phone="13900000001")
    return len(producers)


def _news(county: Grid) -> int:
    from wagtail.models import Locale

    from disclosure.models import ServedGrid
    from portal.models import NewsIndexPage

    site = ServedGrid.objects.filter(grid=county).select_related("site").first().site
    index = NewsIndexPage.objects.child_of(site.root_page).first()
    if NewsPage.objects.child_of(index).exists():
        return 0
    english = Locale.objects.get(language_code="en")
    for n, (title, intro, title_en, intro_en) in enumerate(NEWS):
        page = index.add_child(instance=NewsPage(title=title, kind="dynamics", intro=intro,
                                                 date=timezone.localdate() - datetime.timedelta(days=3 + 10 * n),
                                                 body=[("paragraph", f"<p>{intro}</p>")]))
        page.save_revision().publish()
        if title_en:
            page_translate(page, english, title=title_en, intro=intro_en, body=[("paragraph", f"<p>{intro_en}</p>")])
    return len(NEWS)


def _assessment(county: Grid, year: int) -> int:
    """阜康市's own assessment scheme for this year (the plan's default) with its townships' scores so far."""
    from django.contrib.auth import get_user_model

    from gridwork.services.assessment import scheme_open, scores_compute

    boss = get_user_model().objects.get(username="fukang_city")
    scheme = scheme_open(year=year, user=boss, county=county)
    return 0 if scheme.scores.exists() else len(scores_compute(scheme=scheme, user=boss))


def _accounts() -> int:
    """Staff accounts of 阜康市 and of the prefecture, added to the demo's credentials file."""
    known = read_credentials()
    lines = CREDENTIALS_FILE.read_text(encoding="utf-8").splitlines() if CREDENTIALS_FILE.exists() else []
    user_model = get_user_model()
    for username, description, group, role, code in ACCOUNTS:
        user = user_model.objects.filter(username=username).first()
        if user is not None and username in known:
            continue
        password = secrets.token_urlsafe(9)
        user = user or user_model(username=username)
        user.set_password(password)
        user.is_staff, user.first_name, user.email = True, description, f"{username}@example.invalid"
        user.save()
        user.groups.add(Group.objects.get(name=group))
        holder = (RoleAssignment.objects.current().filter(grid__code=code, role=role, person__user__isnull=True)
                  .select_related("person").first())
        if holder is not None:
            holder.person.user = user
            holder.person.save(update_fields=["user"])
        lines = [line for line in lines if not line.startswith(f"{username}\t")] + [f"{username}\t{password}\t{description}"]
    CREDENTIALS_FILE.parent.mkdir(parents=True, exist_ok=True)
    CREDENTIALS_FILE.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    CREDENTIALS_FILE.chmod(0o600)
    return len(ACCOUNTS)
