"""The open-data API, /api/v1/: producers, grades, grids, people in public roles, substances.

Read-only JSON for anyone (CORS open), paginated, cached by ETag, and documented by the OpenAPI
description django-ninja derives from the schemas in `schemas.py` (see docs/decisions/api.md).
Every list costs a fixed number of queries: the ETag's state, the count, the page (plus, at most, one
look-up of a place named in a filter).
"""

import datetime
from functools import cache

from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.utils import timezone, translation
from ninja import NinjaAPI, Path, Query
from ninja.decorators import decorate_view
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from portal.http import fingerprint, public_cache
from portal.qr import absolute_url

from ..models import Grid, Person, Producer, RoleAssignment, Substance
from ..models.grids import GridLevel
from ..models.people import Role
from ..models.producers import CODE_ALPHABET, CODE_LENGTH, ProducerKind
from ..models.ratings import GRADE_MEANING, Grade
from ..models.substances import SUBSTANCE_GROUPS, SubstanceCategory, SubstanceStatus
from . import errors
from .errors import ApiError
from .schemas import (
    ErrorOut,
    GradeOut,
    GridPage,
    GridQuery,
    IndexOut,
    LangQuery,
    PageQuery,
    PersonPage,
    PersonQuery,
    ProducerOut,
    ProducerPage,
    ProducerQuery,
    SubstancePage,
    SubstanceQuery,
)

API_VERSION = "1"  # bump with any change of the shape of a response, so cached copies are not reused
PREFIX = "/api/v1/"
ALWAYS_ALLOWED = {"lang", "_"}  # "_" is the cache-buster some HTTP clients add

DESCRIPTION = """农产品质量安全网格化管理公示平台的开放数据：生产主体（公示牌上公开的信息）、信用等级说明、
监管网格、在岗的网格人员、国家禁用限用农药兽药名录。只读，无需注册，允许任何网站跨域读取（CORS）。

Open data of the agricultural-product quality-safety grid portal. Read-only, no key, CORS open.

* 分页 / paging: `page`（从 1 开始）和 `page_size`（默认 50，最多 100）；响应中的 `next`、`previous` 是完整地址。
* 错误 / errors: 参数有误返回 400，页码超出范围或对象不存在返回 404，都是 JSON：`{"error": {"code", "message", "details"}}`。
  消息默认中文；`?lang=en` 或首选语言为英文的 `Accept-Language` 时为英文。未知参数也按错误处理。
* 缓存 / caching: 响应带 `ETag` 和 `Cache-Control: public, max-age=0, s-maxage=300`；用 `If-None-Match` 重复请求，未变化时返回 304。
* 字段 / fields: 代码字段（如 `grade`）不随语言变化；名称和说明字段为中文。
"""

class Utf8JSON(JSONRenderer):
    """JSON with Chinese as UTF-8 rather than \\u escapes: half the bytes on a slow connection."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(title="农产品质量安全网格化管理 · 开放数据接口 / open data", version=API_VERSION,
               description=DESCRIPTION, openapi_url=None, docs_url=None, urls_namespace="api-v1",
               renderer=Utf8JSON())

ERROR_RESPONSES = {400: ErrorOut, 404: ErrorOut}


# --- errors -------------------------------------------------------------------------------------

@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    response = api.create_response(request, errors.body(request, exc), status=exc.status)
    response["Cache-Control"] = "no-cache"
    response["Vary"] = "Accept-Language"
    return response


def _allowed_values(field_name: str, schema) -> list[str] | None:
    field = schema.model_fields.get(field_name)
    if field is None:
        return None
    from typing import Literal, get_args, get_origin

    for arg in (field.annotation, *get_args(field.annotation)):
        if get_origin(arg) is Literal:
            return [str(v) for v in get_args(arg)]
    return None


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    """Pydantic's refusals, rewritten as one clear sentence per parameter."""
    details, seen = [], set()
    for error in exc.errors:
        loc = [part for part in error.get("loc", ()) if isinstance(part, str) and part not in ("query", "path")]
        parameter = loc[-1] if loc else ""
        if parameter in seen:
            continue
        seen.add(parameter)
        raw = request.GET.get(parameter, error.get("input"))
        value = "" if raw is None else str(raw)[:100]
        schema = getattr(request, "_api_query_schema", None)
        allowed = _allowed_values(parameter, schema) if schema else None
        rule = errors.PARAMETER_RULES.get(parameter, ("请检查该参数。", "Please check this parameter."))
        detail = {"parameter": parameter, "value": value,
                  "text": (errors.INVALID[0] + rule[0], errors.INVALID[1] + rule[1]),
                  "values": {"parameter": parameter, "value": value, "allowed": ", ".join(allowed or []),
                             "max": _max_for(parameter)}}
        if allowed:
            detail["allowed"] = allowed
        details.append(detail)
    return _api_error(request, ApiError(400, "invalid_parameter", details))


def _max_for(parameter: str):
    from .schemas import MAX_PAGE_SIZE, MAX_QUERY

    return {"page_size": MAX_PAGE_SIZE, "q": MAX_QUERY}.get(parameter, "")


def _check_parameters(request, schema) -> None:
    """Refuse parameters the endpoint does not know: a misspelt filter must not silently return everything."""
    allowed = set(schema.model_fields) | ALWAYS_ALLOWED
    unknown = [name for name in request.GET if name not in allowed]
    if unknown:
        names = sorted(set(schema.model_fields))
        raise ApiError(400, "unknown_parameter", [
            {"parameter": name, "allowed": names, "text": errors.UNKNOWN,
             "values": {"parameter": name, "allowed": "、".join(names) if errors.language(request) == "zh"
                        else ", ".join(names)}}
            for name in unknown])


def _with_schema(schema):
    """Remember the query schema on the request, so that a validation error can list the allowed values."""
    def decorator(view):
        def wrapped(request, *args, **kwargs):
            request._api_query_schema = schema
            return view(request, *args, **kwargs)
        return wrapped
    return decorator


# --- pagination and helpers -----------------------------------------------------------------------

def _paginate(request, queryset, query: PageQuery, serialize) -> dict:
    paginator = Paginator(queryset, query.page_size)
    if query.page > paginator.num_pages:
        raise ApiError(404, "page_out_of_range", [{
            "parameter": "page", "value": str(query.page), "text": errors.PAGE_OUT_OF_RANGE,
            "values": {"page": query.page, "pages": paginator.num_pages}}])
    page = paginator.page(query.page)

    def link(number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return absolute_url(f"{request.path}?{params.urlencode()}")

    with translation.override("zh-hans"):
        results = [serialize(item) for item in page.object_list]
    return {"count": paginator.count, "page": page.number, "page_size": query.page_size,
            "num_pages": paginator.num_pages, "next": link(page.number + 1) if page.has_next() else None,
            "previous": link(page.number - 1) if page.has_previous() else None, "results": results}


def _place(grid: Grid) -> dict:
    """A township or village in a producer's record (the parent must be loaded: select_related)."""
    return {"code": grid.code, "name": grid.name, "slug": grid.slug, "url": absolute_url(grid.get_absolute_url())}


def _township(request, value: str) -> Grid:
    # A slug names a township of the county the site serves (two counties may both have one).
    grid = (Grid.objects.filter(level=GridLevel.TOWNSHIP).filter(Q(code=value) | Q(pk__in=Grid.objects.served().filter(
        level=GridLevel.TOWNSHIP, slug=value).values("pk"))).first()
            if value else None)
    if grid is None:
        raise ApiError(400, "invalid_parameter", [{
            "parameter": "township", "value": value[:100],
            "text": (errors.NOT_FOUND_PLACE[0] + errors.PARAMETER_RULES["township"][0],
                     errors.NOT_FOUND_PLACE[1] + " " + errors.PARAMETER_RULES["township"][1]),
            "values": {"what": "乡镇", "what_en": "township", "value": value[:100]}}])
    return grid


def _grid(parameter: str, value: str, what: str, what_en: str, **filters) -> Grid:
    grid = Grid.objects.filter(code=value, **filters).select_related("parent").first()
    if grid is None:
        raise ApiError(400, "invalid_parameter", [{
            "parameter": parameter, "value": value,
            "text": errors.NOT_FOUND_PLACE, "values": {"what": what, "what_en": what_en, "value": value}}])
    return grid


def _state(*querysets) -> list:
    return [qs.aggregate(n=Count("id"), t=Max("updated_at")) for qs in querysets]


def _cached(state):
    """ETag from the data's state (count and latest change) and the full query string."""
    def etag(request, *args, **kwargs):
        return fingerprint(API_VERSION, state(), request.get_full_path())
    return decorate_view(public_cache(etag=etag))


@cache
def _labels(choices) -> dict[str, str]:
    """value → Chinese label of a TextChoices class, worked out once per process (get_FOO_display() runs
    gettext on every label of the field for every call, which was most of a page's time)."""
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in choices.choices}


@cache
def _group_titles() -> dict[str, str]:
    with translation.override("zh-hans"):
        return {group.key: str(group.title) for group in SUBSTANCE_GROUPS}


# --- index and grades ---------------------------------------------------------------------------

@api.get("/", response=IndexOut, summary="接口目录 / index", tags=["index"],
         description="列出全部接口、参数和说明文档的地址。/ Lists the endpoints, their parameters, and the docs.")
@decorate_view(public_cache(etag=lambda request, *a, **k: fingerprint(API_VERSION, "index")))
def index(request):
    from .openapi import endpoint_list

    return {"title": api.title, "description": DESCRIPTION.split("\n\n")[0].replace("\n", ""),
            "version": API_VERSION, "schema_url": absolute_url(PREFIX + "schema/"),
            "docs_url": absolute_url(PREFIX + "docs/"), "endpoints": endpoint_list()}


@api.get("/grades/", response=list[GradeOut], summary="信用等级说明 / credit grades", tags=["producers"],
         description="信用等级的代码、名称和含义；B、C 类列入重点监管名录。/ The grades and what they mean.")
@decorate_view(public_cache(etag=lambda request, *a, **k: fingerprint(API_VERSION, "grades")))
def grades(request):
    with translation.override("zh-hans"):
        return [{"grade": g.value, "label": str(g.label), "meaning": str(GRADE_MEANING[g]),
                 "key_supervision": g in (Grade.B, Grade.C)} for g in Grade]


# --- producers ----------------------------------------------------------------------------------

def _producer(p: Producer) -> dict:
    township = p.village.parent
    return {
        "code": p.code, "name": p.name, "kind": p.kind, "kind_label": _labels(ProducerKind).get(p.kind, p.kind),
        "credit_code": p.credit_code or None, "products": p.products,
        "township": _place(township), "village": _place(p.village),
        "grade": p.grade, "grade_label": _labels(Grade).get(p.grade, p.grade), "grade_since": p.grade_since,
        "key_supervision": p.is_key_supervision,
        "on_traceability_platform": p.on_traceability_platform,
        "traceability_code": (p.traceability_code or None) if p.on_traceability_platform else None,
        "issues_certificates": p.issues_certificates, "self_commitment": p.self_commitment,
        "page_url": absolute_url(f"/p/{p.code}/"), "signboard_url": absolute_url(f"/p/{p.code}/signboard.pdf"),
        "updated_at": p.updated_at,
    }


def _producers_state():
    return _state(Producer.objects.all(), Grid.objects.all())


@api.get("/producers/", response={200: ProducerPage, **ERROR_RESPONSES}, tags=["producers"],
         summary="生产主体 / producers",
         description="公开的生产主体，按公示编码排序。只含公示牌上公开的信息。/ Published producers, as on their signboards.")
@decorate_view(_with_schema(ProducerQuery))
@_cached(_producers_state)
def producers(request, filters: Query[ProducerQuery]):
    _check_parameters(request, ProducerQuery)
    found = Producer.objects.published().select_related("village", "village__parent")
    if filters.county:
        county = _grid("county", filters.county, "编码为此的县（市）", "county with the code", level=GridLevel.CITY)
        found = found.filter(village__path__startswith=county.path)
    if filters.village:
        village = _grid("village", filters.village, "编码为此的村", "village with the code", level=GridLevel.VILLAGE)
        found = found.filter(village=village)
    if filters.township:
        township = _township(request, filters.township)
        found = found.filter(village__parent=township)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.grade:
        found = found.filter(grade=filters.grade)
    if filters.updated_since:
        since = filters.updated_since
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        found = found.filter(updated_at__gte=since)
    return _paginate(request, found.order_by("code"), filters, _producer)


@api.get("/producers/{code}/", response={200: ProducerOut, **ERROR_RESPONSES}, tags=["producers"],
         summary="一个生产主体 / one producer",
         description="按公示编码（不区分大小写）取一个公开的生产主体。/ One published producer by its public code.")
@decorate_view(_with_schema(LangQuery))
@_cached(_producers_state)
def producer(request, filters: Query[LangQuery],
             code: str = Path(..., description="公示编码，不区分大小写，如 3C7KXM / public code, any case")):
    _check_parameters(request, LangQuery)
    clean = (code or "").strip().upper()
    found = None
    if len(clean) == CODE_LENGTH and all(c in CODE_ALPHABET for c in clean):
        found = Producer.objects.published().select_related("village", "village__parent").filter(code=clean).first()
    if found is None:
        raise ApiError(404, "not_found", [{"parameter": "code", "value": code[:40], "text": errors.NO_PRODUCER,
                                           "values": {"value": code[:40]}}])
    with translation.override("zh-hans"):
        return _producer(found)


# --- grids --------------------------------------------------------------------------------------

def _grid_out(g: Grid) -> dict:
    parent, url = g.parent, g.get_absolute_url()
    return {
        "code": g.code, "name": g.name, "level": g.level, "level_label": _labels(GridLevel)[g.level], "slug": g.slug,
        "parent": {"code": parent.code, "name": parent.name, "level": parent.level} if parent else None,
        "url": absolute_url(url), "poster_url": absolute_url(url + "poster.pdf"), "duties": g.duty_list,
        "updated_at": g.updated_at,
    }


@api.get("/grids/", response={200: GridPage, **ERROR_RESPONSES}, tags=["grids"],
         summary="监管网格 / grids",
         description="各级监管网格（自治区、地州、县市、乡镇、村），按显示顺序。/ The grids of every level, in display order.")
@decorate_view(_with_schema(GridQuery))
@_cached(lambda: _state(Grid.objects.all()))
def grids(request, filters: Query[GridQuery]):
    _check_parameters(request, GridQuery)
    found = Grid.objects.select_related("parent")
    if filters.county:
        county = _grid("county", filters.county, "编码为此的县（市）", "county with the code", level=GridLevel.CITY)
        found = found.within(county)
    if filters.level:
        found = found.filter(level=filters.level)
    if filters.parent:
        parent = _grid("parent", filters.parent, "编码为此的上级网格", "parent grid with the code")
        found = found.filter(parent=parent)
    return _paginate(request, found.order_by("sort_order", "code"), filters, _grid_out)


# --- people -------------------------------------------------------------------------------------

ROLE_ORDER = {role: i for i, role in enumerate(Role.values)}


def _person(a: RoleAssignment) -> dict:
    person, grid = a.person, a.grid
    return {
        "person_id": person.pk, "name": person.name, "position": person.position, "role": a.role,
        "role_label": _labels(Role)[a.role], "grid": {"code": grid.code, "name": grid.name, "level": grid.level},
        "grid_url": absolute_url(grid.get_absolute_url()), "phone": person.phone if person.phone_public else None,
    }


def _people_state():
    today = timezone.localdate()
    current = RoleAssignment.objects.current(today).aggregate(n=Count("id"), t=Max("id"), s=Max("start_date"))
    # Role changes touch the grid (role_assign, role_end); people's own edits touch the person.
    return [current, today, *_state(Person.objects.all(), Grid.objects.all())]


@api.get("/people/", response={200: PersonPage, **ERROR_RESPONSES}, tags=["grids"],
         summary="网格人员 / people in public roles",
         description="今天在岗的网格人员：一行是一个人在一个网格的一个岗位。本人未公开电话的，phone 为 null。"
                     "/ Current role holders, one row per role; phone is null where the person's phone is not public.")
@decorate_view(_with_schema(PersonQuery))
@_cached(_people_state)
def people(request, filters: Query[PersonQuery]):
    _check_parameters(request, PersonQuery)
    found = RoleAssignment.objects.current().select_related("person", "grid", "grid__parent")
    if filters.role:
        found = found.filter(role=filters.role)
    if filters.grid:
        found = found.filter(grid=_grid("grid", filters.grid, "编码为此的网格", "grid with the code"))
    if filters.township:
        township = _township(request, filters.township)
        found = found.filter(Q(grid=township) | Q(grid__parent=township))
    order = ["grid__sort_order", "grid__code", "role", "person__name", "id"]
    return _paginate(request, found.order_by(*order), filters, _person)


# --- substances ---------------------------------------------------------------------------------

def _substance(s: Substance, today: datetime.date) -> dict:
    group = s.group
    return {
        "id": s.pk, "name_zh": s.name_zh, "name_en": s.name_en, "category": s.category,
        "category_label": _labels(SubstanceCategory)[s.category], "status": s.status,
        "status_label": _labels(SubstanceStatus)[s.status],
        "group": group.key if group else None, "group_label": _group_titles()[group.key] if group else None,
        "restricted_scope": s.restricted_scope, "legal_basis": s.legal_basis, "effective_date": s.effective_date,
        "in_force": s.is_in_force(today), "superseded": s.is_superseded(today),
        "superseded_by": s.full_ban_id if s.status == "restricted" else None,
        "sources": s.source_links, "url": absolute_url(s.get_absolute_url()), "updated_at": s.updated_at,
    }


@api.get("/substances/", response={200: SubstancePage, **ERROR_RESPONSES}, tags=["substances"],
         summary="禁限用农药兽药名录 / banned and restricted substances",
         description="国家禁用、限用农药（兽药）名录的全部条目，含范围、依据和施行日期；q 支持中文子串（如 甲胺）。"
                     "/ Every entry with scope, legal basis and date; q matches Chinese substrings.")
@decorate_view(_with_schema(SubstanceQuery))
@_cached(lambda: [_state(Substance.objects.all()), timezone.localdate()])
def substances(request, filters: Query[SubstanceQuery]):
    _check_parameters(request, SubstanceQuery)
    today = timezone.localdate()
    found = Substance.objects.matching(filters.q or "").with_full_ban()
    if filters.category:
        found = found.filter(category=filters.category)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.group:
        found = found.in_group(filters.group)
    if filters.current:
        found = found.current(today)
    elif filters.current is False:
        found = found.exclude(pk__in=Substance.objects.current(today).values("pk"))
    return _paginate(request, found.order_by("category", "status", "sort_order", "id"), filters,
                     lambda s: _substance(s, today))
