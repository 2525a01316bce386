"""The inspector's phone app under /field/ (附件1 巡查, 手机端): pages, the offline plan, the sync endpoint,
the service worker and the web app manifest.

Every page here is a shell the service worker keeps for a day without signal: what is specific to a
record (which visit, which producer) is filled in on the phone from plan.json, so the cached copy of
/field/inspect/ serves every visit. Records are kept on the phone (IndexedDB) and posted to /field/sync/
one by one; see docs/field-app.md.
"""

import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.auth import display_name
from portal.http import fingerprint

from .. import conf
from ..models import Item, Result
from ..services.field import field_plan, field_producers, field_sync
from ..services.plans import my_visits

SCRIPTS = ("js/field/outbox.js", "js/field/app.js", "js/field/form.js")
STATIC_SHELL = ("css/field.css", *SCRIPTS, "img/field/icon-192.png", "img/field/icon-512.png")
PAGES = ("/field/", "/field/inspect/", "/field/sample/", "/field/plan.json")


def _no_store(response):
    """Staff data stays out of shared and browser HTTP caches; the service worker keeps its own copy."""
    response["Cache-Control"] = "no-store, private"
    return response


def _strings() -> dict:
    """What the phone's scripts say, translated here so the cached page carries them offline."""
    return {
        "waiting": _("待发送"), "attention": _("需处理"), "sent": _("已发送"),
        "duplicate": _("此前已收到，没有重复保存"),
        "offline": _("没有网络：记录会保存在手机上，有信号时自动发送。"),
        "online": _("网络已连接"),
        "sending": _("正在发送……"),
        "nothing_waiting": _("没有待发送的记录。"),
        "net_error": _("网络不通，稍后自动重发。"),
        "server_error": _("服务器暂时出错，稍后自动重发。"),
        "login_expired": _("登录已过期：请重新登录后再发送，记录仍保存在手机上。"),
        "saved_local": _("已保存在手机上，有信号时自动发送。"),
        "recorded_waiting": _("已记录，待发送"),
        "retry": _("重新发送"),
        "edit": _("修改"),
        "photos_n": _("%(n)s 张照片"),
        "failed_n": _("%(n)s 项不符合"),
        "all_pass": _("7 项均符合"),
        "other_users": _("这部手机上还有其他账号的 %(n)s 条记录未发送，请该账号登录后发送。"),
        "choose_result": _("请选择符合、不符合或不适用。"),
        "fail_note": _("不符合时，请写明发现的问题。"),
        "choose_producer": _("请选择生产主体。"),
        "date_required": _("请填写巡查日期。"),
        "date_future": _("巡查日期不能晚于今天。"),
        "too_many_photos": _("每份巡查记录最多%(max)s张照片。") % {"max": conf.get("INSPECTIONS_MAX_PHOTOS")},
        "not_image": _("“%(name)s”不是照片，请选择照片文件。"),
        "remove": _("删除"),
        "errors_above": _("还有内容需要填写，请看标红的地方。"),
        "no_producer": _("在您负责的网格中没有找到这个主体。"),
        "storage_full": _("手机存储空间不足，记录没有保存。请删除一些照片后再试。"),
        "record_missing": _("没有找到这条记录，它可能已经发送。"),
        "product_required": _("请填写样品名称。"),
        "taken_future": _("抽样时间不能晚于现在。"),
        "taken_required": _("请填写抽样时间。"),
        "sample_of": _("抽样：%(product)s"),
    }


def _context(request, **extra) -> dict:
    return {"strings": _strings(), "field_user_id": request.user.pk,
            "field_user_name": display_name(request.user), **extra}


@login_required
@require_GET
def home(request):
    """我的本月巡查: the user's visits this month, and the records waiting on the phone."""
    today = timezone.localdate()
    visits = list(my_visits(request.user, on=today))
    response = render(request, "inspections/field/home.html", _context(
        request, visits=visits, today=today, open_count=sum(1 for v in visits if v.inspection_id is None)))
    return _no_store(response)


def _by_village(producers) -> dict:
    villages = {}
    for producer in producers:
        villages.setdefault(producer.village.full_name, []).append(producer)
    return villages


@login_required
@require_GET
def inspect(request):
    """The inspection form. The visit (?visit=) and producer are filled in on the phone from plan.json."""
    response = render(request, "inspections/field/inspect.html", _context(
        request, villages=_by_village(field_producers(request.user)), items=list(Item), results=list(Result),
        today=timezone.localdate(), max_photos=conf.get("INSPECTIONS_MAX_PHOTOS")))
    return _no_store(response)


@login_required
@require_GET
def sample(request):
    """抽样登记 on the spot (township staff); the sample number comes back when the record is sent."""
    response = render(request, "inspections/field/sample.html", _context(
        request, villages=_by_village(field_producers(request.user, township_only=True)),
        today=timezone.localdate()))
    return _no_store(response)


def _login_expired():
    return JsonResponse({"status": "rejected", "messages": [_("登录已过期，请重新登录。")], "errors": {}},
                        status=401)


@never_cache
@require_GET
def plan_json(request):
    """What the phone keeps offline: this month's visits of the user and the producers in their scope."""
    if not request.user.is_authenticated:
        return _login_expired()
    return _no_store(JsonResponse(field_plan(request.user), json_dumps_params={"ensure_ascii": False}))


@require_POST
def sync(request):
    """One record from the phone: multipart with `payload` (JSON) and `photos` (files)."""
    if not request.user.is_authenticated:
        return _login_expired()
    try:
        payload = json.loads(request.POST.get("payload") or "")
    except ValueError:
        payload = None
    answer = field_sync(user=request.user, payload=payload, photos=request.FILES.getlist("photos"))
    return _no_store(JsonResponse(answer.as_json(), status=answer.http_status,
                                  json_dumps_params={"ensure_ascii": False}))


def _static_fingerprint() -> str:
    contents = []
    for path in STATIC_SHELL:
        found = finders.find(path)
        contents.append(Path(found).read_bytes() if found else path)
    return fingerprint(*contents, *(static(p) for p in STATIC_SHELL))


_cached_fingerprint = lru_cache(maxsize=1)(_static_fingerprint)


@require_GET
def service_worker(request):
    """The service worker, served from /field/ so that its scope is /field/ (see docs/field-app.md)."""
    version = _static_fingerprint() if settings.DEBUG else _cached_fingerprint()
    response = render(request, "inspections/field/sw.js", {
        "version": version[:12],
        "shell": json.dumps([static(p) for p in STATIC_SHELL] + ["/field/manifest.webmanifest"]),
        "pages": json.dumps(list(PAGES)),
        "app_name": _("农安巡查"),
        "offline_text": _("没有网络，这部手机上也还没有保存巡查页面。请在有信号的地方打开一次“我的本月巡查”。"),
    }, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    """The web app manifest: installable from /field/, opens full screen at /field/."""
    data = {
        "name": _("农安巡查"), "short_name": _("农安巡查"),
        "description": _("农产品质量安全日常巡查：我的本月巡查、巡查记录，没有信号也能记录。"),
        "lang": "en" if getattr(request, "LANGUAGE_CODE", "") == "en" else "zh-CN",
        "start_url": "/field/", "scope": "/field/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#17603a",
        "icons": [{"src": static("img/field/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                  {"src": static("img/field/icon-512.png"), "sizes": "512x512", "type": "image/png",
                   "purpose": "any maskable"}],
    }
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response
