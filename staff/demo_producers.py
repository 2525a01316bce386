"""Demo producers' extras (the producers issue): drawn photos, grade history, signed letters, signboards.

Moved out of staff/demo.py unchanged; staff.demo re-exports what others import from there.
"""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING

from django.db import transaction

from disclosure.models import Grade, Person, Producer, ProducerKind
from disclosure.services.producers import rating_set

if TYPE_CHECKING:
    from .demo import Demo

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
    _statements(today)
    return touched


STATEMENTS = ("去年抽检不合格的批次已全部召回销毁，已更换农药供应商，并按要求接受了复查抽检。",
              "本社对评级有异议，已于复核期内提交用药记录和检测报告，等待乡镇复核结果。")


def _statements(today: datetime.date) -> None:
    """Two producers' own statements about their grades (right to reply), once."""
    from disclosure.models import ProducerStatement
    from disclosure.services.producers import statement_publish

    if ProducerStatement.objects.exists():
        return
    for grade, text in zip((Grade.B, Grade.REVIEW), STATEMENTS, strict=True):
        producer = Producer.objects.published().filter(grade=grade).order_by("id").first()
        if producer is not None:
            statement_publish(producer=producer, text=text,
                              stated_on=max(producer.grade_since or today, today - datetime.timedelta(days=20)))
