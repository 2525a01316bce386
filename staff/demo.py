"""Demo data: the real place structure of 昌吉市 with clearly fictional people, producers and news.

Every person's name is built from the words 示例/演示/示范/样例 and every phone number uses a local
number that starts with 0, which no real Chinese subscriber number does (0 is the trunk prefix), so
nothing here can be mistaken for a real person or dialled by accident.
"""

import datetime
import random
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from disclosure.models import Grade, Grid, GridLevel, Person, Producer, ProducerKind, Role, RoleAssignment
from disclosure.models.producers import STANDARD_COMMITMENT
from disclosure.services.grids import places_load, role_assign
from disclosure.services.producers import rating_set
from disclosure.services.substances import substances_load
from disclosure.validators import credit_code_check_char
from portal.models import NewsPage, StandardPage
from portal.services import news_index as news_index_page
from portal.services import site_ensure

# The producers' extras, the complaints and the inspections live in their own modules; imported here so
# that `staff.demo.<name>` keeps working for the commands, staff.roles and the tests.
from .demo_assessment import load_assessment
from .demo_badges import load_badges
from .demo_complaints import load_complaint_extras, load_complaints
from .demo_english import load_english_pages
from .demo_gridwork import load_gridwork
from .demo_inspections import load_inspections, load_registry_facts
from .demo_meetings import load_meetings
from .demo_news import load_news
from .demo_producers import load_producer_extras
from .demo_reports import load_reports
from .roles import staff_roles_setup

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
GIVEN = ["示例", "演示", "示范", "样例", "范例", "示样"]
CREDENTIALS_FILE = settings.VAR_DIR / "demo_accounts.txt"


class Demo:
    def __init__(self, seed: int = 2022):
        self.rng = random.Random(seed)
        self.phone_serial = 0
        self.name_serial = 0

    # --- fictional facts -------------------------------------------------------------------------
    def phone(self) -> str:
        self.phone_serial += 1
        return f"0994-0{self.phone_serial:06d}"

    def name(self) -> str:
        surname = SURNAMES[self.name_serial % len(SURNAMES)]
        given = GIVEN[(self.name_serial // len(SURNAMES)) % len(GIVEN)]
        self.name_serial += 1
        return surname + given

    def credit_code(self, n: int) -> str:
        body = f"93652301MA{n:07d}"[:17]
        body = body.replace("I", "1").replace("O", "0")
        return body + credit_code_check_char(body)


# The demo's job titles in English (what the English pages show beside the role).
POSITIONS_EN = {"副局长": "Deputy Director", "质量安全科科长": "Head of the Quality and Safety Section",
                "网格监管员": "Grid supervisor", "检测员": "Tester", "村委委员": "Village committee member"}


def _person(demo: Demo, position: str, organisation: str) -> Person:
    person = Person(name=demo.name(), position=position, position_en=POSITIONS_EN.get(position, ""),
                    organisation=organisation, phone=demo.phone(), note="演示数据")
    person.save()
    return person


@transaction.atomic
def load_people(demo: Demo, start: datetime.date) -> int:
    """Fill every grid with its people, unless it has some already."""
    if RoleAssignment.objects.exists():
        return 0
    city = Grid.objects.city()
    created = 0
    role_assign(person=_person(demo, "副局长", "昌吉市农业农村局"), grid=city, role=Role.CITY_FIRST, start_date=start)
    role_assign(person=_person(demo, "质量安全科科长", "昌吉市农业农村局"), grid=city, role=Role.SUPERVISOR,
                start_date=start)
    created += 2
    for township in Grid.objects.townships().in_order():
        org = f"{township.name}农业（畜牧业）发展服务中心"
        role_assign(person=_person(demo, "网格监管员", org), grid=township, role=Role.SUPERVISOR, start_date=start)
        role_assign(person=_person(demo, "检测员", f"{township.name}农产品质量安全监管站"), grid=township,
                    role=Role.TESTER, start_date=start)
        created += 2
        for village in township.children.in_order():
            role_assign(person=_person(demo, "村委委员", f"{village.name}村民委员会"), grid=village,
                        role=Role.COORDINATOR, start_date=start)
            created += 1
    # One coordinator was replaced, so the history shows a predecessor.
    village = Grid.objects.villages().in_order().first()
    role_assign(person=_person(demo, "村委委员", f"{village.name}村民委员会"), grid=village, role=Role.COORDINATOR,
                start_date=start + datetime.timedelta(days=300), note="原协管员工作调动")
    return created + 1


PRODUCTS = {
    ProducerKind.ENTERPRISE: ["番茄制品", "鲜食葡萄", "冷鲜羊肉", "奶制品", "加工辣椒", "鸡蛋"],
    ProducerKind.COOPERATIVE: ["蔬菜", "小麦", "玉米", "甜瓜", "枸杞", "食用菌", "蜂蜜"],
    ProducerKind.FAMILY_FARM: ["设施蔬菜", "西甜瓜", "肉羊", "肉牛", "土鸡蛋", "葡萄"],
    ProducerKind.LARGE_GROWER: ["玉米", "小麦", "棉花", "加工番茄", "肉羊", "生猪"],
    ProducerKind.SMALLHOLDER: ["露地蔬菜", "土鸡", "葵花", "鲜食玉米"],
    ProducerKind.INPUT_SHOP: ["农药、化肥", "种子、农药", "兽药、饲料"],
}
KIND_WEIGHTS = [
    (ProducerKind.ENTERPRISE, 6), (ProducerKind.COOPERATIVE, 18), (ProducerKind.FAMILY_FARM, 26),
    (ProducerKind.LARGE_GROWER, 22), (ProducerKind.SMALLHOLDER, 16), (ProducerKind.INPUT_SHOP, 12),
]
WORDS = ["绿源", "丰收", "瑞丰", "天山", "金穗", "沃土", "晨光", "康农", "禾美", "田园", "庭州", "润泽", "佳禾", "新绿"]
GRADE_WEIGHTS = [(Grade.A, 50), (Grade.B, 10), (Grade.C, 3), (Grade.UNRATED, 30), (Grade.REVIEW, 7)]
BASIS = {
    Grade.A: "年度日常巡查2次，未发现问题；速测合格；按规定开具承诺达标合格证。",
    Grade.B: "日常巡查发现生产记录不全，农药安全间隔期执行不到位，已责令限期整改，列入重点监控。",
    Grade.C: "抽检发现禁用药物残留，已移送农业综合执法大队，列入黑名单。",
    Grade.REVIEW: "生产主体对原评级提出异议，正在复核。",
}


def _producer_name(demo: Demo, kind: str, village: Grid, product: str) -> str:
    word = demo.rng.choice(WORDS)
    base = village.name.removesuffix("村")
    if kind == ProducerKind.ENTERPRISE:
        return f"昌吉市{word}{product}示例有限公司"
    if kind == ProducerKind.COOPERATIVE:
        return f"昌吉市{base}{word}{product}示例专业合作社"
    if kind == ProducerKind.FAMILY_FARM:
        return f"{base}{demo.name()}家庭农场"
    if kind == ProducerKind.LARGE_GROWER:
        return f"{demo.name()}（{product}规模户）"
    if kind == ProducerKind.SMALLHOLDER:
        return f"{demo.name()}（{product}）"
    return f"{base}{word}示例农资经营部"


@transaction.atomic
def load_producers(demo: Demo, count: int, today: datetime.date) -> int:
    if Producer.objects.exists():
        return 0
    villages = list(Grid.objects.villages().in_order().select_related("parent"))
    kinds = [k for k, w in KIND_WEIGHTS for _ in range(w)]
    grades = [g for g, w in GRADE_WEIGHTS for _ in range(w)]
    for n in range(count):
        village = villages[n % len(villages)]
        kind = demo.rng.choice(kinds)
        product = demo.rng.choice(PRODUCTS[kind])
        formal = kind in (ProducerKind.ENTERPRISE, ProducerKind.COOPERATIVE, ProducerKind.FAMILY_FARM,
                          ProducerKind.INPUT_SHOP)
        on_platform = formal and demo.rng.random() < 0.85
        producer = Producer(
            name=_producer_name(demo, kind, village, product), kind=kind,
            credit_code=demo.credit_code(n + 1) if formal else "",
            legal_representative=demo.name(), phone=demo.phone(),
            address=f"{village.parent.name}{village.name}{demo.rng.randint(1, 12)}组",
            village=village, products=product,
            on_traceability_platform=on_platform,
            traceability_code=f"652301{n + 1:08d}" if on_platform else "",
            issues_certificates=kind != ProducerKind.INPUT_SHOP and demo.rng.random() < 0.8,
            self_commitment=demo.rng.random() < 0.9, commitment_text=STANDARD_COMMITMENT,
            commitment_signed_on=today - datetime.timedelta(days=demo.rng.randint(20, 500)),
            inspector_name=demo.name() if formal else "", inspector_phone=demo.phone() if formal else "",
            facts_confirmed_on=today - datetime.timedelta(days=demo.rng.randint(10, 520)),
            published=n % 50 != 49,
        )
        producer.save()
        grade = demo.rng.choice(grades)
        if grade != Grade.UNRATED:
            first_date = today - datetime.timedelta(days=demo.rng.randint(200, 700))
            if grade in (Grade.B, Grade.C, Grade.REVIEW):
                rating_set(producer=producer, grade=Grade.A, effective_date=first_date, basis=BASIS[Grade.A])
            rating_set(producer=producer, grade=grade, basis=BASIS[grade],
                       effective_date=min(today, first_date + datetime.timedelta(days=demo.rng.randint(30, 190))),
                       next_review_date=today + datetime.timedelta(days=demo.rng.randint(30, 300)))
    return count


NEWS = [
    ("dynamics", "市农业农村局部署农产品质量安全网格化巡查", ["巡查", "网格化"],
     "各乡镇网格监管员对辖区生产主体开展全覆盖巡查，重点检查农药购买使用记录，严禁使用高毒农药。",
     "巡查中强调：禁止使用高毒农药，严格执行安全间隔期，规范开具承诺达标合格证。"),
    ("dynamics", "三工镇开展农资经营店专项检查", ["农资", "专项检查"],
     "三工镇网格监管员联合村级协管员对辖区农资经营店进行拉网式检查。",
     "检查内容包括进货台账、销售记录以及是否销售国家禁用、限用农药兽药。"),
    ("dynamics", "网格协管员培训班在大西渠镇举办", ["培训"],
     "来自各村的协管员参加培训，学习隐患排查、检测抽样和信息报送。",
     "培训采用课堂讲授和现场实操相结合的方式，提升协管员业务能力。"),
    ("progress", "全市三级网格体系基本构建完成", ["网格化", "进展"],
     "市、乡（镇）、村三级网格全部明确监管员和协管员，网格图完成上墙公示。",
     "1个市级网格、10个乡镇级网格、57个村级网格全部落实人员和职责。"),
    ("progress", "生产主体名录年度更新工作启动", ["名录"],
     "各乡镇对辖区生产主体名录开展年度核实更新。",
     "名录信息至少每年更新一次，确保信息真实有效，并纳入追溯平台管理。"),
    ("progress", "承诺达标合格证制度推进情况通报", ["合格证"],
     "全市规模以上生产主体承诺达标合格证开具率持续提升。",
     "各网格监管员督促生产主体规范开具合格证，做到应开尽开。"),
    ("results", "速测样品合格率保持高位", ["速测", "成效"],
     "各乡镇监管站完成速测任务，合格率保持稳定。",
     "对速测发现的疑似问题样品，均已送检复核并依法处置。"),
    ("results", "群众投诉举报办结率达到百分之百", ["投诉举报"],
     "通过网格化管理，群众反映的农产品质量安全问题得到及时处理。",
     "投诉举报实行限时办理，办理结果及时回复群众。"),
    ("results", "重点监管名录主体整改到位", ["重点监管"],
     "列入重点监管名录的生产主体经复查全部完成整改。",
     "对整改不到位的主体，依法移送农业综合执法机构处理。"),
]


def _body(*paragraphs: str):
    return [("paragraph", f"<p>{p}</p>") for p in paragraphs]


@transaction.atomic
def load_pages(today: datetime.date) -> int:
    home = site_ensure()
    news_index = news_index_page()
    created = 0
    if not NewsPage.objects.exists():
        for i, (kind, title, tags, intro, text) in enumerate(NEWS):
            page = NewsPage(title=title, kind=kind, intro=intro, date=today - datetime.timedelta(days=7 * i + 3),
                            body=_body(text, "（本文为演示数据。）"))
            news_index.add_child(instance=page)
            page.tags.add(*tags)
            page.save_revision().publish()
            created += 1
    if not StandardPage.objects.filter(slug="plan").exists():
        plan = StandardPage(title="昌吉市农产品质量安全网格化管理实施方案", slug="plan",
                            intro="昌市政办发〔2022〕10号", body=_plan_body())
        home.add_child(instance=plan)
        plan.save_revision().publish()
        created += 1
    created += load_english_pages()
    return created


def load_settings() -> int:
    """The office's name in the footer and on prints, in both languages, unless staff wrote one."""
    from django.utils import translation
    from wagtail.models import Site

    from portal.models import PortalSettings
    from portal.places import place_name

    settings_ = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    if settings_.org_name:
        return 0
    with translation.override("zh-hans"):
        settings_.org_name = f"{place_name()}农业农村局"
    with translation.override("en"):
        settings_.org_name_en = f"{place_name()} Bureau of Agriculture and Rural Affairs"
    settings_.save()
    return 1


def _plan_body():
    path = Path(__file__).resolve().parent / "data" / "plan.txt"
    blocks = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            blocks.append(("heading", {"text": line.lstrip("# "), "level": "h2"}))
        else:
            blocks.append(("paragraph", f"<p>{line}</p>"))
    return blocks


DEMO_ACCOUNTS = [
    # username, role description, group, grid code (None: superuser)
    ("city_admin", "市级网格管理员（全部权限）", None, None),
    ("township_sangong", "三工镇网格监管员", "township_supervisor", "652301101"),
    ("tester_sangong", "三工镇监管站检测员", "township_supervisor", "652301101"),
    ("village_changfeng", "长丰村协管员", "village_coordinator", "652301101200"),
    # A city supervisor who is not a superuser: sees every grid through the city role, acts by the group.
    ("city_quality", "市级网格监管员（质量安全科）", "city_supervisor", "652301"),
]

ROLE_FOR_GROUP = {"township_supervisor": Role.SUPERVISOR, "village_coordinator": Role.COORDINATOR}
ROLE_FOR_GROUP["city_supervisor"] = Role.SUPERVISOR  # the city grid's 网格监管员 (staff/roles)


def ensure_groups() -> None:
    """Groups for each kind of staff user; the complaints issue adds its own permissions to them."""
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in ("city_supervisor", "township_supervisor", "village_coordinator"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(admin_access)


def load_accounts() -> list[tuple[str, str, str]]:
    """Demo staff accounts with passwords generated once and kept in var/demo_accounts.txt."""
    ensure_groups()
    user_model = get_user_model()
    known = read_credentials()
    lines = []
    for username, description, group, grid_code in DEMO_ACCOUNTS:
        user = user_model.objects.filter(username=username).first()
        password = known.get(username)
        if user is None or password is None:
            password = secrets.token_urlsafe(9)
            user = user or user_model(username=username)
            user.set_password(password)
        user.is_staff = True
        user.is_superuser = group is None
        user.first_name = description
        user.email = f"{username}@example.invalid"
        user.save()
        if group:
            user.groups.add(Group.objects.get(name=group))
        if grid_code:
            _link_person(user, grid_code, group, username)
        lines.append((username, password, description))
    CREDENTIALS_FILE.parent.mkdir(parents=True, exist_ok=True)
    CREDENTIALS_FILE.write_text("".join(f"{u}\t{p}\t{d}\n" for u, p, d in lines), encoding="utf-8")
    CREDENTIALS_FILE.chmod(0o600)
    return lines


def _link_person(user, grid_code: str, group: str, username: str) -> None:
    if getattr(user, "grid_person", None) is not None:
        return
    grid = Grid.objects.filter(code=grid_code).first()
    if grid is None:
        return
    role = Role.TESTER if username.startswith("tester") else ROLE_FOR_GROUP[group]
    holder = RoleAssignment.objects.current().filter(grid=grid, role=role).select_related("person").first()
    if holder and holder.person.user_id is None:
        holder.person.user = user
        holder.person.save(update_fields=["user"])


def read_credentials() -> dict[str, str]:
    if not CREDENTIALS_FILE.exists():
        return {}
    result = {}
    for line in CREDENTIALS_FILE.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            result[parts[0]] = parts[1]
    return result


def load_all(*, producers: int = 300, out=None) -> dict[str, int]:
    today = timezone.localdate()
    demo = Demo()
    # The grid tree first: the home page's title, the office's name and prints say its top grid's name.
    counts = {"grids": places_load()}
    counts.update({"pages": load_pages(today), "settings": load_settings(), "substances": substances_load()})
    counts["people"] = load_people(demo, today - datetime.timedelta(days=400))
    counts["producers"] = load_producers(demo, producers, today)
    counts["registry_facts"] = load_registry_facts(demo, today)  # before the signboards print them
    counts["producer_extras"] = load_producer_extras(demo, today)
    counts["accounts"] = len(load_accounts())
    staff_roles_setup()  # every group's permissions, as `manage.py staff_roles` gives them
    counts["complaints"] = load_complaints(demo, today)
    counts["complaint_extras"] = load_complaint_extras(today)
    counts.update(load_inspections(today))
    counts.update(load_gridwork(today))
    counts["meetings"] = load_meetings()
    counts["monthly_reports"] = load_reports(out)
    counts.update(load_assessment())
    counts["badges"] = load_badges()
    counts["news_drafts"] = load_news(out)
    return counts


__all__ = ["GridLevel", "load_all", "load_complaint_extras", "load_complaints", "load_inspections",
           "load_producer_extras", "load_registry_facts", "read_credentials"]
