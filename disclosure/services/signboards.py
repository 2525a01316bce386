"""Signboards (公示牌): who supervises a producer, the facts a sign prints, registering signs
(drawing them: signboard_render).

A registered sign (Signboard) keeps the facts exactly as printed (`printed_facts`), and the PDF is drawn
from those facts, so the registry always says what a sign on a wall shows. A later scan of that sign
compares them with the producer's current facts and tells the citizen what has changed.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Grid, Person, Producer, ProducerKind, Role, RoleAssignment, Signboard
from ..models.ratings import grade_label

PAPERS = ("A3", "A4")

# Image sizes: on the phone page (CSS pixels × 2 for sharp screens) and on paper (about 200 dpi on A3).
PAGE_PHOTO = "fill-720x405|jpegquality-70"
PAGE_THUMB = "fill-240x240|jpegquality-70"
PAGE_AVATAR = "fill-144x180|jpegquality-75"
PRINT_PHOTO = "fill-1200x800|jpegquality-85"
PRINT_AVATAR = "fill-360x480|jpegquality-85"
PRINT_LICENCE = "max-700x700|jpegquality-85"


def rendition_for(image, spec: str):
    """The image's rendition for a filter spec: the prefetched one if there is one, else made now.

    Wagtail's get_rendition writes every rendition it returns to the cache; with the database cache
    that is several writes per image per page view, so prefetched renditions are used as they are.
    """
    from wagtail.images.models import Filter

    try:
        return image.find_existing_rendition(Filter(spec=spec))
    except image.get_rendition_model().DoesNotExist:
        return image.get_rendition(spec)


# --- who supervises a producer ----------------------------------------------------------------------

@dataclass
class Supervision:
    """The grid supervision system (网格化监管体系) of one producer, as it stands today."""

    coordinators: list[Person] = field(default_factory=list)   # 村级协管员 of the producer's village
    supervisors: list[Person] = field(default_factory=list)    # 乡镇监管员 of its township

    @property
    def coordinator(self) -> Person | None:
        return self.coordinators[0] if self.coordinators else None

    @property
    def supervisor(self) -> Person | None:
        return self.supervisors[0] if self.supervisors else None


def supervision_for(*, producers: list[Producer], on: datetime.date | None = None) -> dict[int, Supervision]:
    """The current coordinators and township supervisors of each producer, in one query for all of them.

    Producers must come with their village loaded (`for_public_display()`).
    """
    village_ids = {p.village_id for p in producers}
    township_ids = {p.village.parent_id for p in producers if p.village.parent_id}
    holders: dict[tuple[int, str], list[Person]] = {}
    if village_ids:
        assignments = (
            RoleAssignment.objects.current(on=on)
            .filter(Q(grid_id__in=village_ids, role=Role.COORDINATOR)
                    | Q(grid_id__in=township_ids, role=Role.SUPERVISOR))
            .select_related("person", "person__photo")
            .order_by("start_date", "id")
        )
        for assignment in assignments:
            holders.setdefault((assignment.grid_id, assignment.role), []).append(assignment.person)
    return {
        p.pk: Supervision(coordinators=holders.get((p.village_id, Role.COORDINATOR), []),
                          supervisors=holders.get((p.village.parent_id, Role.SUPERVISOR), []))
        for p in producers
    }


def hotline_number() -> str:
    """The complaints hotline of the site settings (printed where a person's own phone is not public)."""
    from wagtail.models import Site

    from portal.models import PortalSettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return PortalSettings._meta.get_field("hotline").default
    return PortalSettings.for_site(site).hotline


def public_phone(person: Person, hotline: str) -> str:
    """A person's phone as the public may see it: their own, or the hotline if they asked not to publish it."""
    return person.phone if person.phone_public else hotline


# --- the facts a sign prints -------------------------------------------------------------------------

def _contact(person: Person | None, hotline: str) -> dict | None:
    if person is None:
        return None
    return {"name": person.name, "phone": public_phone(person, hotline), "photo": person.photo_id}


def signboard_facts(*, producer: Producer, supervision: Supervision, hotline: str) -> dict:
    """Everything a signboard prints about a producer, as JSON-ready values (compared on later scans)."""
    inspector = None
    if producer.inspector_name:
        inspector = {"name": producer.inspector_name, "phone": producer.inspector_phone,
                     "photo": producer.inspector_photo_id}
    return {
        "code": producer.code,
        "name": producer.name,
        "kind": producer.kind,
        "products": producer.products,
        "village": producer.village.full_name,
        "responsible": producer.legal_representative,
        "grade": producer.grade,
        "grade_since": producer.grade_since.isoformat() if producer.grade_since else None,
        "credit_code": producer.credit_code,
        "licence_image": producer.licence_image_id,
        "traceability": producer.on_traceability_platform,
        "traceability_code": producer.traceability_code if producer.on_traceability_platform else "",
        "certificates": producer.issues_certificates,
        "self_commitment": producer.self_commitment,
        "commitment_text": producer.commitment_text.strip(),
        "commitment_signed_on": (producer.commitment_signed_on.isoformat()
                                 if producer.commitment_signed_on else None),
        "photo": producer.photo_id,
        "coordinator": _contact(supervision.coordinator, hotline),
        "supervisor": _contact(supervision.supervisor, hotline),
        "inspector": inspector,
    }


FACT_LABELS = {
    "name": gettext_lazy("名称"),
    "kind": gettext_lazy("单位类型"),
    "products": gettext_lazy("主要产品"),
    "village": gettext_lazy("所属网格"),
    "responsible": gettext_lazy("负责人"),
    "grade": gettext_lazy("信用等级"),
    "grade_since": gettext_lazy("评级日期"),
    "credit_code": gettext_lazy("统一社会信用代码"),
    "licence_image": gettext_lazy("营业执照照片"),
    "traceability": gettext_lazy("国家追溯平台"),
    "traceability_code": gettext_lazy("追溯平台主体码"),
    "certificates": gettext_lazy("食用农产品合格证"),
    "self_commitment": gettext_lazy("自我承诺"),
    "commitment_text": gettext_lazy("承诺书内容"),
    "commitment_signed_on": gettext_lazy("承诺书签署日期"),
    "photo": gettext_lazy("主体照片"),
    "coordinator": gettext_lazy("村级协管员"),
    "supervisor": gettext_lazy("乡镇监管员"),
    "inspector": gettext_lazy("单位内检员"),
}


@dataclass
class Change:
    """One difference between a printed sign and today; `before` is empty when only the change is told."""

    label: str
    before: str
    after: str


def _shown(key: str, value) -> str:
    if value in (None, ""):
        return _("（无）")
    if key == "grade":
        return grade_label(value)
    if key == "kind":
        try:
            return str(ProducerKind(value).label)
        except ValueError:
            return value
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if key in ("coordinator", "supervisor", "inspector"):
        return f"{value.get('name', '')} {value.get('phone', '')}".strip()
    if key in ("photo", "licence_image"):
        return _("有")
    if key == "commitment_text":
        return _("原内容")
    return str(value)


def facts_changes(*, printed: dict, current: dict) -> list[Change]:
    """What differs between the facts printed on a sign and the producer's facts today, in words."""
    changes = []
    for key, label in FACT_LABELS.items():
        before, after = printed.get(key), current.get(key)
        if key in ("coordinator", "supervisor", "inspector") and before and after:
            # A new photo of the same person is not worth a notice; a new name or phone is.
            before = {k: v for k, v in before.items() if k != "photo"}
            after = {k: v for k, v in after.items() if k != "photo"}
        if before == after:
            continue
        if key in ("photo", "licence_image"):
            changes.append(Change(str(label), "", _("已更换") if before and after else (_("已添加") if after
                                                                                     else _("已删除"))))
        elif key == "commitment_text":
            changes.append(Change(str(label), "", _("内容已修改")))
        else:
            changes.append(Change(str(label), _shown(key, before), _shown(key, after)))
    return changes


def current_facts(*, producer: Producer, supervision: Supervision | None = None, hotline: str | None = None) -> dict:
    """The facts a sign printed today would show (two queries when supervision and hotline are not given)."""
    if supervision is None:
        supervision = supervision_for(producers=[producer])[producer.pk]
    return signboard_facts(producer=producer, supervision=supervision,
                           hotline=hotline if hotline is not None else hotline_number())


# --- registering signs --------------------------------------------------------------------------------

def _next_serial() -> int:
    return (Signboard.objects.aggregate(m=Max("serial"))["m"] or 0) + 1


@transaction.atomic
def signboard_issue(*, producer: Producer, paper: str = "A3", by=None, force: bool = True,
                    facts: dict | None = None, on: datetime.date | None = None) -> tuple[Signboard, bool]:
    """Register a sign for a producer and return (sign, whether it is new).

    With force=False the producer's latest sign is returned instead when its printed facts are still the
    current ones (a reprint of the same sign keeps its serial); with force=True (staff issuing a new
    sign) a new serial is always registered.
    """
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {PAPERS}")
    # Serialise issuing for one producer so that two simultaneous prints do not register two signs.
    Producer.objects.select_for_update().filter(pk=producer.pk).first()
    if facts is None:
        facts = current_facts(producer=producer)
    if not force:
        latest = Signboard.objects.latest_for(producer)
        if latest is not None and latest.printed_facts == facts:
            return latest, False
    for _attempt in range(10):
        try:
            with transaction.atomic():
                sign = Signboard.objects.create(
                    producer=producer, serial=_next_serial(), issued_on=on or timezone.localdate(),
                    grade_shown=facts["grade"], paper=paper, printed_facts=facts, created_by=by,
                )
        except IntegrityError:
            continue  # another process took the serial; take the next one
        return sign, True
    raise RuntimeError("could not allocate a signboard serial")


def signboard_public(*, producer: Producer, paper: str = "A3") -> tuple[Signboard, bool]:
    """The sign anyone may download, and whether it is a registered one. Registering a sign is a staff
    action (a sign printed from the back office or in a batch); a public download never writes: it is
    the latest registered sign while its printed facts are still today's, otherwise an unsaved specimen
    (样张) with today's facts and no serial, which says so on the sheet."""
    facts = current_facts(producer=producer)
    latest = Signboard.objects.latest_for(producer)
    if latest is not None and latest.printed_facts == facts:
        return latest, True
    return Signboard(producer=producer, serial=0, issued_on=timezone.localdate(), grade_shown=facts["grade"],
                     paper=paper, printed_facts=facts), False


def signboards_for_grid(*, grid: Grid, paper: str = "A3", by=None, force: bool = False,
                        progress: Callable[[int, int, Producer], None] | None = None) -> list[Signboard]:
    """Register (or reuse, when unchanged) the signs of every published producer of a township or village."""
    producers = list(Producer.objects.published().in_grid(grid).for_public_display()
                     .order_by("village__sort_order", "village__code", "name", "id"))
    supervision = supervision_for(producers=producers)
    hotline = hotline_number()
    signs = []
    for number, producer in enumerate(producers, start=1):
        facts = signboard_facts(producer=producer, supervision=supervision[producer.pk], hotline=hotline)
        sign, _created = signboard_issue(producer=producer, paper=paper, by=by, force=force, facts=facts)
        signs.append(sign)
        if progress:
            progress(number, len(producers), producer)
    return signs
