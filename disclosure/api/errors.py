"""Errors of the open-data API: one JSON shape, a clear sentence in Chinese, or English on request.

The language of an error is English when the client asks with ?lang=en or with an Accept-Language header
whose first choice is English; Chinese otherwise. The English wording lives here beside the Chinese
rather than in the site's message catalogue, so API clients get it whatever the state of the catalogue.
Data (names, labels) is always Chinese; codes are language-neutral.
"""

from django.utils.translation.trans_real import parse_accept_lang_header

LANGUAGES = ("zh", "en")


class ApiError(Exception):
    """An error the API answers with its JSON error body (400 bad parameter, 404 not found)."""

    def __init__(self, status: int, code: str, details: list[dict]):
        super().__init__(code)
        self.status, self.code, self.details = status, code, details


def invalid_parameter(parameter: str, value, rule: tuple[str, str], **values) -> ApiError:
    """400 invalid_parameter for one parameter: INVALID then the parameter's rule, in both languages."""
    value = str(value)[:40]
    return ApiError(400, "invalid_parameter", [{
        "parameter": parameter, "value": value, "text": (INVALID[0] + rule[0], INVALID[1] + rule[1]),
        "values": {"parameter": parameter, "value": value, **values}}])


def language(request) -> str:
    """'en' or 'zh' for this request's error messages (see the module docstring)."""
    chosen = (request.GET.get("lang") or "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    header = request.headers.get("Accept-Language", "")
    try:
        ranked = parse_accept_lang_header(header)
    except ValueError:
        ranked = ()
    for tag, _q in ranked:
        if tag == "*":
            continue
        return "en" if tag.lower().startswith("en") else "zh"
    return "zh"


def text(pair: tuple[str, str], lang: str, **values) -> str:
    zh, en = pair
    return (en if lang == "en" else zh).format(**values)


def body(request, error: ApiError) -> dict:
    """The JSON body of an error: a code, the whole message, and one detail per parameter at fault."""
    lang = language(request)
    details = []
    for item in error.details:
        detail = {"message": text(item["text"], lang, **item.get("values", {}))}
        for key in ("parameter", "value", "allowed"):
            if key in item:
                detail[key] = item[key]
        details.append(detail)
    separator = " " if lang == "en" else ""
    return {"error": {"status": error.status, "code": error.code, "language": lang,
                      "message": separator.join(d["message"] for d in details), "details": details}}


# What each query parameter accepts, in words, for the message when a value is refused.
PARAMETER_RULES = {
    "page": ("页码 page 必须是不小于 1 的整数。", "page must be a whole number of at least 1."),
    "page_size": ("每页条数 page_size 必须是 1 到 {max} 之间的整数。",
                  "page_size must be a whole number from 1 to {max}."),
    "township": ("乡镇 township 须为乡镇的区划代码（9 位数字）或网址名，例如 652301101 或 sangong。",
                 "township must be a township's division code (9 digits) or its slug, e.g. 652301101 or sangong."),
    "village": ("村 village 须为村的区划代码（12 位数字），例如 652301101200。",
                "village must be a village's division code (12 digits), e.g. 652301101200."),
    "grid": ("网格 grid 须为网格的区划代码（6、9 或 12 位数字），例如 652301101。",
             "grid must be a grid's division code (6, 9 or 12 digits), e.g. 652301101."),
    "parent": ("上级网格 parent 须为网格的区划代码（2、4、6 或 9 位数字），例如 652301。",
               "parent must be a grid's division code (2, 4, 6 or 9 digits), e.g. 652301."),
    "county": ("县（市）county 须为县（市）的区划代码（6 位数字），例如 652301。",
               "county must be a county's division code (6 digits), e.g. 652301."),
    "kind": ("单位类型 kind 只能是：{allowed}。", "kind must be one of: {allowed}."),
    "grade": ("信用等级 grade 只能是：{allowed}。", "grade must be one of: {allowed}."),
    "level": ("网格层级 level 只能是：{allowed}。", "level must be one of: {allowed}."),
    "role": ("岗位 role 只能是：{allowed}。", "role must be one of: {allowed}."),
    "category": ("类别 category 只能是：{allowed}。", "category must be one of: {allowed}."),
    "status": ("管理类别 status 只能是：{allowed}。", "status must be one of: {allowed}."),
    "group": ("分组 group 只能是：{allowed}。", "group must be one of: {allowed}."),
    "current": ("current 只能是 true 或 false。", "current must be true or false."),
    "updated_since": ("更新时间 updated_since 须为 ISO 8601 格式的日期或时间，例如 2026-01-01 或 "
                      "2026-01-01T08:00:00+08:00（不带时区的按北京时间）。",
                      "updated_since must be an ISO 8601 date or date-time, e.g. 2026-01-01 or "
                      "2026-01-01T08:00:00+08:00 (Beijing time when no offset is given)."),
    "q": ("关键词 q 不能超过 {max} 个字。", "q must be at most {max} characters."),
    "lang": ("语言 lang 只能是 zh 或 en。", "lang must be zh or en."),
}

INVALID = ("参数 {parameter} 的值“{value}”无效：", "Invalid value \u201c{value}\u201d for {parameter}: ")
YEAR_RULE = ("年度 year 须为 {first} 到 {last} 之间的四位数字年份，例如 {example}。",
             "year must be a four-digit year from {first} to {last}, e.g. {example}.")
UNKNOWN = ("不支持参数 {parameter}。本接口可用的参数：{allowed}。",
           "Unknown parameter {parameter}. This endpoint accepts: {allowed}.")
NOT_FOUND_PLACE = ("没有{what}“{value}”。", "There is no {what_en} \u201c{value}\u201d.")
PAGE_OUT_OF_RANGE = ("第 {page} 页不存在：共 {pages} 页。", "Page {page} does not exist: there are {pages} page(s).")
NO_PRODUCER = ("没有公示编码为“{value}”的公开生产主体。", "There is no published producer with the code \u201c{value}\u201d.")
NOT_FOUND = ("没有这个接口。可用的接口见 /api/v1/。", "No such endpoint. See /api/v1/ for the list.")

