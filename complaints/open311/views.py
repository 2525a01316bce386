"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2/) at /api/open311/v2/.

Services are the complaint categories; a request is a complaint. Posting needs an API key that staff issue
in the back office. Reading is public and shows public fields only: never the reporter, the description
(free text may name people), the address in words, coordinates or photos. JSON and XML are both served;
errors are a list of {code, description} as the spec says.
"""

import datetime
from xml.sax.saxutils import escape

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from disclosure.geo import rings_of
from disclosure.models import Grid, GridLevel, Producer
from portal.places import place_name

from .. import conf
from ..models import FINISHED_STATES, OPEN_STATES, Category, Complaint, ComplaintEvent, Kind
from ..services import DuplicateSubmission, complaint_submit
from ..services.api_keys import open311_client_for_key

MAX_RESULTS = 1000
MAX_SPAN = datetime.timedelta(days=90)
GROUP = "农产品质量安全"
CATEGORY_DESCRIPTION = {
    Category.BANNED_PESTICIDE: "生产中使用国家禁用农药，或超范围使用限用农药。",
    Category.VET_DRUG: "滥用兽药，或畜禽水产品上市前未执行休药期。",
    Category.ILLEGAL_ADDITIVE: "在农产品中非法添加，或违规使用保鲜剂、防腐剂、添加剂。",
    Category.RESIDUE: "农产品中农药或兽药残留超过国家标准。",
    Category.CERTIFICATE: "上市农产品未开具承诺达标合格证，或合格证不实、伪造。",
    Category.INPUT_SHOP: "农资经营店销售国家禁用、限用的农药兽药。",
    Category.OTHER: "其他农产品质量安全问题。",
}


# --- rendering ----------------------------------------------------------------------------------------

def _xml(value, tag: str) -> str:
    if isinstance(value, list):
        child = {"services": "service", "service_requests": "request", "attributes": "attribute",
                 "values": "value", "errors": "error"}.get(tag, "item")
        return f"<{tag}>" + "".join(_xml(v, child) for v in value) + f"</{tag}>"
    if isinstance(value, dict):
        return f"<{tag}>" + "".join(_xml(v, k) for k, v in value.items()) + f"</{tag}>"
    if value is None:
        return f"<{tag}/>"
    if isinstance(value, bool):
        value = "true" if value else "false"
    return f"<{tag}>{escape(str(value))}</{tag}>"


def _respond(data, fmt: str, root: str, status: int = 200, cache: bool = False):
    if fmt == "xml":
        body = '<?xml version="1.0" encoding="utf-8"?>' + _xml(data, root)
        response = HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)
    else:
        response = JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})
        response["Content-Type"] = "application/json; charset=utf-8"
    response["Cache-Control"] = "public, max-age=60" if cache and status == 200 else "no-store"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(fmt: str, status: int, *descriptions: str):
    return _respond([{"code": status, "description": d} for d in descriptions], fmt, "errors", status=status)


def _is_request_id(value: str) -> bool:
    """ASCII digits that fit the database's id column ("²" passes isdigit() but not int())."""
    return value.isascii() and value.isdigit() and len(value) <= 18


def _check_format(fmt: str):
    return None if fmt in ("json", "xml") else _error("json", 404, _("不支持的格式“%(fmt)s”：请用 .json 或 .xml。")
                                                      % {"fmt": fmt[:10]})


def _check_jurisdiction(request, fmt: str):
    value = (request.POST if request.method == "POST" else request.GET).get("jurisdiction_id")
    if value and value != conf.get("COMPLAINTS_OPEN311_JURISDICTION"):
        return _error(fmt, 404, _("jurisdiction_id “%(j)s” 不存在；本接口只服务 %(ours)s。")
                      % {"j": value[:60], "ours": conf.get("COMPLAINTS_OPEN311_JURISDICTION")})
    return None


def _w3c(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


# --- services -------------------------------------------------------------------------------------------

@require_GET
def discovery(request, fmt: str):
    """Service discovery: where the GeoReport v2 endpoint is and which formats it speaks."""
    if (bad := _check_format(fmt)) is not None:
        return bad
    base = request.build_absolute_uri("/api/open311/v2/")
    data = {"changeset": "2026-11-28", "contact": _("%(place)s农业农村局 投诉举报电话见网站页脚") % {"place": place_name()},
            "key_service": _("接口密钥由市级网格管理员在后台签发"),
            "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                           "changeset": "2026-11-28", "type": "production",
                           "formats": ["application/json", "text/xml"]}]}
    return _respond(data, fmt, "discovery", cache=True)


@require_GET
def services(request, fmt: str):
    """GET services: the complaint categories."""
    if (bad := _check_format(fmt) or _check_jurisdiction(request, fmt)) is not None:
        return bad
    data = [{"service_code": value, "service_name": str(label), "description": CATEGORY_DESCRIPTION[value],
             "metadata": True, "type": "realtime", "keywords": f"{label},投诉,举报", "group": GROUP}
            for value, label in Category.choices]
    return _respond(data, fmt, "services", cache=True)


@require_GET
def service_definition(request, code: str, fmt: str):
    """GET service definition: the attributes a request may carry (kind is required)."""
    if (bad := _check_format(fmt) or _check_jurisdiction(request, fmt)) is not None:
        return bad
    if code not in Category.values:
        return _error(fmt, 404, _("service_code “%(code)s” 不存在。") % {"code": code[:40]})
    townships = list(Grid.objects.served().townships().order_by("sort_order", "code"))
    villages = list(Grid.objects.served().villages().select_related("parent").order_by("parent__sort_order", "sort_order"))
    attributes = [
        {"variable": True, "code": "kind", "datatype": "singlevaluelist", "required": True,
         "datatype_description": None, "order": 1,
         "description": "投诉（对产品或生产主体的意见）还是举报（违法违规行为）",
         "values": [{"key": k, "name": str(n)} for k, n in Kind.choices]},
        {"variable": True, "code": "township", "datatype": "singlevaluelist", "required": False,
         "datatype_description": None, "order": 2, "description": "发生地乡镇（区划代码）",
         "values": [{"key": g.code, "name": g.name} for g in townships]},
        {"variable": True, "code": "village", "datatype": "singlevaluelist", "required": False,
         "datatype_description": None, "order": 3, "description": "发生地村（区划代码）",
         "values": [{"key": g.code, "name": g.full_name} for g in villages]},
        {"variable": True, "code": "producer", "datatype": "string", "required": False,
         "datatype_description": "6位公示编码，见生产主体公示牌", "order": 4, "description": "涉及的生产主体"},
        {"variable": True, "code": "external_ref", "datatype": "string", "required": False,
         "datatype_description": "最多50个字符", "order": 5, "description": "调用方系统中的工单号，例如12345热线工单号"},
    ]
    return _respond({"service_code": code, "attributes": attributes}, fmt, "service_definition", cache=True)


# --- requests -------------------------------------------------------------------------------------------

def _latest_public_note():
    return Subquery(ComplaintEvent.objects.filter(complaint=OuterRef("pk"), is_public=True)
                    .exclude(note_public="").order_by("-at", "-id").values("note_public")[:1])


def _public_rows(queryset) -> list[dict]:
    rows = []
    for c in queryset:
        deadline = c.deadline
        rows.append({
            "service_request_id": str(c.pk),
            "status": "open" if c.state in OPEN_STATES else "closed",
            "status_notes": c.latest_note or None,
            "service_name": c.get_category_display(),
            "service_code": c.category,
            "description": None,  # withheld: the reporter's own words may identify them or others
            "agency_responsible": _("%(grid)s网格") % {"grid": c.grid.full_name},
            "service_notice": None,
            "requested_datetime": _w3c(c.submitted_at),
            "updated_datetime": _w3c(c.updated_at),
            "expected_datetime": _w3c(datetime.datetime.combine(deadline, datetime.time(23, 59, 59),
                                                                tzinfo=timezone.get_current_timezone()))
            if deadline else None,
            "address": c.place_label or c.grid.full_name,
            "address_id": None,
            "zipcode": None,
            "lat": None,
            "long": None,
            "media_url": None,
        })
    return rows


def _public_queryset():
    return (Complaint.objects.select_related("grid", "grid__parent", "place_village", "place_village__parent",
                                             "place_township")
            .annotate(latest_note=_latest_public_note()).order_by("-submitted_at", "-id"))


def _parse_when(value: str, name: str) -> datetime.datetime:
    parsed = parse_datetime(value.strip()) if value else None
    if parsed is None:
        raise ValueError(_("%(name)s “%(value)s” 不是 W3C 日期时间格式，例如 2026-01-01T00:00:00+08:00。")
                         % {"name": name, "value": value[:40]})
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _list(request, fmt: str):
    params = request.GET
    queryset = _public_queryset()
    ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        bad = [i for i in ids if not _is_request_id(i)]
        if bad:
            return _error(fmt, 400, _("service_request_id “%(id)s” 无效：应为数字。") % {"id": bad[0][:20]})
        return _respond(_public_rows(queryset.filter(pk__in=ids[:MAX_RESULTS])), fmt, "service_requests")
    codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
    unknown = [c for c in codes if c not in Category.values]
    if unknown:
        return _error(fmt, 404, _("service_code “%(code)s” 不存在。") % {"code": unknown[0][:40]})
    statuses = [s.strip() for s in params.get("status", "").split(",") if s.strip()]
    if any(s not in ("open", "closed") for s in statuses):
        return _error(fmt, 400, _("status 只能是 open 或 closed。"))
    try:
        end = _parse_when(params["end_date"], "end_date") if params.get("end_date") else None
        start = _parse_when(params["start_date"], "start_date") if params.get("start_date") else None
    except ValueError as exc:
        return _error(fmt, 400, str(exc))
    if start and end and end - start > MAX_SPAN:
        return _error(fmt, 400, _("start_date 与 end_date 之间不能超过90天。"))
    if start and end and end < start:
        return _error(fmt, 400, _("end_date 不能早于 start_date。"))
    end = end or ((start + MAX_SPAN) if start else timezone.now())
    start = start or (end - MAX_SPAN)
    queryset = queryset.filter(submitted_at__gte=start, submitted_at__lte=end)
    if codes:
        queryset = queryset.filter(category__in=codes)
    if statuses == ["open"]:
        queryset = queryset.filter(state__in=OPEN_STATES)
    elif statuses == ["closed"]:
        queryset = queryset.filter(state__in=FINISHED_STATES)
    return _respond(_public_rows(queryset[:MAX_RESULTS]), fmt, "service_requests", cache=True)


def _point_grid(lat: float, lon: float) -> Grid | None:
    """The village (or else township) whose boundary holds the point, when boundaries are entered."""
    def inside(ring, x, y):
        hit = False
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=False):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / ((y2 - y1) or 1e-12) + x1:
                hit = not hit
        return hit

    for level in (GridLevel.VILLAGE, GridLevel.TOWNSHIP):
        for grid in Grid.objects.filter(level=level, boundary__isnull=False).select_related("parent"):
            try:
                rings = rings_of(grid.boundary)
            except (ValueError, TypeError, AttributeError):
                continue
            if any(inside([tuple(p[:2]) for p in ring], lon, lat) for ring in rings):
                return grid
    return None


def _create(request, fmt: str):
    data = request.POST
    client = open311_client_for_key(data.get("api_key", ""))
    if client is None:
        return _error(fmt, 403, _("api_key 缺失、无效或已被吊销。请向%(place)s农业农村局申请接口密钥。") % {
            "place": place_name()})
    code = data.get("service_code", "")
    if not code:
        return _error(fmt, 400, _("缺少 service_code。"))
    if code not in Category.values:
        return _error(fmt, 404, _("service_code “%(code)s” 不存在。") % {"code": code[:40]})
    lat, lon = data.get("lat", ""), data.get("long", "")
    address = data.get("address_string", "")
    if not ((lat and lon) or address or data.get("address_id")):
        return _error(fmt, 400, _("需要提供位置：lat 和 long，或 address_string，或 address_id。"))
    errors = []
    kind = data.get("attribute[kind]", "")
    if kind not in Kind.values:
        errors.append(_("attribute[kind] 必须是 complaint（投诉）或 report（举报）。"))
    township = village = producer = None
    if data.get("attribute[township]"):
        township = Grid.objects.filter(level=GridLevel.TOWNSHIP, code=data["attribute[township]"]).first()
        if township is None:
            errors.append(_("attribute[township] “%(v)s” 不是本市的乡镇区划代码。") % {"v": data["attribute[township]"][:20]})
    if data.get("attribute[village]"):
        village = Grid.objects.filter(level=GridLevel.VILLAGE, code=data["attribute[village]"]).first()
        if village is None:
            errors.append(_("attribute[village] “%(v)s” 不是本市的村区划代码。") % {"v": data["attribute[village]"][:20]})
    if data.get("attribute[producer]"):
        producer = Producer.objects.published().filter(code=data["attribute[producer]"].strip().upper()).first()
        if producer is None:
            errors.append(_("attribute[producer] “%(v)s” 不是有效的公示编码。") % {"v": data["attribute[producer]"][:20]})
    if lat and lon and not (village or township or producer):
        try:
            flat, flon = float(lat), float(lon)
            if not (-90 <= flat <= 90 and -180 <= flon <= 180):
                raise ValueError
        except ValueError:
            errors.append(_("lat/long 不是有效的经纬度。"))
        else:
            found = _point_grid(flat, flon)  # coordinates route the request; they are not stored
            if found is not None and found.level == GridLevel.VILLAGE:
                village = found
            elif found is not None:
                township = found
    if len(address) > 200:
        errors.append(_("address_string 最多200个字符。"))
    if errors:
        return _error(fmt, 400, *errors)
    name = (data.get("last_name", "") + data.get("first_name", "")).strip()
    try:
        complaint = complaint_submit(
            kind=kind, category=code, description=data.get("description", ""), producer=producer,
            place_township=township, place_village=village, address=address, reporter_name=name,
            reporter_phone=data.get("phone", ""), reporter_email=data.get("email", ""), anonymous=False,
            consent=True, channel="open311", open311_client=client,
            external_ref=data.get("attribute[external_ref]", "")[:50])
    except DuplicateSubmission as dup:  # pragma: no cover - no submission key on this path
        complaint = dup.complaint
    except ValidationError as exc:
        messages = []
        for field, errs in getattr(exc, "message_dict", {"": exc.messages}).items():
            messages.extend(f"{field}: {e}" if field else e for e in errs)
        return _error(fmt, 400, *messages)
    notice = _("已收到。查询码 %(code)s（请告知反映人），受理期限 %(due)s。") % {
        "code": complaint.display_code, "due": complaint.accept_due.isoformat()}
    return _respond([{"service_request_id": str(complaint.pk), "service_notice": notice, "account_id": None}],
                    fmt, "service_requests")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_(request, fmt: str):
    """GET: public list (90 days, 1000 at most, filters per spec). POST: create, with an API key."""
    if (bad := _check_format(fmt) or _check_jurisdiction(request, fmt)) is not None:
        return bad
    if request.method == "POST":
        return _create(request, fmt)
    return _list(request, fmt)


@require_GET
def request_detail(request, pk: str, fmt: str):
    """GET one request by its service_request_id."""
    if (bad := _check_format(fmt) or _check_jurisdiction(request, fmt)) is not None:
        return bad
    if not _is_request_id(pk):
        return _error(fmt, 404, _("service_request_id “%(id)s” 不存在。") % {"id": pk[:20]})
    rows = _public_rows(_public_queryset().filter(pk=int(pk)))
    if not rows:
        return _error(fmt, 404, _("service_request_id “%(id)s” 不存在。") % {"id": pk[:20]})
    return _respond(rows, fmt, "service_requests", cache=True)


__all__ = ["discovery", "request_detail", "requests_", "service_definition", "services"]
