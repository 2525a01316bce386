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
from portal.models import NewsIndexPage, NewsPage, StandardPage
from portal.services import site_ensure

from .demo_gridwork import load_gridwork

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


def _person(demo: Demo, position: str, organisation: str) -> Person:
    person = Person(name=demo.name(), position=position, organisation=organisation, phone=demo.phone(),
                    note="演示数据")
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
    news_index = NewsIndexPage.objects.first()
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
    return created


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
    counts = {"pages": load_pages(today), "grids": places_load(), "substances": substances_load()}
    counts["people"] = load_people(demo, today - datetime.timedelta(days=400))
    counts["producers"] = load_producers(demo, producers, today)
    counts["producer_extras"] = load_producer_extras(demo, today)
    counts["accounts"] = len(load_accounts())
    producer_permissions_grant()
    counts["complaints"] = load_complaints(demo, today)
    counts["complaint_extras"] = load_complaint_extras(today)
    counts.update(load_gridwork(today))
    return counts


# --- producers: photos, grade history, commitment letters, signboards (the producers issue) ----------
DEMO_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FARM_SCENES = [("#8fc1e3", "#6a9f3a"), ("#a9d0ea", "#c9a646"), ("#9cc7e0", "#4f8a3c"), ("#b8d8ea", "#7aa84a"),
               ("#92bcd9", "#b08f4a"), ("#a3cce6", "#3f7d4c")]
PERSON_TONES = ["#dfe9f2", "#e9efe3", "#f2ebe0", "#e6e2f0", "#e0eeee", "#f0e4e4"]


def _demo_font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.truetype(DEMO_FONT, size)
    except OSError:
        return ImageFont.load_default()


def _demo_image(title: str, draw_scene, size: tuple[int, int]):
    """A Wagtail image drawn with Pillow, stamped 示例图片 so that nobody takes it for a real photo."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from PIL import ImageDraw
    from wagtail.images import get_image_model

    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing:
        return existing
    canvas = PILImage.new("RGB", size, "#ffffff")
    draw = ImageDraw.Draw(canvas)
    draw_scene(draw, size)
    font = _demo_font(max(18, size[0] // 14))
    # The label sits in the middle, so that no crop of the picture loses it.
    band = (size[1] * 40 // 100, size[1] * 54 // 100)
    draw.rectangle([0, band[0], size[0], band[1]], fill="#333333")
    draw.text((size[0] // 2, sum(band) // 2), "示例图片 · DEMO", fill="#ffffff", font=font, anchor="mm")
    buffer = BytesIO()
    canvas.save(buffer, "JPEG", quality=82)
    image = image_model(title=title, file=ImageFile(buffer, name=f"demo-{abs(hash(title)) % 10**8}.jpg"))
    image.save()
    return image


def _farm_scene(sky: str, field: str, n: int):
    def draw(d, size):
        w, h = size
        d.rectangle([0, 0, w, h * 0.55], fill=sky)
        d.ellipse([w * 0.75, h * 0.08, w * 0.87, h * 0.26], fill="#f6d55c")
        d.rectangle([0, h * 0.55, w, h], fill=field)
        for i in range(8):  # furrows
            y = h * 0.58 + i * h * 0.05
            d.line([0, y, w, y + h * 0.02], fill="#00000022", width=max(2, h // 120))
        if n % 2:  # a greenhouse
            d.polygon([(w * .1, h * .55), (w * .1, h * .38), (w * .25, h * .3), (w * .4, h * .38), (w * .4, h * .55)],
                      fill="#e8f0f2", outline="#9aa9b0")
        else:  # a barn
            d.rectangle([w * .12, h * .38, w * .32, h * .56], fill="#b5523b")
            d.polygon([(w * .1, h * .38), (w * .22, h * .27), (w * .34, h * .38)], fill="#7d3526")
    return draw


def _person_scene(tone: str):
    def draw(d, size):
        w, h = size
        d.rectangle([0, 0, w, h], fill=tone)
        d.ellipse([w * .3, h * .14, w * .7, h * .44], fill="#9aa5ae")
        d.rounded_rectangle([w * .14, h * .48, w * .86, h * 1.05], radius=int(w * .2), fill="#9aa5ae")
    return draw


def _licence_scene(d, size):
    w, h = size
    d.rectangle([8, 8, w - 8, h - 8], outline="#b5523b", width=6)
    d.text((w // 2, h * .16), "营业执照（示例，非真实证照）", fill="#7d3526", font=_demo_font(w // 18), anchor="mm")
    for i in range(6):
        y = h * .3 + i * h * .08
        d.line([w * .12, y, w * (.88 - (i % 3) * .1), y], fill="#b7b7b7", width=4)


def _commitment_scan() -> str:
    """One placeholder 'signed letter' image shared by the demo producers; returns its storage name."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image as PILImage
    from PIL import ImageDraw

    name = "commitments/demo/commitment-demo.png"
    if default_storage.exists(name):
        return name
    canvas = PILImage.new("RGB", (900, 1200), "#fbfaf6")
    d = ImageDraw.Draw(canvas)
    d.text((450, 110), "农产品质量安全承诺书", fill="#222", font=_demo_font(52), anchor="mm")
    d.text((450, 180), "（示例扫描件，非真实文件）", fill="#a4161a", font=_demo_font(30), anchor="mm")
    for i in range(14):
        y = 280 + i * 48
        d.line([90, y, 810 - (i % 4) * 60, y], fill="#c4c4c4", width=3)
    d.text((600, 1000), "承诺人：示例（签字）", fill="#222", font=_demo_font(30), anchor="mm")
    buffer = BytesIO()
    canvas.save(buffer, "PNG")
    return default_storage.save(name, ContentFile(buffer.getvalue()))


PRODUCER_PERMISSIONS = {
    # Township and city supervisors keep the registry (生产主体名录), set grades and print signs.
    "city_supervisor": ["view_producer", "add_producer", "change_producer", "set_grade", "set_risk",
                        "import_registry", "print_signboards"],
    "township_supervisor": ["view_producer", "add_producer", "change_producer", "set_grade", "set_risk",
                            "import_registry", "print_signboards"],
    # Coordinators keep their village's producer facts current (the plan, 四、(三) 3).
    "village_coordinator": ["view_producer", "change_producer"],
}


def producer_permissions_grant() -> None:
    """Give the staff groups their permissions on producers; what each user sees is then its grids."""
    for name, codenames in PRODUCER_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*Permission.objects.filter(content_type__app_label="disclosure",
                                                             codename__in=codenames))


@transaction.atomic
def load_producer_extras(demo: Demo, today: datetime.date) -> int:
    """Fill what the demo producers lack: photos, grade history, signed letters, a registered signboard.

    Idempotent: each piece is added only where it is missing. Images are drawn, labelled 示例图片.
    """
    from disclosure.models import CreditRating, Signboard
    from disclosure.models.producers import ProducerPhoto
    from disclosure.services.signboards import signboard_issue

    rng = random.Random(2024)
    farms = [_demo_image(f"示例基地照片 {n + 1}", _farm_scene(sky, field, n), (1200, 800))
             for n, (sky, field) in enumerate(FARM_SCENES)]
    faces = [_demo_image(f"示例人员照片 {n + 1}", _person_scene(tone), (360, 480))
             for n, tone in enumerate(PERSON_TONES)]
    licence = _demo_image("示例营业执照", _licence_scene, (800, 560))
    scan = _commitment_scan()
    for n, person in enumerate(Person.objects.filter(photo__isnull=True, note="演示数据").order_by("id")):
        person.photo = faces[n % len(faces)]
        person.save(update_fields=["photo"])
    touched = 0
    rated = set(CreditRating.objects.values_list("producer_id", flat=True).distinct())
    signed = set(Signboard.objects.values_list("producer_id", flat=True).distinct())
    for producer in Producer.objects.select_related("village", "village__parent").order_by("id"):
        changed = []
        if producer.photo_id is None:
            producer.photo = rng.choice(farms)
            changed.append("photo")
        if producer.credit_code and producer.licence_image_id is None:
            producer.licence_image = licence
            changed.append("licence_image")
        if producer.inspector_name and producer.inspector_photo_id is None:
            producer.inspector_photo = rng.choice(faces)
            changed.append("inspector_photo")
        if producer.commitment_signed_on and not producer.commitment_scan:
            producer.commitment_scan.name = scan
            changed.append("commitment_scan")
        if changed:
            Producer.objects.filter(pk=producer.pk).update(**{f: getattr(producer, f) for f in changed})
            touched += 1
        if producer.kind in (ProducerKind.ENTERPRISE, ProducerKind.COOPERATIVE) and not producer.gallery.exists():
            for k, image in enumerate(rng.sample(farms, 2)):
                ProducerPhoto.objects.create(producer=producer, image=image, sort_order=k,
                                             caption=["生产基地（示例）", "产品（示例）"][k])
        if producer.pk not in rated:
            rating_set(producer=producer, grade=Grade.UNRATED, effective_date=producer.created_at.date(),
                       basis="新纳入生产主体名录，尚未开展信用评级。")
        if producer.published and producer.pk not in signed:
            producer.refresh_from_db()
            # Printed some weeks ago, but never before the grade it shows.
            issued = today - datetime.timedelta(days=rng.randint(20, 200))
            signboard_issue(producer=producer, force=False, on=max(issued, producer.grade_since or issued))
    return touched


__all__ = ["GridLevel", "load_all", "read_credentials"]


# --- complaints (投诉举报): every state, some overdue (the complaints issue) ----------------------------
COMPLAINT_TEXTS = [
    ("report", "banned_pesticide", "早上路过{place}的蔬菜大棚，看到有人往韭菜上喷药，桶上写着“甲拌磷”，气味很冲。"),
    ("report", "vet_drug", "{place}有养殖户说羊刚打完针就要卖，好像没有等休药期。"),
    ("complaint", "residue", "在市场买的{place}产的芹菜，吃了以后嘴里发麻，担心农药残留超标。"),
    ("complaint", "certificate", "{place}的合作社卖菜没有合格证，问了说不用开。"),
    ("report", "input_shop", "{place}附近一家农资店私下卖“克百威”，说是老客户才卖。"),
    ("report", "illegal_additive", "{place}有人在葡萄上抹东西保鲜，不知道是什么药水。"),
    ("complaint", "other", "{place}的地头堆着很多空农药瓶，没有回收，下雨流进水渠。"),
    ("complaint", "residue", "孩子吃了在{place}摘的草莓后肚子疼，请帮忙查一下。"),
]
# (state, how many, days ago submitted). Ages past the deadlines make some overdue.
COMPLAINT_PLAN = [
    ("submitted", 3, 1), ("submitted", 2, 12), ("accepted", 2, 4), ("not_accepted", 1, 20),
    ("transferred", 1, 15), ("assigned", 2, 6), ("investigating", 2, 10), ("investigating", 1, 80),
    ("paused", 1, 30), ("rectifying", 2, 25), ("rectified", 1, 35), ("referred", 1, 40),
    ("reply_drafted", 1, 45), ("reply_approved", 1, 50), ("closed", 3, 70), ("closed", 1, 8), ("duplicate", 1, 9),
    ("reopened", 1, 90), ("offline", 2, 3),
]


def load_complaints(demo: Demo, today: datetime.date) -> int:
    """Demo complaints in every state of the lifecycle, through the real services, then backdated.
    No mail or SMS goes out while they are made."""
    from django.test import override_settings

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                           COMPLAINTS_SMS_BACKEND="complaints.sms.LocmemSmsBackend"):
        return _load_complaints(demo, today)


def _load_complaints(demo: Demo, today: datetime.date) -> int:
    from complaints.models import Complaint, ComplaintEvent
    from complaints.services import (
        complaint_accept,
        complaint_approve_reply,
        complaint_assign,
        complaint_check_rectification,
        complaint_close,
        complaint_draft_reply,
        complaint_lab_pause,
        complaint_mark_duplicate,
        complaint_order_rectification,
        complaint_permissions_grant,
        complaint_rate,
        complaint_record_offline,
        complaint_refer,
        complaint_reject,
        complaint_reopen,
        complaint_start_investigation,
        complaint_submit,
        complaint_transfer,
        deadlines,
    )

    complaint_permissions_grant()
    if Complaint.objects.exists():
        return 0
    user_model = get_user_model()
    boss = user_model.objects.filter(username="city_admin").first()
    township_user = user_model.objects.filter(username="township_sangong").first() or boss
    village_user = user_model.objects.filter(username="village_changfeng").first() or boss
    sangong = Grid.objects.filter(code="652301101").first()
    villages = list(Grid.objects.villages().select_related("parent").order_by("code"))
    producers = list(Producer.objects.published().select_related("village").order_by("id"))
    sangong_villages = [v for v in villages if sangong and v.parent_id == sangong.pk]

    def act(service, c, user, **kwargs):
        return service(complaint=c, user=user, expected_version=c.version, **kwargs)

    created = 0
    later = today + datetime.timedelta(days=20)
    for state, count, age in COMPLAINT_PLAN:
        for _n in range(count):
            kind, category, text = COMPLAINT_TEXTS[created % len(COMPLAINT_TEXTS)]
            in_sangong = created % 2 == 0  # half in 三工镇, where the demo accounts work
            village = demo.rng.choice(sangong_villages if in_sangong and sangong_villages else villages)
            handler = township_user if in_sangong else boss
            worker = village_user if in_sangong and village.code == "652301101200" else handler
            producer = demo.rng.choice([p for p in producers if p.village_id == village.pk] or [None])
            anonymous = created % 5 == 4
            values = {"kind": kind, "category": category, "description": text.format(place=village.full_name),
                      "producer": producer, "place_village": village, "anonymous": anonymous}
            if not anonymous:
                values.update(reporter_name=demo.name(), reporter_phone=demo.phone(),
                              reporter_email=f"reporter{created + 1}@example.invalid" if created % 3 == 0 else "")
            if state == "offline":
                c = complaint_record_offline(user=handler, channel="phone" if created % 2 else "hotline_12345",
                                             external_ref=f"12345-2026-{created:05d}", **values)
            else:
                c = complaint_submit(**values)
            created += 1
            if state in ("submitted", "offline"):
                pass
            elif state == "not_accepted":
                act(complaint_reject, c, handler, reason="反映的问题不属于农产品质量安全监管范围，请向其他部门反映。")
            elif state == "transferred":
                act(complaint_transfer, c, handler, department="昌吉市市场监督管理局")
            elif state == "duplicate":
                original = Complaint.objects.visible_to(handler).exclude(pk=c.pk).exclude(
                    state__in=["not_accepted", "transferred"]).order_by("id").first()
                if original is not None:
                    act(complaint_mark_duplicate, c, handler, original=original)
            else:
                act(complaint_accept, c, handler)
                if state != "accepted":
                    act(complaint_assign, c, handler, assignee=worker)
                if state not in ("accepted", "assigned"):
                    act(complaint_start_investigation, c, worker, note_public="已到现场核实。")
                if state == "paused":
                    act(complaint_lab_pause, c, worker, samples="现场抽取韭菜样品2份送市检测中心。")
                if state in ("rectifying", "rectified") or (state in ("closed", "reopened") and created % 2 == 0):
                    act(complaint_order_rectification, c, worker, due=later,
                        requirements="停止使用，清理存货，建立用药记录。")
                    if state != "rectifying":
                        act(complaint_check_rectification, c, worker, passed=True, findings="复查已整改到位。")
                if state == "referred":
                    act(complaint_refer, c, handler, agency="昌吉市农业综合行政执法大队")
                if state in ("reply_drafted", "reply_approved", "closed", "reopened"):
                    act(complaint_draft_reply, c, worker, reply="经现场核查，反映情况属实，已责令整改并复查到位。感谢您的监督。")
                if state in ("reply_approved", "closed", "reopened"):
                    act(complaint_approve_reply, c, handler)
                if state in ("closed", "reopened"):
                    act(complaint_close, c, handler)
                if state == "closed" and created % 2:
                    complaint_rate(complaint=c, rating=5 - created % 3, comment="")
                if state == "reopened":
                    act(complaint_reopen, c, handler, reason="反映人来电表示问题仍然存在。")
            _backdate(c, age, today, deadlines, Complaint, ComplaintEvent)
    return created


def _backdate(c, age: int, today: datetime.date, deadlines, complaint_model, event_model) -> None:
    """Move a demo complaint `age` days into the past, its log spread over those days, deadlines recomputed."""
    c.refresh_from_db()
    shift = datetime.timedelta(days=age)
    events = list(event_model.objects.filter(complaint=c).order_by("at", "id"))
    for i, event in enumerate(events):
        event.at = event.at - shift + datetime.timedelta(days=min(age - 1, i))
    event_model.objects.bulk_update(events, ["at"])
    c.submitted_at -= shift
    received = timezone.localtime(c.submitted_at).date()
    c.accept_due = deadlines.accept_due(received)
    accepted = next((e for e in events if e.action == "accept"), None)
    if accepted:
        c.accepted_at = accepted.at
        c.clock_started_on = timezone.localtime(accepted.at).date()
    reopened = next((e for e in reversed(events) if e.action == "reopen"), None)
    if reopened:
        c.clock_started_on = timezone.localtime(reopened.at).date()
    if c.clock_started_on:
        c.finish_due = deadlines.finish_due(c.clock_started_on, c.paused_days)
    if c.paused_since:
        paused = next((e for e in reversed(events) if e.action == "lab_pause"), None)
        c.paused_since = timezone.localtime(paused.at).date() if paused else c.paused_since - shift
    if c.rectification_due:
        c.rectification_due -= shift
    if c.closed_at:
        c.closed_at = events[-1].at if c.state in ("closed", "not_accepted", "transferred") else c.closed_at - shift
        c.closed_on_time = bool(c.finish_due and timezone.localtime(c.closed_at).date() <= c.finish_due)
    complaint_model.objects.filter(pk=c.pk).update(
        submitted_at=c.submitted_at, accept_due=c.accept_due, accepted_at=c.accepted_at,
        clock_started_on=c.clock_started_on, finish_due=c.finish_due, paused_since=c.paused_since,
        closed_at=c.closed_at, closed_on_time=c.closed_on_time, rectification_due=c.rectification_due,
        due_on=c.compute_due_on())


# --- back office (staff/): roles, photos on some complaints, twelve weeks of closed cases -----------------
HISTORY_MARK = "（演示历史数据）"
HISTORY_REPLY = "经现场核查，已督促生产主体规范用药并建立记录，复查合格。感谢您的监督。"


def _demo_complaint_photo(label: str, colour: tuple[int, int, int]):
    """A drawn photo stamped 示例图片, as the public form would store it (re-encoded, no metadata)."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image as PILImage
    from PIL import ImageDraw

    canvas = PILImage.new("RGB", (1200, 900), colour)
    draw = ImageDraw.Draw(canvas)
    for i in range(0, 1200, 90):
        draw.line([i, 520, i + 260, 900], fill=(70, 110, 50), width=14)
    draw.rectangle([0, 380, 1200, 500], fill="#333333")
    draw.text((600, 440), f"示例图片 · {label}", fill="#ffffff", font=_demo_font(64), anchor="mm")
    buffer = BytesIO()
    canvas.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile("demo.jpg", buffer.getvalue(), content_type="image/jpeg")


def load_complaint_photos() -> int:
    """Two drawn photos on a few demo complaints in 三工镇, so that the back office shows thumbnails."""
    from complaints.models import Attachment, Complaint, StagedUpload
    from complaints.services import staged_upload_create

    if Attachment.objects.exists():
        return 0
    added = 0
    targets = Complaint.objects.filter(township__code="652301101").order_by("id")[:3]
    for complaint in targets:
        for k, (label, colour) in enumerate([("大棚现场", (150, 190, 120)), ("农药包装", (200, 180, 140))]):
            staged = staged_upload_create(upload=_demo_complaint_photo(label, colour))
            Attachment.objects.create(complaint=complaint, position=k, image=staged.image.name,
                                      thumbnail=staged.thumbnail.name, width=staged.width, height=staged.height,
                                      size=staged.size, sha256=staged.sha256)
            StagedUpload.objects.filter(pk=staged.pk).delete()
            added += 1
    return added


def load_complaint_history(today: datetime.date) -> int:
    """Closed complaints over the last twelve weeks in several townships, most on time and a few late, so
    that the dashboard's trend and on-time rates have something to show. Made through the services, then
    moved back in time (events, deadlines, closing date)."""
    from complaints.models import Complaint, ComplaintEvent
    from complaints.services import (
        complaint_accept,
        complaint_approve_reply,
        complaint_assign,
        complaint_close,
        complaint_draft_reply,
        complaint_start_investigation,
        complaint_submit,
        deadlines,
    )

    if Complaint.objects.filter(description__endswith=HISTORY_MARK).exists():
        return 0
    user_model = get_user_model()
    boss = user_model.objects.filter(username="city_admin").first()
    if boss is None:
        return 0
    rng = random.Random(2026)
    villages = list(Grid.objects.villages().select_related("parent").order_by("code"))
    sangong = [v for v in villages if v.parent.code == "652301101"]
    made = 0
    for n in range(36):
        village = rng.choice(sangong if n % 3 == 0 and sangong else villages)
        kind, category, text = COMPLAINT_TEXTS[n % len(COMPLAINT_TEXTS)]
        submitted_days_ago = rng.randint(10, 84 + 30)
        late = n % 4 == 1 and submitted_days_ago > 75
        took = rng.randint(68, 74) if late else rng.randint(4, 40)
        took = min(took, submitted_days_ago - 1)
        c = complaint_submit(kind=kind, category=category, place_village=village, anonymous=True,
                             description=text.format(place=village.full_name) + HISTORY_MARK)

        for service, kwargs in ((complaint_accept, {}), (complaint_assign, {"assignee": boss}),
                                (complaint_start_investigation, {}), (complaint_draft_reply, {"reply": HISTORY_REPLY}),
                                (complaint_approve_reply, {}), (complaint_close, {})):
            service(complaint=c, user=boss, expected_version=c.version, **kwargs)
        submitted = timezone.now() - datetime.timedelta(days=submitted_days_ago, hours=rng.randint(0, 8))
        closed = submitted + datetime.timedelta(days=took, hours=3)
        accepted = submitted + datetime.timedelta(days=1)
        start = timezone.localtime(accepted).date()
        finish_due = deadlines.finish_due(start)
        on_time = timezone.localtime(closed).date() <= finish_due
        events = list(ComplaintEvent.objects.filter(complaint=c).order_by("at", "id"))
        # submit, accept, then the steps spread evenly up to closing
        steps = len(events) - 2
        for i, event in enumerate(events):
            event.at = submitted if i == 0 else accepted + (closed - accepted) * (i - 1) / max(steps, 1)
            if "finish_due" in event.data:
                event.data["finish_due"] = finish_due.isoformat()
            if "on_time" in event.data:
                event.data["on_time"] = on_time
        ComplaintEvent.objects.bulk_update(events, ["at", "data"])
        Complaint.objects.filter(pk=c.pk).update(
            submitted_at=submitted, accept_due=deadlines.accept_due(timezone.localtime(submitted).date()),
            accepted_at=accepted, clock_started_on=start, finish_due=finish_due, closed_at=closed,
            closed_on_time=on_time, reply_approved_at=closed, due_on=None)
        made += 1
    return made


def load_complaint_extras(today: datetime.date) -> int:
    """What the back office's screens need on top of load_complaints: the roles' grid permissions, photos
    and a history of closed cases (each idempotent)."""
    from django.test import override_settings

    from .roles import staff_permissions_grant

    staff_permissions_grant()
    with (override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                            COMPLAINTS_SMS_BACKEND="complaints.sms.LocmemSmsBackend"), transaction.atomic()):
        return load_complaint_photos() + load_complaint_history(today)
