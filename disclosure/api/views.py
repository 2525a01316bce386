"""Plain Django views around the ninja API: the OpenAPI JSON, the docs page, JSON 404s, and open CORS."""

import json
from functools import wraps

from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from portal.http import fingerprint, public_cache

from . import errors
from .errors import ApiError

SCHEMA_MAX_AGE = 3600
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Content-Language",
}


def open_data(view):
    """Any origin may read (CORS, GET only); HEAD answers like GET without a body; OPTIONS is a preflight."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
            response["Allow"] = ALLOWED_METHODS
        elif request.method in ("GET", "HEAD"):
            head = request.method == "HEAD"
            if head:
                request.method = "GET"
            response = view(request, *args, **kwargs)
            if head:
                request.method = "HEAD"
                response.content = b""
            if response.status_code >= 400 and response.has_header("ETag"):
                del response["ETag"]  # an error is not a version of the resource
        else:
            response = _error(request, ApiError(405, "method_not_allowed", [{
                "text": ("开放数据接口只读，只接受 GET 请求。", "The open-data API is read-only: use GET."),
                "allowed": ["GET", "HEAD", "OPTIONS"]}]))
            response["Allow"] = ALLOWED_METHODS
        for key, value in CORS_HEADERS.items():
            response[key] = value
        return response

    wrapped.csrf_exempt = True
    return wrapped


def browsers_to_docs(view):
    """The index answers a browser (which prefers HTML, e.g. from the footer's 开放数据 link) with the
    docs page, and any other client with JSON."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.get_preferred_type(["application/json", "text/html"]) == "text/html":
            response = HttpResponseRedirect("/api/v1/docs/")
        else:
            response = view(request, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        return response

    return wrapped


def _error(request, error: ApiError) -> JsonResponse:
    response = JsonResponse(errors.body(request, error), status=error.status,
                            json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ["Accept-Language"])
    return response


def not_found(request, rest=""):
    """Any other path under /api/v1/: a JSON 404 that points to the index."""
    return _error(request, ApiError(404, "not_found", [{"text": errors.NOT_FOUND}]))


def _schema_etag(request, *args, **kwargs):
    from .openapi import openapi_schema

    return fingerprint(json.dumps(openapi_schema(), sort_keys=True, default=str))


@public_cache(etag=_schema_etag, max_age=SCHEMA_MAX_AGE)
def schema(request):
    """The OpenAPI 3 description of every endpoint, parameter and field."""
    from .openapi import openapi_schema

    response = JsonResponse(openapi_schema(), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Type"] = "application/json; charset=utf-8"
    return response


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _type_of(schema: dict, node: dict) -> str:
    """A short human-readable type: string, integer, date, enum values, list of X, object name, or …|null."""
    if "$ref" in node:
        return node["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in node:
        kinds = [_type_of(schema, part) for part in node["anyOf"]]
        return " | ".join(kinds)
    if "enum" in node:
        return " | ".join(str(v) for v in node["enum"])
    if node.get("type") == "array":
        return f"[{_type_of(schema, node.get('items', {}))}]"
    if node.get("format") in ("date", "date-time"):
        return node["format"]
    return node.get("type", "")


def _fields(schema: dict, name: str) -> list[dict]:
    node = schema["components"]["schemas"][name]
    required = set(node.get("required", []))
    return [{"name": field, "type": _type_of(schema, spec), "required": field in required,
             "description": spec.get("description", "")}
            for field, spec in node.get("properties", {}).items()]


def _shapes(schema: dict, node: dict, seen: set) -> list[dict]:
    """Every object a response holds, outermost first, each once: name and fields."""
    shapes = []
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return shapes
        seen.add(name)
        shapes.append({"name": name, "fields": _fields(schema, name)})
        for spec in _resolve(schema, node).get("properties", {}).values():
            shapes += _shapes(schema, spec, seen)
    for part in node.get("anyOf", []):
        shapes += _shapes(schema, part, seen)
    if node.get("type") == "array":
        shapes += _shapes(schema, node.get("items", {}), seen)
    return shapes


def _docs_context() -> dict:
    from .openapi import openapi_schema

    schema = openapi_schema()
    operations = []
    for path, item in schema["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        params = []
        for p in operation.get("parameters", []):
            spec = p.get("schema", {})
            limits = []
            for key, label in (("minimum", "≥"), ("maximum", "≤"), ("maxLength", "max length "),
                               ("pattern", "")):
                if key in spec:
                    limits.append(f"{label}{spec[key]}")
            params.append({"name": p["name"], "in": p["in"], "type": _type_of(schema, spec),
                           "default": spec.get("default"), "limits": " ".join(limits),
                           "description": p.get("description") or spec.get("description", "")})
        ok = operation["responses"].get("200")
        body = next(iter(ok["content"].values()))["schema"] if ok and ok.get("content") else {}
        shapes = _shapes(schema, body, set())
        operations.append({"path": path, "summary": operation.get("summary", ""),
                           "description": operation.get("description", ""), "parameters": params,
                           "result": _type_of(schema, body), "shapes": shapes, "id": operation.get("operationId")})
    return {"info": schema["info"], "operations": operations, "server": schema["servers"][0]["url"],
            "error_fields": _fields(schema, "ErrorBody") + _fields(schema, "ErrorDetail")}


@public_cache(etag=_schema_etag, max_age=SCHEMA_MAX_AGE)
def docs(request):
    """The API's documentation as one server-rendered page (no JavaScript, nothing loaded from elsewhere)."""
    return render(request, "api/docs.html", _docs_context())
