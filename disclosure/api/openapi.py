"""The OpenAPI 3 description of /api/v1/ (from django-ninja) and the endpoint list built from it."""

from functools import lru_cache

from django.conf import settings

from portal.qr import absolute_url


@lru_cache(maxsize=4)
def _schema(base_url: str) -> dict:
    from .endpoints import PREFIX, api

    schema = api.get_openapi_schema(path_prefix=PREFIX)
    schema = dict(schema)
    schema["servers"] = [{"url": base_url, "description": "农产品质量安全网格化管理公示平台"}]
    # Every list answers with ETag and Cache-Control and honours If-None-Match; say so where it applies.
    for item in schema["paths"].values():
        for operation in item.values():
            operation["responses"] = {str(status): spec for status, spec in operation.get("responses", {}).items()}
            ok = operation["responses"].get("200")
            if ok is not None:
                ok.setdefault("headers", {}).update({
                    "ETag": {"description": "数据版本；用 If-None-Match 重复请求，未变化时返回 304 / entity tag",
                             "schema": {"type": "string"}},
                    "Cache-Control": {"description": "public, max-age=0, s-maxage=300", "schema": {"type": "string"}},
                    "Access-Control-Allow-Origin": {"description": "*（允许任何网站读取 / open to any origin）",
                                                    "schema": {"type": "string"}},
                })
            operation["responses"].setdefault("304", {"description": "未变化 / not modified"})
    return schema


def openapi_schema() -> dict:
    """The description of the API, with the portal's canonical address as its server."""
    return _schema(settings.PORTAL_BASE_URL)


def endpoint_list() -> list[dict]:
    """Path, URL, description and query parameters of every endpoint but the index, from the description."""
    endpoints = []
    for path, item in openapi_schema()["paths"].items():
        operation = item.get("get")
        if operation is None or path.rstrip("/").endswith("/v1"):
            continue
        params = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
        endpoints.append({"path": path, "url": absolute_url(path), "parameters": params,
                          "description": operation.get("description") or operation.get("summary", "")})
    return endpoints
