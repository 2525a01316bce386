"""Public pages of producers: the QR landing page /p/<CODE>/, its signboard PDF, the directory."""

import datetime
import mimetypes
import re

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Max
from django.http import FileResponse, Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.http import cached_html, fingerprint, public_cache
from portal.pdf import cached_pdf, pdf_response
from portal.qr import absolute_url

from ..models import Grid, Person, Producer, ProducerKind, RoleAssignment, Signboard
from ..models.producers import CODE_ALPHABET, CODE_LENGTH, ProducerPhoto
from ..models.ratings import GRADE_LETTER, GRADE_MEANING, GRADE_SHORT, OBJECTION_WORKING_DAYS, Grade
from ..sections import producer_sections_render
from ..services import signboards as sb
from ..services.producers import grade_story, statement_shown
from ..services.signboard_render import signboard_version, signboards_pdf
from ..sites import serves, url_on_site_serving

# Bump when the page's HTML changes in a way a cached copy must not hide.
PAGE_VERSION = "7"
CODE_RE = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
SERIAL_RE = re.compile(r"^\d{1,9}$")
PER_PAGE = 20
MAX_QUERY = 50
# Rendered pages are kept in the shared cache under their ETag, which fingerprints everything the
# page shows; the time limit bounds how long a change of the site settings (the footer) takes to show.
RENDERED_SECONDS = 600


def _clean_code(code: str) -> str:
    return (code or "").strip().upper()


def _serial(request) -> int | None:
    raw = (request.GET.get("s") or request.GET.get("S") or "").strip()
    return int(raw) if SERIAL_RE.match(raw) else None


# --- /p/<CODE>/ -------------------------------------------------------------------------------------

def _as_datetime(value):
    """A timestamp from raw SQL: SQLite gives naive UTC datetimes or text, PostgreSQL aware datetimes."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime.datetime) else parse_datetime(str(value))
    return timezone.make_aware(parsed, datetime.UTC) if parsed and timezone.is_naive(parsed) else parsed


def _state_sql() -> str:
    producer, grid = Producer._meta.db_table, Grid._meta.db_table
    person, assignment, sign = Person._meta.db_table, RoleAssignment._meta.db_table, Signboard._meta.db_table
    # Plain SQL: building this with the ORM took longer than running it, on every page view. Only our
    # own table names are interpolated; the code is a parameter.
    return f"""
        SELECT p.updated_at, v.updated_at, t.updated_at,
               (SELECT MAX(pe.updated_at) FROM {person} pe JOIN {assignment} ra ON ra.person_id = pe.id
                 WHERE ra.grid_id = p.village_id OR ra.grid_id = v.parent_id),
               (SELECT MAX(s.serial) FROM {sign} s WHERE s.producer_id = p.id)
          FROM {producer} p JOIN {grid} v ON v.id = p.village_id LEFT JOIN {grid} t ON t.id = v.parent_id
         WHERE p.code = %s AND p.published = %s"""  # noqa: S608


def _page_state(request, code: str) -> dict | None:
    """One query for what the page depends on: the producer's, grids' and people's change times and
    its latest sign. Cached on the request, because the ETag and Last-Modified functions both ask."""
    if not hasattr(request, "_producer_state"):
        code = _clean_code(code)
        state = None
        if CODE_RE.match(code):
            with connection.cursor() as cursor:
                cursor.execute(_state_sql(), [code, True])
                row = cursor.fetchone()
            if row is not None:
                state = {"updated_at": _as_datetime(row[0]), "village_at": _as_datetime(row[1]),
                         "township_at": _as_datetime(row[2]), "people_at": _as_datetime(row[3]),
                         "latest_sign": row[4]}
        request._producer_state = state
    return request._producer_state


def _page_etag(request, code):
    state = _page_state(request, code)
    if state is None:
        return None
    return fingerprint(PAGE_VERSION, sorted(state.items()), timezone.localdate(), _serial(request))


def _page_last_modified(request, code):
    state = _page_state(request, code)
    if state is None:
        return None
    # Role assignments start and end on dates, so a page may change at midnight without any edit.
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    return max([midnight] + [v for k, v in state.items() if k.endswith("_at") and v is not None])


def _not_found(request, code: str, reason: str, producer: Producer | None = None):
    return render(request, "disclosure/producers/not_found.html",
                  {"code": code, "reason": reason, "producer": producer}, status=404)


def _page_images(producer: Producer, supervision: sb.Supervision, gallery: list[ProducerPhoto]) -> dict:
    """Renditions for every image on the page, from two queries whatever the number of images."""
    from wagtail.images import get_image_model

    wanted: dict[int, set[str]] = {}
    if producer.photo_id:
        wanted.setdefault(producer.photo_id, set()).add(sb.PAGE_PHOTO)
    if producer.licence_image_id:
        wanted.setdefault(producer.licence_image_id, set()).add(sb.PAGE_THUMB)
    if producer.inspector_photo_id:
        wanted.setdefault(producer.inspector_photo_id, set()).add(sb.PAGE_AVATAR)
    for person in supervision.coordinators + supervision.supervisors:
        if person.photo_id:
            wanted.setdefault(person.photo_id, set()).add(sb.PAGE_AVATAR)
    for item in gallery:
        wanted.setdefault(item.image_id, set()).add(sb.PAGE_THUMB)
    if not wanted:
        return {}
    specs = set().union(*wanted.values())
    renditions = {}
    for image in get_image_model().objects.filter(pk__in=wanted).prefetch_renditions(*specs):
        for spec in wanted[image.pk]:
            try:
                renditions[(image.pk, spec)] = sb.rendition_for(image, spec)
            except (OSError, ValueError):
                continue  # a lost image file must not take the page down
    return renditions


def _person_card(person: Person, role_label: str, renditions: dict, hotline: str) -> dict:
    return {"role": role_label, "name": person.name, "position": person.display_position,
            "phone": sb.public_phone(person, hotline), "own_phone": person.phone_public,
            "photo": renditions.get((person.photo_id, sb.PAGE_AVATAR)) if person.photo_id else None}


@require_safe
@public_cache(etag=_page_etag, last_modified=_page_last_modified)
def producer_page(request, code: str):
    """A producer's public page, the QR target: who it is, its grade, its supervisors, how to complain."""
    return cached_html(request, _page_etag(request, code), lambda: _producer_page(request, code),
                       seconds=RENDERED_SECONDS)


def _producer_page(request, code: str):
    shown = (code or "").strip()[:40]
    code = _clean_code(code)
    if not CODE_RE.match(code):
        return _not_found(request, shown, "malformed")
    producer = Producer.objects.for_public_display().filter(code=code).first()
    if producer is None:
        return _not_found(request, shown, "unknown")
    if not producer.published:
        return _not_found(request, shown, "withdrawn", producer)
    if not serves(producer.village):
        # Another county's producer (a sign read on the wrong site): its page lives on its county's site.
        elsewhere = url_on_site_serving(producer.village, request.get_full_path())
        if elsewhere:
            return HttpResponseRedirect(elsewhere)

    supervision = sb.supervision_for(producers=[producer])[producer.pk]
    gallery = list(producer.gallery.all()[:6])
    renditions = _page_images(producer, supervision, gallery)
    from portal.models import PortalSettings

    hotline = PortalSettings.for_request(request).hotline

    people = [_person_card(p, _("村级协管员"), renditions, hotline) for p in supervision.coordinators]
    people += [_person_card(p, _("乡镇监管员"), renditions, hotline) for p in supervision.supervisors]
    if producer.inspector_name:
        people.append({"role": _("单位内检员"), "name": producer.inspector_name, "position": "",
                       "phone": producer.inspector_phone, "own_phone": True,
                       "photo": renditions.get((producer.inspector_photo_id, sb.PAGE_AVATAR))})
    has_coordinator = bool(supervision.coordinators)
    has_supervisor = bool(supervision.supervisors)
    # The two calls on the first screen: the village's coordinator and the township's supervisor, or the
    # hotline where a post is vacant.
    quick = [_person_card(person, role, renditions, hotline) if person
             else {"role": role, "name": _("投诉举报电话"), "phone": hotline}
             for person, role in ((supervision.coordinator, _("村级协管员")), (supervision.supervisor, _("乡镇监管员")))]

    # A scan of a printed sign: compare what it printed with today's facts.
    sign_notice = None
    serial = _serial(request)
    if serial is not None:
        sign = Signboard.objects.filter(producer=producer, serial=serial).first()
        if sign is None:
            # A serial of another producer's sign: a sign moved to the wrong farm, or copied.
            elsewhere = Signboard.objects.filter(serial=serial).exists()
            sign_notice = {"elsewhere": elsewhere, "unknown": not elsewhere, "serial": serial}
        else:
            current = sb.signboard_facts(producer=producer, supervision=supervision, hotline=hotline)
            newer = Signboard.objects.filter(producer=producer, serial__gt=serial).order_by("-serial").first()
            sign_notice = {"sign": sign, "newer": newer,
                           "changes": sb.facts_changes(printed=sign.printed_facts, current=current)}

    story = grade_story(producer=producer)
    grade = story.shown
    context = {
        "story": story,
        "statement": statement_shown(producer),
        "today": timezone.localdate(),
        "producer": producer,
        "township": producer.village.parent,
        "grade": grade,
        "grade_letter": GRADE_LETTER.get(grade, ""),
        "grade_short": GRADE_SHORT.get(grade, ""),
        "grade_meaning": GRADE_MEANING.get(grade, ""),
        "objection_days": OBJECTION_WORKING_DAYS,
        "supervisor": supervision.supervisor,
        "supervisor_phone": sb.public_phone(supervision.supervisor, hotline) if supervision.supervisor else "",
        "hotline": hotline,
        "people": people,
        "quick": quick,
        "missing_roles": [label for label, present in ((_("村级协管员"), has_coordinator),
                                                        (_("乡镇监管员"), has_supervisor)) if not present],
        "photo": renditions.get((producer.photo_id, sb.PAGE_PHOTO)) if producer.photo_id else None,
        "licence": renditions.get((producer.licence_image_id, sb.PAGE_THUMB)) if producer.licence_image_id else None,
        "gallery": [(item, renditions.get((item.image_id, sb.PAGE_THUMB))) for item in gallery],
        "sign_notice": sign_notice,
        "canonical_url": absolute_url(producer.get_absolute_url()),
        "complaint_url": f"/complaints/new/?producer={producer.code}",
        # Sections apps above this one add (inspections): each runs a fixed number of queries.
        "sections": producer_sections_render(producer),
    }
    return render(request, "disclosure/producers/page.html", context)


# --- /p/<CODE>/signboard.pdf -------------------------------------------------------------------------

@require_safe
def signboard_pdf(request, code: str):
    """The producer's signboard as a PDF (A3, or ?paper=A4): the latest registered sign while its facts
    are today's, else a specimen (样张) with today's facts. Never registers a sign (staff do that)."""
    code = _clean_code(code)
    paper = (request.GET.get("paper") or "A3").upper()
    if paper not in sb.PAPERS:
        return HttpResponseBadRequest(_("纸张只能是 A3 或 A4，例如 ?paper=A4。"),
                                      content_type="text/plain; charset=utf-8")
    if not CODE_RE.match(code):
        return _not_found(request, code[:40], "malformed")
    producer = Producer.objects.for_public_display().filter(code=code).first()
    if producer is None:
        return _not_found(request, code, "unknown")
    if not producer.published:
        return _not_found(request, code, "withdrawn", producer)
    sign, registered = sb.signboard_public(producer=producer, paper=paper)
    key = f"signboard:{sign.serial}:{paper}" if registered else f"signboard-specimen:{producer.code}:{paper}"
    pdf, _hit = cached_pdf(key, signboard_version(sign, paper), lambda: signboards_pdf(signs=[sign], paper=paper))
    label = sign.serial_display if registered else "specimen"
    response = pdf_response(pdf, f"signboard-{producer.code}-{label}-{paper}.pdf")
    response["Cache-Control"] = "no-cache"  # the sign changes with the facts; always revalidate
    return response


@require_safe
def commitment_scan(request, code: str):
    """The signed commitment letter (承诺书) of a published producer, as uploaded (image or PDF)."""
    producer = Producer.objects.published().filter(code=_clean_code(code)).first()
    if producer is None or not producer.commitment_scan:
        raise Http404(_("没有找到该生产主体的承诺书扫描件。"))
    name = producer.commitment_scan.name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if content_type not in ("application/pdf", "image/jpeg", "image/png"):
        raise Http404(_("没有找到该生产主体的承诺书扫描件。"))
    response = FileResponse(producer.commitment_scan.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="commitment-{producer.code}{name[name.rfind("."):]}"'
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- /producers/ --------------------------------------------------------------------------------------

def _directory_etag(request):
    state = Producer.objects.published().aggregate(n=Count("id"), t=Max("updated_at"))
    grids = Grid.objects.aggregate(t=Max("updated_at"))
    return fingerprint(PAGE_VERSION, state, grids, sorted(request.GET.lists()))


def _directory_etag_once(request):
    if not hasattr(request, "_directory_etag"):
        request._directory_etag = _directory_etag(request)
    return request._directory_etag


@require_safe
@public_cache(etag=_directory_etag_once)
def directory(request):
    """生产主体名录 for the public: search by name or product, filter by place, kind and grade."""
    return cached_html(request, _directory_etag_once(request), lambda: _directory(request),
                       seconds=RENDERED_SECONDS)


def _directory(request):
    grids = list(Grid.objects.served().filter(level__in=["township", "village"]).order_by("sort_order", "code"))
    townships = [g for g in grids if g.level == "township"]
    by_slug = {g.slug: g for g in townships}
    villages_by_code = {g.code: g for g in grids if g.level == "village"}
    for township in townships:
        township.village_list = [g for g in grids if g.parent_id == township.pk]

    notices = []
    raw_query = (request.GET.get("q") or "").strip()
    query = raw_query[:MAX_QUERY]
    if len(raw_query) > MAX_QUERY:
        notices.append(_("关键词过长，只按前 %(n)d 个字查找。") % {"n": MAX_QUERY})
    producers = Producer.objects.served().published().matching(query)

    township = by_slug.get(request.GET.get("township") or "")
    if request.GET.get("township") and township is None:
        notices.append(_("没有名为“%(v)s”的乡镇，已显示全部乡镇。") % {"v": request.GET["township"][:40]})
    village = villages_by_code.get(request.GET.get("village") or "")
    if request.GET.get("village") and village is None:
        notices.append(_("没有编码为“%(v)s”的村，已显示全部村。") % {"v": request.GET["village"][:40]})
    if village and township and village.parent_id != township.pk:
        notices.append(_("%(village)s不属于%(township)s，已按村查找。") % {
            "village": village.name, "township": township.name})
        township = None
    if village:
        producers = producers.filter(village=village)
    elif township:
        producers = producers.filter(village__parent=township)

    kind = request.GET.get("kind") or ""
    if kind and kind not in ProducerKind.values:
        notices.append(_("单位类型无效，已显示全部类型。"))
        kind = ""
    if kind:
        producers = producers.filter(kind=kind)
    grade = request.GET.get("grade") or ""
    if grade and grade not in Grade.values:
        notices.append(_("信用等级无效，已显示全部等级。"))
        grade = ""
    if grade:
        producers = producers.filter(grade=grade)

    producers = producers.select_related("village", "village__parent").order_by("name", "id")
    page_obj = Paginator(producers, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "disclosure/producers/directory.html", {
        "page_obj": page_obj, "query": query, "townships": townships, "township": township,
        "village": village, "kind": kind, "grade": grade, "kinds": ProducerKind.choices,
        "grades": Grade.choices, "notices": notices,
        "filtered": bool(query or township or village or kind or grade),
    })
